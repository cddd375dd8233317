/**
 * The session of the request: reading it from the `session_id` cookie and checking it with
 * `auth.sessions.validate` (one round trip), the middleware of routes that need one, and sending the
 * cookie again when the check renewed the session.
 *
 * @module
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { Session } from "../auth/auth";
import { AppError } from "../errors";
import { readSessionCookie, readSessionCookies, SESSION_COOKIE, writeSessionCookie } from "./cookie";

/** The variable {@link requireSession} sets. */
export interface SessionVariables {
	Variables: { session: Session };
}

/** Returns the request's live session with the raw id from its cookie, or `null`. */
export async function currentSession<E extends AppEnv>(
	c: Context<E>,
): Promise<{ session: Session; sessionId: string } | null> {
	return c.var.auth.sessions.resolveAmong(readSessionCookies(c));
}

/**
 * The id of the session a logout ends, without looking it up when the request carries one cookie: that
 * cookie's id; with several (one planted beside ours), the one that is live, if exactly one is.
 */
export async function sessionIdToEnd<E extends AppEnv>(c: Context<E>): Promise<string | null> {
	return readSessionCookies(c).length > 1
		? ((await currentSession(c))?.sessionId ?? null)
		: readSessionCookie(c);
}

/**
 * Sends the session cookie again with the renewed expiry, unless the answer already sets or clears the
 * cookie (a logout, a deletion, a new session): one `Set-Cookie` for `session_id` per answer.
 */
export function sendRenewedCookie<E extends AppEnv>(
	c: Context<E>,
	session: Session,
	sessionId: string,
): void {
	if (!session.renewed) {
		return;
	}
	// The header folds several cookies into one comma-separated value; ours carry no comma (Max-Age, no Expires).
	const alreadySet = new RegExp(`(^|,\\s*)${SESSION_COOKIE}=`).test(c.res.headers.get("Set-Cookie") ?? "");
	if (!alreadySet) {
		writeSessionCookie(c, sessionId, session.expiresAt);
	}
}

/**
 * Middleware that answers 403 `invalid session` unless the request carries a live session, which the
 * handler then finds in `c.var.session`; a renewed session's cookie is sent again with the answer.
 *
 * @throws {AppError} `INVALID_SESSION` for a missing, unknown or expired session.
 */
export const requireSession = createMiddleware<AppEnv & SessionVariables>(
	async function requireSession(c, next) {
		const current = await currentSession(c);
		if (current === null) {
			throw new AppError("INVALID_SESSION");
		}
		c.set("session", current.session);
		await next();
		sendRenewedCookie(c, current.session, current.sessionId);
	},
);
