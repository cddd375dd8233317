/**
 * The Worker's entry point: validates the configuration at start-up, serves the Hono app, runs the cron
 * handler that purges what has expired, and consumes the email queue. A Worker's main module may only export handlers
 * (and types), so the app itself lives in `src/app.ts`.
 *
 * @module
 */
import { env } from "cloudflare:workers";
import { app } from "./app";
import { Auth } from "./auth/auth";
import { loadConfig } from "./config";
import { log } from "./log";
import { deliverEmails, reportUndeliverable } from "./queue/consumer";

// Validate the configuration when the Worker starts: a bad value stops deployment (and `wrangler dev`)
// with the variable's name, instead of failing requests later.
loadConfig(env);

export type { AppType } from "./app";

/** How the dead-letter queue's name ends (see `wrangler.toml`). */
const DEAD_LETTER_SUFFIX = "-dlq";

export default {
	fetch: app.fetch,
	/** Cron trigger (see `wrangler.toml`): drops expired counters, sessions and tokens. */
	async scheduled(_controller, env) {
		log("info", "purged expired rows", { ...(await Auth.fromEnv(env).purgeExpired()) });
	},
	/**
	 * The email queue's consumer (`email` mode; see `src/queue/consumer.ts`), and its dead-letter queue's,
	 * which reports the messages that could not be sent.
	 */
	async queue(batch, env) {
		if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
			reportUndeliverable(batch);
		} else {
			await deliverEmails(batch, env);
		}
	},
} satisfies ExportedHandler<Env>;
