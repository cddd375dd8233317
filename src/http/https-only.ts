/**
 * HTTPS only, off the developer's machine: a plain-HTTP request to any host but localhost is answered
 * 308 to the same URL over HTTPS, so a session cookie is only ever set `Secure` there and nothing is
 * served in the clear. `wrangler dev` on localhost or 127.0.0.1 keeps working over HTTP.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** Hosts served over plain HTTP: the loopback names a local `wrangler dev` answers on. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Middleware that redirects plain HTTP to HTTPS for every host but a local one. */
export function httpsOnly(): MiddlewareHandler {
	return async function httpsOnly(c, next) {
		const url = new URL(c.req.url);
		if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) {
			url.protocol = "https:";
			url.port = "";
			return c.redirect(url.href, 308);
		}
		await next();
	};
}
