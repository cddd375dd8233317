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
		const session = await c.var.auth.logIn(email, password);
		if (session === null) {
			throw new AppError("INVALID_CREDENTIALS");
		}
		writeSessionCookie(c, session.sessionId, session.expiresAt);
		return c.json({ email: session.user.email, message: "logged in" });
	})
	.delete("/sessions", async (c) => {
		if (!(await c.var.auth.endSession(readSessionCookie(c)))) {
			throw new AppError("INVALID_SESSION");
		}
		clearSessionCookie(c);
		return c.redirect("/", 302);
	})
	.get("/profile", async (c) => {
		const sessionId = readSessionCookie(c);
		const session = await c.var.auth.validateSession(sessionId);
		if (session === null || sessionId === null) {
			throw new AppError("INVALID_SESSION");
		}
		if (session.renewed) {
			writeSessionCookie(c, sessionId, session.expiresAt);
		}
		return c.json({ email: session.user.email });
	});
