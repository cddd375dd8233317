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
function emailField(name: string) {
	return v.pipe(
		textField(name),
		v.transform(normalizeEmail),
		v.metadata({ format: "email", maxLength: EMAIL_MAX_LENGTH, examples: ["bob@me.com"] }),
	);
}

const email = emailField("email");

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

/** A token handed out by the service: a UUID in `response` mode, 43 base64url characters in `email` mode. */
function secretField(name: string) {
	return v.pipe(
		textField(name),
		v.metadata({
			description: "A UUID in `response` mode (local development); 43 base64url characters in `email` mode.",
			examples: ["7c2a9d4e-5f0b-4a57-9c43-2b8f1e6d0a91"],
		}),
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

/** `PUT /password`: the password in use and the new one. */
export const PasswordChange = body({
	current_password: passwordField("current_password"),
	new_password: passwordField("new_password"),
});

/** `POST /users/verification`: the address to send a verification link to. */
export const VerificationRequest = body({ email });

/** `POST /users/verify` and `POST /users/me/email/confirm`: the token from the link. */
export const TokenBody = body({ token: secretField("token") });

/** `PUT /users/me/email`: the password, and the address to move the account to. */
export const EmailChange = body({ password: passwordField("password"), new_email: emailField("new_email") });

/** `DELETE /users/me`: the password, confirming the deletion. */
export const AccountDeletion = body({ password: passwordField("password") });

/** What `DELETE /sessions` may end: this session, every other one of the user, or all of them. */
export const LOGOUT_SCOPES = ["current", "others", "global"] as const;

/** `DELETE /sessions`: which sessions to end; the current one when absent. */
export const LogoutScope = v.object({
	scope: v.optional(v.picklist(LOGOUT_SCOPES, "scope must be current, others or global"), "current"),
});

/** The body of every error answer. */
export const ErrorBody = v.object({ message: v.string() });

/** `{"email": ..., "message": ...}` answers. */
export const EmailMessage = v.object({ email: v.string(), message: v.string() });

/** The welcome answer of `GET /`. */
export const Welcome = v.object({ message: v.literal("Bienvenue") });

/** The answer of `GET /profile`. */
export const Profile = v.object({ email: v.string() });

/** The answer of `POST /reset_password` in `response` mode. */
export const ResetToken = v.object({ email: v.string(), reset_token: v.string() });

/** The answer of `POST /users/verification` in `response` mode. */
export const VerificationToken = v.object({ email: v.string(), verification_token: v.string() });

/** The answer of `PUT /users/me/email` in `response` mode. */
export const ConfirmationToken = v.object({ email: v.string(), confirmation_token: v.string() });

/** The answer of `GET /users/me`. */
export const Me = v.object({
	email: v.string(),
	email_verified: v.boolean(),
	created_at: v.pipe(
		v.nullable(v.string()),
		v.description("ISO 8601; `null` for accounts created before the service recorded it."),
	),
});

/** `{"message": ...}` answers. */
export const Message = v.object({ message: v.string() });

/** The answer of `DELETE /sessions?scope=others`. */
export const OtherSessionsEnded = v.object({
	message: v.literal("other sessions ended"),
	ended: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** A time in answers: ISO 8601 in UTC. */
const timestamp = v.pipe(
	v.string(),
	v.isoTimestamp(),
	v.metadata({ examples: ["2026-11-27T09:30:00.000Z"] }),
);

/** The answer of `GET /sessions`. */
export const SessionList = v.object({
	sessions: v.array(
		v.object({
			id: v.pipe(
				v.string(),
				v.description("Names the session to end it; neither the session id nor its digest."),
			),
			created_at: timestamp,
			last_used_at: v.pipe(timestamp, v.description("Recorded at most once a day.")),
			expires_at: timestamp,
			user_agent: v.nullable(v.string()),
			current: v.pipe(v.boolean(), v.description("Whether this is the session that asked.")),
		}),
	),
});

/** The answer of `GET /users/me/events`. */
export const EventList = v.object({
	events: v.array(
		v.object({
			event: v.pipe(
				v.string(),
				v.description("What happened: `login`, `password.changed`, `session.revoked`, …"),
			),
			outcome: v.picklist(["success", "failure", "refused"]),
			at: v.pipe(timestamp, v.description("When; for a counted row, the last time in its hour.")),
			count: v.pipe(
				v.number(),
				v.integer(),
				v.minValue(1),
				v.description(
					"How many times it happened. What anyone can cause (wrong passwords, throttled attempts, reset and verification requests) is counted per kind and hour; everything else is one event.",
				),
			),
			network: v.pipe(
				v.nullable(v.string()),
				v.description("Where from: the client's /24 (IPv4) or /64 (IPv6); the last one, for a counted row."),
			),
			user_agent: v.nullable(v.string()),
			detail: v.pipe(
				v.nullable(v.string()),
				v.description(
					"What set it apart, from a fixed list: `new-device` for a login from a browser new to the account, the limit that refused an attempt (`login:ip`, …), `unverified`, …",
				),
			),
		}),
	),
});

/** The answer of `GET /health`. */
export const Health = v.object({ status: v.picklist(["ok", "unavailable"]) });
