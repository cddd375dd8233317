/**
 * The Worker: a Hono app that builds an {@link Auth} per request, mounts the route modules and maps every
 * error to a JSON response in one place.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { Auth } from "./auth/auth";
import { loadConfig } from "./config";
import { AppError, errorCatalog } from "./errors";
import { resetPasswordRoutes } from "./routes/reset-password";
import { sessionRoutes } from "./routes/sessions";
import { userRoutes } from "./routes/users";

const app = new Hono<AppEnv>()
	.use(async (c, next) => {
		c.set("auth", Auth.fromD1(c.env.DB, loadConfig(c.env)));
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
		return c.json({ message: error.publicMessage }, error.status);
	}
	console.error("unhandled error", error);
	return c.json({ message: errorCatalog.INTERNAL.message }, errorCatalog.INTERNAL.status);
});

/** The app's type, for Hono's typed `hc` client. */
export type AppType = typeof app;

export default app;
