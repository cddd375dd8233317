/**
 * The protective headers of every answer: one list, computed once, set before the handler runs (by the
 * request frame, `src/http/frame.ts`).
 *
 * Setting them up front is what keeps them cheap. Hono merges headers set before the answer exists into
 * the `Response` it builds, while a header set after the handler has answered makes Hono copy the whole
 * `Response` first. A route may still replace any of them with `c.header` (the pages set their own CSP
 * and referrer policy, and add what only documents need).
 *
 * @module
 */
import type { Context } from "hono";

/** HSTS, sent only over HTTPS, where it means something: two years, subdomains included. */
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * What every answer carries: the headers OWASP's REST Security Cheat Sheet lists for API responses
 * (`Cache-Control: no-store`, a CSP with `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`,
 * `X-Frame-Options: DENY`; HSTS below), a CSP that lets nothing load, no referrer, and CORP so no other
 * site can load an answer (which may carry per-user data) into its own page.
 */
const PROTECTIVE_HEADERS: readonly (readonly [string, string])[] = [
	["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
	["X-Frame-Options", "DENY"],
	["X-Content-Type-Options", "nosniff"],
	["Referrer-Policy", "no-referrer"],
	["Cross-Origin-Resource-Policy", "same-origin"],
	["Cache-Control", "no-store"],
];

/**
 * What only an HTML document reads, so only the pages send it (see {@link setDocumentHeaders}): a JSON
 * answer is never a browsing context, never prefetches links and is never opened as a download. Each
 * header costs every answer the time to write, send and parse it, which is why the API goes without.
 */
const DOCUMENT_HEADERS: readonly (readonly [string, string])[] = [
	["Cross-Origin-Opener-Policy", "same-origin"],
	["Origin-Agent-Cluster", "?1"],
	["X-DNS-Prefetch-Control", "off"],
	["X-Download-Options", "noopen"],
	["X-Permitted-Cross-Domain-Policies", "none"],
	// Turns off the legacy XSS auditor of old browsers, which could itself be abused to leak data.
	["X-XSS-Protection", "0"],
];

/** Adds the headers only an HTML document needs ({@link DOCUMENT_HEADERS}) to the answer being built. */
export function setDocumentHeaders(c: Context): void {
	for (const [name, value] of DOCUMENT_HEADERS) {
		c.header(name, value);
	}
}

/** Gives the answer being built {@link PROTECTIVE_HEADERS}, and HSTS over HTTPS. */
export function setProtectiveHeaders(c: Context): void {
	for (const [name, value] of PROTECTIVE_HEADERS) {
		c.header(name, value);
	}
	if (c.req.url.startsWith("https:")) {
		c.header("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
	}
}

/**
 * Sets a header on the answer the handler already built. Done on the answer itself, since `c.header` at
 * this point makes Hono copy the whole `Response`; an answer whose headers cannot change (one fetched
 * from elsewhere) is copied after all, rather than turned into an error.
 */
export function setOnAnswer(c: Context, name: string, value: string): void {
	try {
		c.res.headers.set(name, value);
	} catch {
		c.header(name, value);
	}
}
