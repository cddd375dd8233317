/**
 * Baselines for the benchmark: the smallest Hono worker answering `GET /` with a JSON body like the
 * service's welcome route, and `GET /d1`, the same plus one indexed D1 lookup: the least a route that
 * makes one round trip to D1 can cost.
 *
 * @module
 */
import { Hono } from "hono";

export default new Hono<{ Bindings: { DB: D1Database } }>()
	.get("/", (c) => c.json({ message: "Bienvenue" }))
	.get("/d1", async (c) => {
		const row = await c.env.DB.prepare("SELECT k FROM t WHERE k = ?").bind(crypto.randomUUID()).first();
		return c.json({ found: row !== null });
	});
