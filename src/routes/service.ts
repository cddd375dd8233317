/**
 * Service routes: the welcome message (`GET /`, also the landing of the logout redirect) and the health
 * check (`GET /health`).
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { createRouter } from "../http/openapi";
import { Health, Welcome } from "../http/schemas";

const welcomeResponses = {
	200: { description: "Welcome.", content: { "application/json": { schema: Welcome } } },
} as const;

const getWelcome = createRoute({
	method: "get",
	path: "/",
	tags: ["service"],
	summary: "Welcome",
	responses: welcomeResponses,
});

// Logout answers 302 to `/`, and fetch (like `curl -L -X DELETE`) keeps the method when following a 302
// from anything but POST, so the redirect must land on the welcome message either way.
const deleteWelcome = createRoute({
	method: "delete",
	path: "/",
	tags: ["service"],
	summary: "Welcome, for clients that follow the logout redirect with DELETE",
	responses: welcomeResponses,
});

const health = createRoute({
	method: "get",
	path: "/health",
	tags: ["service"],
	summary: "Health check",
	description: "Runs a trivial query against D1.",
	responses: {
		200: { description: "The database answers.", content: { "application/json": { schema: Health } } },
		503: {
			description: "The database cannot be reached.",
			content: { "application/json": { schema: Health } },
		},
	},
});

/** Routes about the service itself. */
export const serviceRoutes = createRouter()
	.openapi(getWelcome, (c) => c.json({ message: "Bienvenue" } as const, 200))
	.openapi(deleteWelcome, (c) => c.json({ message: "Bienvenue" } as const, 200))
	.openapi(health, async (c) =>
		(await c.var.auth.databaseIsReachable())
			? c.json({ status: "ok" } as const, 200)
			: c.json({ status: "unavailable" } as const, 503),
	);
