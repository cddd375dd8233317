/**
 * The Worker: a Hono app that adds protective headers, limits body size, refuses cross-site writes,
 * builds an {@link Auth} per request, mounts the route modules and maps every error to a JSON response
 * in one place; plus a cron handler that purges spent throttle counters.
 *
 * @module
 */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";
import { Auth } from "./auth/auth";
import { loadConfig } from "./config";
import { AppError, errorCatalog } from "./errors";
import { refuseCrossSite } from "./http/cross-site";
import { logUnexpectedError } from "./http/log";
import { resetPasswordRoutes } from "./routes/reset-password";
import { sessionRoutes } from "./routes/sessions";
import { userRoutes } from "./routes/users";

// Validate the configuration when the Worker starts: a bad value stops deployment (and `wrangler dev`)
// with the variable's name, instead of failing requests later.
loadConfig(env);

// The main module may only export handlers and types, so this stays module-private.
/** Largest request body accepted; the forms this API takes are a few hundred bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;

const app = new Hono<AppEnv>()
	.use(
		secureHeaders({
			// A JSON API: nothing may be framed, scripted or embedded.
			contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
			xFrameOptions: "DENY",
			referrerPolicy: "no-referrer",
			// Sent below, and only over HTTPS, where it means something.
			strictTransportSecurity: false,
		}),
	)
	.use(async (c, next) => {
		await next();
		// Answers carry sessions, tokens or per-user data: no cache may keep them.
		c.header("Cache-Control", "no-store");
		if (new URL(c.req.url).protocol === "https:") {
			c.header("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
		}
	})
	.use(
		bodyLimit({
			maxSize: BODY_LIMIT_BYTES,
			onError: () => {
				throw new AppError("PAYLOAD_TOO_LARGE");
			},
		}),
	)
	.use(refuseCrossSite((env) => loadConfig(env).allowedOrigins))
	.use(async (c, next) => {
		const clientIp = c.req.header("CF-Connecting-IP") ?? null;
		c.set("auth", Auth.fromD1(c.env.DB, loadConfig(c.env), { clientIp }));
		await next();
	})
	// DELETE too: logout answers 302 to `/`, and fetch (like `curl -L -X DELETE`) keeps the method when
	// following a 302 from anything but POST, so the redirect must land on the welcome message either way.
	.on(["GET", "DELETE"], "/", (c) => c.json({ message: "Bienvenue" }))
	.route("/", userRoutes)
	.route("/", sessionRoutes)
	.route("/", resetPasswordRoutes);

app.notFound((c) => c.json({ message: errorCatalog.NOT_FOUND.message }, errorCatalog.NOT_FOUND.status));

app.onError((error, c) => {
	if (error instanceof AppError) {
		if (error.retryAfterSeconds !== undefined) {
			c.header("Retry-After", String(error.retryAfterSeconds));
		}
		return c.json({ message: error.publicMessage }, error.status);
	}
	if (error instanceof HTTPException && error.status < 500) {
		return c.json({ message: error.message || "bad request" }, error.status);
	}
	logUnexpectedError(error, { method: c.req.method, path: c.req.path });
	return c.json({ message: errorCatalog.INTERNAL.message }, errorCatalog.INTERNAL.status);
});

/** The app's type, for Hono's typed `hc` client. */
export type AppType = typeof app;

export default {
	fetch: app.fetch,
	/** Cron trigger (see `wrangler.toml`): drops throttle counters whose window has ended. */
	async scheduled(_controller, env) {
		const purged = await Auth.fromD1(env.DB, loadConfig(env)).purgeExpiredCounters();
		console.log(JSON.stringify({ level: "info", msg: "purged expired throttle counters", purged }));
	},
} satisfies ExportedHandler<Env>;
