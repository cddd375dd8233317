/**
 * The guard against a deployment that cannot be safe: the development configuration put online. A bare
 * `wrangler deploy` deploys the top level of `wrangler.toml`, which runs with the public development
 * secrets (they are in the source), a one-character password minimum and no verification. Served on a
 * host that is not a development one (`src/local-host.ts`), such a Worker answers every request 503
 * naming the fix, and logs it as an error, rather than hold accounts whose device cookies and throttle
 * keys anyone can forge.
 *
 * @module
 */
import type { Context } from "hono";
import type { Config } from "../config";
import { AppError } from "../errors";
import { isLocalHost } from "../local-host";
import { log } from "../log";

/** What to do about it, in the log line. */
const FIX =
	"deploy the production environment (npm run deploy), or set the secrets AUTH_SECRET and PASSWORD_PEPPER (npx wrangler secret put) if this configuration is really meant to be served";

/**
 * Throws when this request reaches a deployment running with the development secrets on a public host.
 * Costs nothing otherwise: the host is only looked at when the secrets are the development ones.
 *
 * @throws {AppError} `DEVELOPMENT_CONFIGURATION`, after an error log line naming the fix.
 */
export function refuseDevelopmentConfiguration(c: Context, config: Config): void {
	if (config.usesDevelopmentSecrets && !isLocalHost(new URL(c.req.url).hostname)) {
		log("error", "refused to serve the development configuration on a public host", {
			requestId: c.get("requestId") ?? null,
			path: c.req.path,
			fix: FIX,
		});
		throw new AppError("DEVELOPMENT_CONFIGURATION");
	}
}
