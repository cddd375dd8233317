/**
 * The guard of the routes that answer a token in `response` mode (the original exercise): handing a
 * reset token to whoever asks is safe on a laptop only. Such a request arriving for a host other than
 * localhost means a deployment with the development configuration, so it is refused with 503 and an
 * error log line that names the fix, unless the operator opted in with `ALLOW_TOKEN_IN_RESPONSE`.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { loadConfig } from "../config";
import { AppError } from "../errors";
import { log } from "../log";
import { LOCAL_HOSTS } from "./https-only";

/**
 * Middleware that refuses a `response`-mode token hand-out on a public HTTPS host.
 *
 * @throws {AppError} `TOKEN_IN_RESPONSE_REFUSED`.
 */
export const refuseTokenInResponseOnPublicHost = createMiddleware<AppEnv>(
	async function refuseTokenInResponseOnPublicHost(c, next) {
		const config = loadConfig(c.env);
		const url = new URL(c.req.url);
		// Keyed on the host, not the scheme: plain HTTP to a public host is redirected before it gets here,
		// and a token must not depend on which of the two the client picked.
		if (
			config.tokenDelivery === "response" &&
			!config.allowTokenInResponse &&
			!LOCAL_HOSTS.has(url.hostname)
		) {
			log("error", "refused to answer a token in a response on a public host", {
				requestId: c.var.requestId,
				path: c.req.path,
				fix: 'deploy the production environment (npm run deploy), whose TOKEN_DELIVERY = "email", or set ALLOW_TOKEN_IN_RESPONSE = "true" if handing tokens to any caller is really intended',
			});
			throw new AppError("TOKEN_IN_RESPONSE_REFUSED");
		}
		await next();
	},
);
