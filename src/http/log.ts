/**
 * Request logs: one JSON line per request, and one per unexpected error, neither holding a password,
 * token, cookie or query parameter (see `src/log.ts`).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import { describeError, log } from "../log";

/** What identifies a request in a log line: never its body, query string, headers or cookies. */
interface RequestFacts {
	requestId: string | undefined;
	method: string;
	path: string;
}

/** Writes one structured line for an unexpected error during a request. */
export function logUnexpectedError(error: unknown, request: RequestFacts): void {
	log("error", "unexpected error", { ...request, error: describeError(error) });
}

/**
 * Middleware that writes one JSON line per request once it is answered: request id, method, path (without
 * the query string), status and duration in milliseconds.
 */
export function requestLog(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
	return async (c, next) => {
		const started = performance.now();
		await next();
		log("info", "request", {
			requestId: c.var.requestId,
			method: c.req.method,
			path: c.req.path,
			status: c.res.status,
			durationMs: Math.round(performance.now() - started),
		});
	};
}
