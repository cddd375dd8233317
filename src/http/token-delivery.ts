/**
 * The guard of the routes that answer a token in `response` mode (the original exercise): handing a
 * reset token to whoever asks is safe on a laptop only. Such a request arriving for a host other than a
 * development one (`src/local-host.ts`) means a deployment with the development configuration, so it is refused with 503 and an
 * error log line that names the fix, unless the operator opted in with `ALLOW_TOKEN_IN_RESPONSE`.
 *
 * @module
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import { isLocalHost } from "../local-host";
import { log } from "../log";
import type { AppEnv } from "./app-env";

/**
 * Throws when this request may not be answered a token in `response` mode: it arrives for a public host
 * (plain HTTP to one is redirected before it gets here) and the operator has not opted in.
 *
 * @throws {AppError} `TOKEN_IN_RESPONSE_REFUSED`, after an error log line that names the fix.
 */
export function refuseTokenOnPublicHost(c: Context<AppEnv>): void {
	const { config } = c.var;
	// Keyed on the host, not the scheme: a token must not depend on which of the two the client picked.
	if (
		config.tokenDelivery === "response" &&
		!config.allowTokenInResponse &&
		!isLocalHost(new URL(c.req.url).hostname)
	) {
		log("error", "refused to answer a token in a response on a public host", {
			requestId: c.var.requestId,
			path: c.req.path,
			fix: 'deploy the production environment (npm run deploy), whose TOKEN_DELIVERY = "email", or set ALLOW_TOKEN_IN_RESPONSE = "true" if handing tokens to any caller is really intended',
		});
		throw new AppError("TOKEN_IN_RESPONSE_REFUSED");
	}
}

/**
 * Middleware of the routes that may answer a token: see {@link refuseTokenOnPublicHost}.
 *
 * @throws {AppError} `TOKEN_IN_RESPONSE_REFUSED`.
 */
export const refuseTokenInResponseOnPublicHost = createMiddleware<AppEnv>(
	async function refuseTokenInResponseOnPublicHost(c, next) {
		refuseTokenOnPublicHost(c);
		await next();
	},
);
