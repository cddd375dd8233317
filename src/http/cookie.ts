/**
 * The cookies: the one place that reads and writes `session_id` (and the device and D1 bookmark cookies
 * beside it), so its attributes are always the same: `HttpOnly` (no script can read it), `SameSite=Lax`
 * (not sent on cross-site subrequests), `Path=/`, `Secure` unless the request came in the clear to a
 * development host (`src/local-host.ts`), and a `Max-Age` that matches the server-side expiry.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { DEVICE_COOKIE } from "../auth/device-cookie";
import { isClearLocal } from "../local-host";

/** Name of the cookie that carries the session id, as the API contract fixes it. */
export const SESSION_COOKIE = "session_id";

/** Attributes shared by setting and clearing the cookie, for the request being answered. */
function attributes(c: Context): CookieOptions {
	return {
		path: "/",
		httpOnly: true,
		sameSite: "Lax",
		// Plain HTTP reaches the routes only on a development host: everywhere else it was redirected.
		secure: !isClearLocal(c.req.url),
	};
}

/** Most `session_id` cookies one request may carry; more than that, and it has none. */
const MAX_SESSION_COOKIES = 3;

/**
 * Returns every session id the client sent: usually one, none when the cookie is absent or empty, and
 * several when another site of the same domain planted its own `session_id` beside ours.
 */
export function readSessionCookies(c: Context): string[] {
	const ids = sentSessionIds(c);
	return ids.length > MAX_SESSION_COOKIES ? [] : ids;
}

/** Every non-empty `session_id` value the request carries, however many. */
function sentSessionIds(c: Context): string[] {
	return (c.req.header("Cookie") ?? "")
		.split(";")
		.map((pair) => pair.trim())
		.filter((pair) => pair.startsWith(`${SESSION_COOKIE}=`))
		.map((pair) => safeDecode(pair.slice(SESSION_COOKIE.length + 1)))
		.filter((id) => id !== "");
}

/**
 * How many `session_id` cookies the request carries: `none`, `one`, or `several` (one planted beside ours
 * by another site of the same domain, say). Only a lone dead cookie may be cleared: with several, a
 * clearing `Set-Cookie` would delete the service's own host-only cookie and leave the planted one.
 */
export function sessionCookieCount(c: Context): "none" | "one" | "several" {
	const count = sentSessionIds(c).length;
	return count === 0 ? "none" : count === 1 ? "one" : "several";
}

/** Decodes a cookie value the way Hono does, keeping it as is when it is not valid percent-encoding. */
function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
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

/** How long a browser keeps its device cookie: long, since it only ever spares its owner a lockout. */
const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

/** Returns the device cookie the client sent, or `null`. */
export function readDeviceCookie(c: Context): string | null {
	return getCookie(c, DEVICE_COOKIE) || null;
}

/**
 * Sets the device cookie (see `src/auth/device-cookie.ts`): `HttpOnly`, `SameSite=Strict` (only the
 * service's own forms and clients need it), `Secure` over HTTPS.
 */
export function writeDeviceCookie(c: Context, value: string): void {
	setCookie(c, DEVICE_COOKIE, value, {
		...attributes(c),
		sameSite: "Strict",
		maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
	});
}

/** Name of the cookie that carries the D1 bookmark for browsers (see `src/http/d1-bookmark.ts`). */
const BOOKMARK_COOKIE = "d1_bookmark";

/**
 * How long a browser keeps the bookmark: replicas are meant to catch up far sooner, so an hour-old
 * bookmark asks for nothing a replica should lack, and dropping it then costs nothing.
 */
const BOOKMARK_COOKIE_MAX_AGE_SECONDS = 3600;

/** Returns the D1 bookmark cookie the client sent, or `null`. */
export function readBookmarkCookie(c: Context): string | null {
	return getCookie(c, BOOKMARK_COOKIE) || null;
}

/** Sets the D1 bookmark cookie, with the session cookie's attributes, for an hour. */
export function writeBookmarkCookie(c: Context, bookmark: string): void {
	setCookie(c, BOOKMARK_COOKIE, bookmark, { ...attributes(c), maxAge: BOOKMARK_COOKIE_MAX_AGE_SECONDS });
}
