/**
 * Request logs: one JSON line per request, and one per unexpected error, neither holding a password,
 * token, cookie or query parameter (see `src/log.ts`).
 *
 * @module
 */
import type { Context } from "hono";
import { AppError, asAppError } from "../errors";
import { describeError, log } from "../log";

/** What identifies a request in a log line: never its body, query string, headers or cookies. */
interface RequestFacts {
	requestId: string | undefined;
	method: string;
	path: string;
}

/**
 * The catalog error a failed request is answered with: its own (see {@link asAppError}), or `INTERNAL`
 * for an unexpected one, which is logged with its chain of causes. D1 being unavailable is logged too, as
 * a warning: the client is told to retry, and whoever runs the service should know.
 */
export function answerFor(error: unknown, request: RequestFacts): AppError {
	const known = asAppError(error);
	if (known === undefined) {
		log("error", "unexpected error", { ...request, error: describeError(error) });
		return new AppError("INTERNAL");
	}
	if (known.code === "DATABASE_UNAVAILABLE") {
		log("warn", "database unavailable", { ...request, error: describeError(error) });
	}
	return known;
}

/**
 * Writes the one JSON line of a request once it is answered: request id, method, path (without the query
 * string), status and duration in milliseconds since `started` (a `performance.now()` reading).
 */
export function logRequest(c: Context, requestId: string, status: number, started: number): void {
	log("info", "request", {
		requestId,
		method: c.req.method,
		path: c.req.path,
		status,
		durationMs: Math.round(performance.now() - started),
	});
}
