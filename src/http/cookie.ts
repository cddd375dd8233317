/**
 * The session cookie: the one place that reads and writes `session_id`, so its attributes are set
 * consistently.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** Name of the cookie that carries the session id, as the API contract fixes it. */
export const SESSION_COOKIE = "session_id";

/** Returns the session id the client sent, or `null` when the cookie is absent or empty. */
export function readSessionCookie(c: Context): string | null {
	return getCookie(c, SESSION_COOKIE) || null;
}

/** Sets the session cookie on the response to `sessionId`. */
export function writeSessionCookie(c: Context, sessionId: string): void {
	setCookie(c, SESSION_COOKIE, sessionId, { path: "/" });
}

/** Tells the client to drop its session cookie. */
export function clearSessionCookie(c: Context): void {
	deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
