/**
 * The Worker's entry point: validates the configuration at start-up, serves the Hono app, and runs the
 * cron handler that purges spent throttle counters and expired sessions. A Worker's main module may only export handlers
 * (and types), so the app itself lives in `src/app.ts`.
 *
 * @module
 */
import { env } from "cloudflare:workers";
import { app } from "./app";
import { Auth } from "./auth/auth";
import { loadConfig } from "./config";

// Validate the configuration when the Worker starts: a bad value stops deployment (and `wrangler dev`)
// with the variable's name, instead of failing requests later.
loadConfig(env);

export type { AppType } from "./app";

export default {
	fetch: app.fetch,
	/** Cron trigger (see `wrangler.toml`): drops spent throttle counters and expired sessions. */
	async scheduled(_controller, env) {
		const purged = await Auth.fromD1(env.DB, loadConfig(env)).purgeExpired();
		console.log(JSON.stringify({ level: "info", msg: "purged expired rows", ...purged }));
	},
} satisfies ExportedHandler<Env>;
