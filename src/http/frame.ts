/**
 * The frame of every request, in one middleware: what each request needs before and after its route,
 * paid once. It tags the request with an id (the client's `X-Request-Id` when well formed, else a new
 * UUID; sent back in the same header), sends plain HTTP off localhost to HTTPS, sets the protective
 * headers, and writes the request's log line once it is answered. One middleware instead of four: each
 * layer of Hono middleware adds a call and a promise to every request, `GET /` included.
 *
 * Every request that may write, and every answer but a success, is logged. A successful read (a request
 * with one of HTTP's safe methods answered 2xx: a session check, a page, the welcome route) is not: its line would say nothing
 * about a change or a failure, Workers Analytics counts those requests anyway, and the line was the
 * largest fixed cost of a request (README, "Performance"). What happens to an account is logged apart,
 * as security events, whatever the method.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import { SAFE_METHODS } from "./cross-site";
import { httpsRedirect } from "./https-only";
import { logRequest } from "./log";
import { setProtectiveHeaders } from "./response-headers";

/** The header that carries the request id, both ways. */
const REQUEST_ID_HEADER = "X-Request-Id";

/** What a client's own request id may look like: short, and safe to put in a log line. */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The request's id: the client's, when it sent a well-formed one, else a new UUID. */
function requestIdOf(sent: string | undefined): string {
	return sent !== undefined && CLIENT_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
}

/** Middleware that frames every request: id, HTTPS, protective headers, log line. */
export function requestFrame(): MiddlewareHandler<{ Variables: RequestIdVariables }> {
	return async function requestFrame(c, next) {
		const started = performance.now();
		const requestId = requestIdOf(c.req.header(REQUEST_ID_HEADER));
		c.set("requestId", requestId);
		c.header(REQUEST_ID_HEADER, requestId);
		const redirect = httpsRedirect(c.req.url);
		if (redirect !== null) {
			logRequest(c, requestId, 308, started);
			return c.redirect(redirect, 308);
		}
		setProtectiveHeaders(c);
		await next();
		const status = c.res.status;
		if (status >= 300 || !SAFE_METHODS.has(c.req.method)) {
			logRequest(c, requestId, status, started);
		}
	};
}
