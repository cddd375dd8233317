/**
 * Refusal of cross-site state-changing requests. Unlike Hono's `csrf()`, a request that carries neither
 * `Origin` nor `Sec-Fetch-Site` is served: curl, scripts and server-side clients send neither, while a
 * browser sends at least one of them on every cross-site POST, PUT or DELETE.
 *
 * @module
 */
import type { Context, Env, MiddlewareHandler } from "hono";
import { reportedNetwork } from "../auth/network";
import { AppError } from "../errors";
import { log } from "../log";

/** HTTP's safe methods (RFC 9110): a request with one of them changes nothing. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** `Sec-Fetch-Site` values that mean the request did not come from another site. */
const SAME_SITE_FETCH = new Set(["same-origin", "none"]);

/**
 * Returns middleware that answers 403 to a state-changing request whose `Origin` is present and is neither
 * the service's own nor in `allowedOrigins`, or, without `Origin`, whose `Sec-Fetch-Site` is present and
 * not `same-origin`/`none`. An allow-listed `Origin` is served whatever `Sec-Fetch-Site` says, since such a
 * front end is cross-site by nature.
 */
export function refuseCrossSite<E extends Env>(
	allowedOrigins: (c: Context<E>) => readonly string[],
): MiddlewareHandler<E> {
	return async function refuseCrossSite(c, next) {
		if (!SAFE_METHODS.has(c.req.method)) {
			const origin = c.req.header("Origin");
			const fetchSite = c.req.header("Sec-Fetch-Site");
			const allowed =
				origin !== undefined
					? origin === new URL(c.req.url).origin || allowedOrigins(c).includes(origin)
					: fetchSite === undefined || SAME_SITE_FETCH.has(fetchSite);
			if (!allowed) {
				const ip = c.req.header("CF-Connecting-IP");
				log("info", "security event", {
					requestId: c.get("requestId") ?? null,
					event: "cross_site.refused",
					outcome: "refused",
					account: null,
					network: ip === undefined ? null : reportedNetwork(ip),
				});
				throw new AppError(
					"CROSS_SITE_REQUEST",
					`refused ${c.req.method} with Origin ${origin ?? "-"} and Sec-Fetch-Site ${fetchSite ?? "-"}`,
				);
			}
		}
		await next();
	};
}
