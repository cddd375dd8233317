/**
 * Request and response schemas (valibot, a Standard Schema library): one per route input, used to
 * validate requests, form or JSON alike, and to generate the OpenAPI document, so the documentation
 * cannot drift from what the service accepts.
 *
 * Format checks that are domain rules (a valid email on sign-up, the password policy) stay in
 * {@link Auth}, which enforces them for every caller; the schemas check presence and type, put the
 * email in normal form, and document those rules.
 *
 * @module
 */
import * as v from "valibot";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "../auth/email";

/** A required text field whose failures name the field: missing, repeated or not text. */
function textField(name: string) {
	return v.pipe(
		v.string((issue) =>
			issue.input === undefined
				? `${name} is required`
				: Array.isArray(issue.input)
					? `${name} must be given once`
					: `${name} must be text`,
		),
		v.minLength(1, `${name} is required`),
	);
}

/** An email field, returned trimmed and lower-cased: the form in which emails are stored and echoed. */
const email = v.pipe(
	textField("email"),
	v.transform(normalizeEmail),
	v.metadata({ format: "email", maxLength: EMAIL_MAX_LENGTH, examples: ["bob@me.com"] }),
);

/** A password field; the policy (at most 72 bytes of UTF-8, a configurable minimum) is Auth's. */
function passwordField(name: string) {
	return v.pipe(
		textField(name),
		v.metadata({
			format: "password",
			description: "At most 72 bytes of UTF-8; a minimum length may be configured (`PASSWORD_MIN_LENGTH`).",
			examples: ["mySuperPwd"],
		}),
	);
}

/** A UUID-shaped secret handed out by the service. */
function secretField(name: string) {
	return v.pipe(
		textField(name),
		v.metadata({ format: "uuid", examples: ["7c2a9d4e-5f0b-4a57-9c43-2b8f1e6d0a91"] }),
	);
}

/**
 * A request body: an object of fields, whatever its encoding; unknown fields are dropped. valibot reports
 * a missing field with the object's message, so that message names the field when there is one.
 */
function body<const Entries extends v.ObjectEntries>(entries: Entries) {
	return v.object(entries, (issue) => {
		const key = issue.path?.at(-1)?.key;
		return typeof key === "string" ? `${key} is required` : "the body must be form fields or a JSON object";
	});
}

/** `POST /users` and `POST /sessions`: credentials. */
export const Credentials = body({ email, password: passwordField("password") });

/** `POST /reset_password`: the account asking for a reset token. */
export const ResetRequest = body({ email });

/** `PUT /reset_password`: the token and the new password. */
export const PasswordUpdate = body({
	email,
	reset_token: secretField("reset_token"),
	new_password: passwordField("new_password"),
});

/** The body of every error answer. */
export const ErrorBody = v.object({ message: v.string() });

/** `{"email": ..., "message": ...}` answers. */
export const EmailMessage = v.object({ email: v.string(), message: v.string() });

/** The welcome answer of `GET /`. */
export const Welcome = v.object({ message: v.literal("Bienvenue") });

/** The answer of `GET /profile`. */
export const Profile = v.object({ email: v.string() });

/** The answer of `POST /reset_password`. */
export const ResetToken = v.object({ email: v.string(), reset_token: v.pipe(v.string(), v.uuid()) });

/** The answer of `GET /health`. */
export const Health = v.object({ status: v.picklist(["ok", "unavailable"]) });
