/**
 * The middleware of routes that need a logged-in user: it reads the `session_id` cookie, checks the
 * session with `auth.sessions.validate` (one round trip), sends the cookie again when the session was
 * renewed, and hands the session to the handler as `c.var.session`.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { Session } from "../auth/auth";
import { AppError } from "../errors";
import { readSessionCookie, writeSessionCookie } from "./cookie";

/** The variable {@link requireSession} sets. */
export interface SessionVariables {
	Variables: { session: Session };
}

/**
 * Middleware that answers 403 `invalid session` unless the request carries a live session.
 *
 * @throws {AppError} `INVALID_SESSION` for a missing, unknown or expired session.
 */
export const requireSession = createMiddleware<AppEnv & SessionVariables>(
	async function requireSession(c, next) {
		const sessionId = readSessionCookie(c);
		const session = await c.var.auth.sessions.validate(sessionId);
		if (session === null || sessionId === null) {
			throw new AppError("INVALID_SESSION");
		}
		if (session.renewed) {
			writeSessionCookie(c, sessionId, session.expiresAt);
		}
		c.set("session", session);
		await next();
	},
);
