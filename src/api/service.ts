/**
 * Service routes: the welcome message (`GET /`, also the landing of the logout redirect) and the health
 * check (`GET /health`).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../http/app-env";
import { jsonResponse } from "./openapi";
import { Health, Welcome } from "./schemas";

/** Answers the welcome message. */
const welcome = (c: Context<AppEnv>) => c.json({ message: "Bienvenue" } as const, 200);

/** Routes about the service itself. */
export const serviceRoutes = new Hono<AppEnv>()
	.get(
		"/",
		describeRoute({
			tags: ["service"],
			summary: "Welcome",
			responses: { 200: jsonResponse("Welcome.", Welcome) },
		}),
		welcome,
	)
	// Logout answers 302 to `/`, and fetch (like `curl -L -X DELETE`) keeps the method when following a 302
	// from anything but POST, so the redirect must land on the welcome message either way.
	.delete(
		"/",
		describeRoute({
			tags: ["service"],
			summary: "Welcome, for clients that follow the logout redirect with DELETE",
			responses: { 200: jsonResponse("Welcome.", Welcome) },
		}),
		welcome,
	)
	.get(
		"/health",
		describeRoute({
			tags: ["service"],
			summary: "Health check",
			description: "Runs a trivial query against D1.",
			responses: {
				200: jsonResponse("The database answers: `ok`.", Health),
				503: jsonResponse("The database cannot be reached: `unavailable`.", Health),
			},
		}),
		async (c) =>
			(await c.var.auth.databaseIsReachable())
				? c.json({ status: "ok" } as const, 200)
				: c.json({ status: "unavailable" } as const, 503),
	);
