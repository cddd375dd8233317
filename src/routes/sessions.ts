/**
 * Session routes: log in (`POST /sessions`), log out (`DELETE /sessions`) and the profile of the
 * logged-in user (`GET /profile`).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../http/cookie";
import { readFormFields } from "../http/form";

/** Routes that start, inspect and end sessions. */
export const sessionRoutes = new Hono<AppEnv>()
	.post("/sessions", async (c) => {
		const { email, password } = await readFormFields(c, ["email", "password"]);
		const sessionId = (await c.var.auth.validLogin(email, password))
			? await c.var.auth.createSession(email)
			: null;
		if (sessionId === null) {
			throw new AppError("INVALID_CREDENTIALS");
		}
		writeSessionCookie(c, sessionId);
		return c.json({ email, message: "logged in" });
	})
	.delete("/sessions", async (c) => {
		const user = await c.var.auth.getUserFromSessionId(readSessionCookie(c));
		if (user === null) {
			throw new AppError("INVALID_SESSION");
		}
		await c.var.auth.destroySession(user.id);
		clearSessionCookie(c);
		return c.redirect("/", 302);
	})
	.get("/profile", async (c) => {
		const user = await c.var.auth.getUserFromSessionId(readSessionCookie(c));
		if (user === null) {
			throw new AppError("INVALID_SESSION");
		}
		return c.json({ email: user.email });
	});
