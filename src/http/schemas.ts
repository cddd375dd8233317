/**
 * Request and response schemas: one per route input, used to validate requests (form or JSON alike) and
 * to generate the OpenAPI document, so the documentation cannot drift from what the service accepts.
 *
 * Format checks that are domain rules (a valid email on sign-up, the password policy) stay in
 * {@link Auth}, which enforces them for every caller; the schemas check presence and type, put the
 * email in normal form, and document those rules.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "../auth/email";

/** A required text field whose failures name the field: missing, repeated or not text. */
function textField(name: string) {
	return z
		.string({
			error: (issue) =>
				issue.input === undefined
					? `${name} is required`
					: Array.isArray(issue.input)
						? `${name} must be given once`
						: `${name} must be text`,
		})
		.min(1, { error: `${name} is required` });
}

/** An email field, returned trimmed and lower-cased: the form in which emails are stored and echoed. */
const email = textField("email")
	.transform(normalizeEmail)
	.openapi({ format: "email", maxLength: EMAIL_MAX_LENGTH, example: "bob@me.com" });

/** A password field; the policy (at most 72 bytes of UTF-8, a configurable minimum) is Auth's. */
function passwordField(name: string) {
	return textField(name).openapi({
		format: "password",
		description: "At most 72 bytes of UTF-8; a minimum length may be configured (`PASSWORD_MIN_LENGTH`).",
		example: "mySuperPwd",
	});
}

/** A UUID-shaped secret handed out by the service. */
function secretField(name: string) {
	return textField(name).openapi({ format: "uuid", example: "7c2a9d4e-5f0b-4a57-9c43-2b8f1e6d0a91" });
}

/** A request body: an object of fields, whatever its encoding. */
function body<Shape extends z.ZodRawShape>(shape: Shape) {
	return z.object(shape, { error: "the body must be form fields or a JSON object" });
}

/** `POST /users` and `POST /sessions`: credentials. */
export const Credentials = body({ email, password: passwordField("password") }).openapi("Credentials");

/** `POST /reset_password`: the account asking for a reset token. */
export const ResetRequest = body({ email }).openapi("ResetRequest");

/** `PUT /reset_password`: the token and the new password. */
export const PasswordUpdate = body({
	email,
	reset_token: secretField("reset_token"),
	new_password: passwordField("new_password"),
}).openapi("PasswordUpdate");

/** The body of every error answer. */
export const ErrorBody = z
	.object({ message: z.string().openapi({ example: "invalid session" }) })
	.openapi("Error");

/** `{"email": ..., "message": ...}` answers. */
export const EmailMessage = z
	.object({ email: z.string().openapi({ example: "bob@me.com" }), message: z.string() })
	.openapi("EmailMessage");

/** The welcome answer of `GET /`. */
export const Welcome = z.object({ message: z.literal("Bienvenue") }).openapi("Welcome");

/** The answer of `GET /profile`. */
export const Profile = z.object({ email: z.string().openapi({ example: "bob@me.com" }) }).openapi("Profile");

/** The answer of `POST /reset_password`. */
export const ResetToken = z
	.object({ email: z.string(), reset_token: z.string().openapi({ format: "uuid" }) })
	.openapi("ResetToken");

/** The answer of `GET /health`. */
export const Health = z.object({ status: z.enum(["ok", "unavailable"]) }).openapi("Health");
