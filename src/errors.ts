/**
 * The error catalog: every failure the API reports, with its HTTP status and the message its JSON body
 * carries. Code anywhere in the service throws an {@link AppError} naming a code; the app's single
 * `onError` handler turns it into a response, so statuses and wording live only here.
 *
 * @module
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DatabaseUnavailableError } from "./db/errors";

/** Each error code with the status and public message it is answered with. */
export const errorCatalog = {
	INVALID_INPUT: { status: 400, message: "invalid request" },
	EMAIL_ALREADY_REGISTERED: { status: 400, message: "email already registered" },
	INVALID_CREDENTIALS: { status: 401, message: "invalid email or password" },
	INVALID_SESSION: { status: 403, message: "invalid session" },
	WRONG_PASSWORD: { status: 403, message: "password is incorrect" },
	UNKNOWN_EMAIL: { status: 403, message: "email not registered" },
	INVALID_RESET_TOKEN: { status: 403, message: "invalid reset token" },
	INVALID_VERIFICATION_TOKEN: { status: 403, message: "invalid verification token" },
	INVALID_CONFIRMATION_TOKEN: { status: 403, message: "invalid confirmation token" },
	EMAIL_NOT_VERIFIED: { status: 403, message: "email not verified" },
	CROSS_SITE_REQUEST: { status: 403, message: "cross-site request refused" },
	NOT_FOUND: { status: 404, message: "not found" },
	SESSION_NOT_FOUND: { status: 404, message: "session not found" },
	PAYLOAD_TOO_LARGE: { status: 413, message: "request body too large" },
	UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "unsupported media type" },
	TOO_MANY_REQUESTS: { status: 429, message: "too many attempts, try again later" },
	INTERNAL: { status: 500, message: "internal server error" },
	DATABASE_UNAVAILABLE: { status: 503, message: "database unavailable" },
	TOKEN_IN_RESPONSE_REFUSED: { status: 503, message: "token delivery is not configured for this host" },
	DEVELOPMENT_CONFIGURATION: {
		status: 503,
		message: "this service runs its development configuration: it is not configured for this host",
	},
} as const satisfies Record<string, { status: ContentfulStatusCode; message: string }>;

/** A key of {@link errorCatalog}. */
export type ErrorCode = keyof typeof errorCatalog;

/** Options for {@link AppError}. */
export interface AppErrorOptions {
	/** Replaces the catalog's public message, e.g. to name the form field that is missing. */
	publicMessage?: string;
	/** The underlying failure, kept for logs and never sent to the client. */
	cause?: unknown;
	/** For `TOO_MANY_REQUESTS` and `DATABASE_UNAVAILABLE`: seconds to wait, sent as `Retry-After`. */
	retryAfterSeconds?: number;
}

/**
 * An expected failure with a catalog code. Its `message` is for developers and logs; the client only ever
 * sees the catalog's (or the explicitly public) message.
 */
export class AppError extends Error {
	override readonly name = "AppError";
	/** The HTTP status the code maps to. */
	readonly status: ContentfulStatusCode;
	/** The message sent to the client in the JSON body. */
	readonly publicMessage: string;
	/** Seconds until the client may try again, when the code is `TOO_MANY_REQUESTS` or `DATABASE_UNAVAILABLE`. */
	readonly retryAfterSeconds: number | undefined;

	/** Creates an error for `code`, with an internal `message` that defaults to the public one. */
	constructor(
		readonly code: ErrorCode,
		message?: string,
		options: AppErrorOptions = {},
	) {
		const entry = errorCatalog[code];
		super(message ?? entry.message, { cause: options.cause });
		this.status = entry.status;
		this.publicMessage = options.publicMessage ?? entry.message;
		this.retryAfterSeconds = options.retryAfterSeconds;
	}
}

/** Seconds a client is asked to wait when D1 is unavailable: long enough for a reset database to restart. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The catalog error a failure stands for: an {@link AppError} itself, `DATABASE_UNAVAILABLE` when D1 could
 * not answer (found through the wrappers around it: Drizzle wraps what a query throws), or `undefined`
 * for anything unexpected.
 */
export function asAppError(error: unknown): AppError | undefined {
	if (error instanceof AppError) {
		return error;
	}
	// A few links deep at most: Drizzle wraps once; a cycle of causes must not hang the error handler.
	let e = error;
	for (let depth = 0; depth < 8 && e instanceof Error; depth++, e = e.cause) {
		if (e instanceof DatabaseUnavailableError) {
			return new AppError("DATABASE_UNAVAILABLE", e.message, {
				cause: error,
				retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
			});
		}
	}
	return undefined;
}
