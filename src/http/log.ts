/**
 * Structured logs: one JSON line per request, and one per unexpected error, neither holding a password,
 * token, cookie or query parameter. A failed query's parameters (password hashes, token digests, emails)
 * are never written, only its SQL text and the database's own message.
 *
 * @module
 */
import { DrizzleQueryError } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";

/** One error of a cause chain, as logged. */
interface LoggedError {
	name: string;
	message: string;
	stack?: string;
}

/** Returns only the frame lines of a stack, dropping the message lines it starts with. */
function framesOf(error: Error): string | undefined {
	const frames = error.stack?.split("\n").filter((line) => line.startsWith("    at "));
	return frames?.length ? frames.join("\n") : undefined;
}

/** Describes an error and its causes for a log line, leaving out query parameters. */
function describeError(error: unknown): LoggedError[] {
	const chain: LoggedError[] = [];
	for (let e = error; e !== undefined && chain.length < 5; e = e instanceof Error ? e.cause : undefined) {
		if (!(e instanceof Error)) {
			chain.push({ name: typeof e, message: "a non-Error value was thrown" });
			break;
		}
		// Drizzle's message embeds the parameters; its `query` holds the SQL with placeholders only.
		const message = e instanceof DrizzleQueryError ? `query failed: ${e.query}` : e.message;
		chain.push({ name: e.name, message, stack: framesOf(e) });
	}
	return chain;
}

/** What identifies a request in a log line: never its body, query string, headers or cookies. */
interface RequestFacts {
	requestId: string | undefined;
	method: string;
	path: string;
}

/** Writes one structured line for an unexpected error during a request. */
export function logUnexpectedError(error: unknown, request: RequestFacts): void {
	console.error(
		JSON.stringify({ level: "error", msg: "unexpected error", ...request, error: describeError(error) }),
	);
}

/**
 * Middleware that writes one JSON line per request once it is answered: request id, method, path (without
 * the query string), status and duration in milliseconds.
 */
export function requestLog(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
	return async (c, next) => {
		const started = performance.now();
		await next();
		console.log(
			JSON.stringify({
				level: "info",
				msg: "request",
				requestId: c.var.requestId,
				method: c.req.method,
				path: c.req.path,
				status: c.res.status,
				durationMs: Math.round(performance.now() - started),
			}),
		);
	};
}
