/**
 * The protective headers of every answer: one list, computed once, set before the handler runs.
 *
 * Setting them up front is what keeps them cheap. Hono merges headers set before the answer exists into
 * the `Response` it builds, while a header set after the handler has answered makes Hono copy the whole
 * `Response` first: the generic secure-headers middleware and a `Cache-Control` set after `next()` cost
 * this service about a third of its `GET /` throughput (BENCHMARKS.md). A route may still replace any of
 * them with `c.header` (the pages set their own CSP and referrer policy).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** HSTS, sent only over HTTPS, where it means something: two years, subdomains included. */
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * What every answer carries. A JSON API: nothing may be framed, scripted or embedded, no referrer leaks a
 * path, and no cache keeps an answer (they carry sessions, tokens or per-user data).
 */
const PROTECTIVE_HEADERS: readonly (readonly [string, string])[] = [
	["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
	["X-Frame-Options", "DENY"],
	["X-Content-Type-Options", "nosniff"],
	["Referrer-Policy", "no-referrer"],
	["Cross-Origin-Resource-Policy", "same-origin"],
	["Cross-Origin-Opener-Policy", "same-origin"],
	["Origin-Agent-Cluster", "?1"],
	["X-DNS-Prefetch-Control", "off"],
	["X-Download-Options", "noopen"],
	["X-Permitted-Cross-Domain-Policies", "none"],
	// Turns off the legacy XSS auditor of old browsers, which could itself be abused to leak data.
	["X-XSS-Protection", "0"],
	["Cache-Control", "no-store"],
];

/** Middleware that gives every answer {@link PROTECTIVE_HEADERS}, and HSTS over HTTPS. */
export function protectiveHeaders(): MiddlewareHandler {
	return async function protectiveHeaders(c, next) {
		for (const [name, value] of PROTECTIVE_HEADERS) {
			c.header(name, value);
		}
		if (c.req.url.startsWith("https:")) {
			c.header("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
		}
		await next();
	};
}
