/**
 * The session cookie: the one place that reads and writes `session_id`, so its attributes are always the
 * same: `HttpOnly` (no script can read it), `SameSite=Lax` (not sent on cross-site subrequests), `Path=/`,
 * `Secure` whenever the request came over HTTPS, and a `Max-Age` that matches the server-side expiry.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";

/** Name of the cookie that carries the session id, as the API contract fixes it. */
export const SESSION_COOKIE = "session_id";

/** Attributes shared by setting and clearing the cookie, for the request being answered. */
function attributes(c: Context): CookieOptions {
	return {
		path: "/",
		httpOnly: true,
		sameSite: "Lax",
		secure: new URL(c.req.url).protocol === "https:",
	};
}

/** Returns the session id the client sent, or `null` when the cookie is absent or empty. */
export function readSessionCookie(c: Context): string | null {
	return getCookie(c, SESSION_COOKIE) || null;
}

/** Sets the session cookie to `sessionId`, to be kept by the client until `expiresAt`. */
export function writeSessionCookie(c: Context, sessionId: string, expiresAt: Date): void {
	const maxAge = Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 1000));
	setCookie(c, SESSION_COOKIE, sessionId, { ...attributes(c), maxAge });
}

/** Tells the client to drop its session cookie (`Max-Age=0`). */
export function clearSessionCookie(c: Context): void {
	deleteCookie(c, SESSION_COOKIE, attributes(c));
}
