/**
 * The session of the request, the one place the HTTP layer deals with it, for the API and the pages
 * alike: {@link RequestSessionCookie} resolves the `session_id` cookie once per request, on first use
 * (one round trip), starts the session a login or sign-up opens (ending the one the browser held),
 * ends it (logout), clears a lone dead cookie, and sends the cookie again when the check renewed the
 * session. The guards turn "no session" into the API's 403 ({@link requireSession}) or the pages' 303 to
 * the login page ({@link requirePageSession}); either sets `c.var.session` for the handler.
 *
 * Several `session_id` cookies (one planted by another site of the same domain, say) count as a session
 * only when exactly one of them is live, and none is ever cleared: a clearing `Set-Cookie` would delete
 * the service's own host-only cookie and keep the planted one.
 *
 * @module
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Auth, NewSession, Session } from "../auth/auth";
import { AppError } from "../errors";
import {
	clearSessionCookie,
	readSessionCookies,
	SESSION_COOKIE,
	sessionCookieCount,
	writeDeviceCookie,
	writeSessionCookie,
} from "./cookie";

/** What the guards need of the request's context: its session cookie; they set `session`. */
interface Guarded {
	Variables: { sessionCookie: RequestSessionCookie; session: Session };
}

/** A session resolved from the cookie, with the raw id it came with. */
interface Resolved {
	readonly session: Session;
	readonly sessionId: string;
}

/** The session cookie of one request: resolved once, started, ended; see the module's description. */
export class RequestSessionCookie {
	readonly #c: Context;
	readonly #sessions: Auth["sessions"];
	#resolved: Promise<Resolved | null> | undefined;

	/** Builds it over the request and its {@link Auth}; nothing is read until {@link session} is asked. */
	constructor(c: Context, auth: Auth) {
		this.#c = c;
		this.#sessions = auth.sessions;
	}

	/** How many `session_id` cookies the request carries: `none`, `one` or `several`. */
	get count(): "none" | "one" | "several" {
		return sessionCookieCount(this.#c);
	}

	/**
	 * The request's live session, or `null`: resolved on the first call only, in one round trip (none
	 * without a cookie), renewed by the check when due.
	 */
	session(): Promise<Session | null> {
		this.#resolved ??= this.#sessions.resolveAmong(readSessionCookies(this.#c));
		return this.#resolved.then((resolved) => resolved?.session ?? null);
	}

	/**
	 * Starts the session a login or sign-up opened on this device: ends the one the browser held, if
	 * any (so no copy of its cookie stays live), and sets the session and device cookies.
	 */
	async start(started: { readonly session: NewSession; readonly deviceCookie: string }): Promise<void> {
		if (this.count !== "none") {
			await this.#sessions.end(await this.#idToEnd());
		}
		this.replaceWith(started);
	}

	/**
	 * Sets the cookies of a session that replaced this device's (a password change, which ended the
	 * old one itself).
	 */
	replaceWith(started: { readonly session: NewSession; readonly deviceCookie: string }): void {
		writeSessionCookie(this.#c, started.session.sessionId, started.session.expiresAt);
		writeDeviceCookie(this.#c, started.deviceCookie);
	}

	/**
	 * Ends this device's session (`current`) or every session of its user (`everywhere`), in one
	 * conditional delete without a lookup first when the request carries one cookie, and clears the
	 * cookie. Returns whether there was a live session to end.
	 */
	async end(scope: "current" | "everywhere"): Promise<boolean> {
		const sessionId = await this.#idToEnd();
		const sessions = this.#sessions;
		const ended =
			scope === "current" ? await sessions.end(sessionId) : await sessions.endEverywhere(sessionId);
		this.clear();
		return ended;
	}

	/** Clears the cookie of a session that ended (a deletion, a logout from the session list), unless several arrived. */
	clear(): void {
		if (this.count !== "several") {
			clearSessionCookie(this.#c);
		}
	}

	/**
	 * The session for a page that serves anyone (the login page, a link's page): as {@link session}, and
	 * a lone cookie that names no live session is cleared, so the browser stops sending it.
	 */
	async forPage(): Promise<Session | null> {
		const session = await this.session();
		if (session === null) {
			await this.forgetIfDead();
		}
		return session;
	}

	/** Clears a lone cookie that names no live session, so the browser stops sending it; says whether it did. */
	async forgetIfDead(): Promise<boolean> {
		if (this.count !== "one" || (await this.session()) !== null) {
			return false;
		}
		clearSessionCookie(this.#c);
		return true;
	}

	/**
	 * Once the answer is built: sends the cookie again when the check renewed the session, unless the
	 * answer already sets or clears it (a login, a logout, a new session): one `Set-Cookie` for
	 * `session_id` per answer.
	 */
	async finish(): Promise<void> {
		// A check that failed (D1 unavailable, say) was the handler's to answer: nothing to send again.
		const resolved = this.#resolved === undefined ? null : await this.#resolved.catch(() => null);
		if (resolved === null || !resolved.session.renewed) {
			return;
		}
		// The header folds several cookies into one comma-separated value; ours carry no comma (Max-Age, no Expires).
		const alreadySet = new RegExp(`(^|,\\s*)${SESSION_COOKIE}=`).test(
			this.#c.res.headers.get("Set-Cookie") ?? "",
		);
		if (!alreadySet) {
			writeSessionCookie(this.#c, resolved.sessionId, resolved.session.expiresAt);
		}
	}

	/**
	 * The id of the session to end, without looking it up when the request carries one cookie: that
	 * cookie's id; with several, the one that is live, if exactly one is.
	 */
	async #idToEnd(): Promise<string | null> {
		const ids = readSessionCookies(this.#c);
		if (ids.length <= 1) {
			return ids[0] ?? null;
		}
		await this.session();
		return (await this.#resolved)?.sessionId ?? null;
	}
}

/** The variable the guards set: the request's live session. */
export interface SessionVariables {
	Variables: { session: Session };
}

/**
 * The API's guard: answers 403 `invalid session` unless the request carries a live session, which the
 * handler then finds in `c.var.session`.
 *
 * @throws {AppError} `INVALID_SESSION` for a missing, unknown or expired session.
 */
export const requireSession = createMiddleware<Guarded>(async function requireSession(c, next) {
	const session = await c.var.sessionCookie.session();
	if (session === null) {
		throw new AppError("INVALID_SESSION");
	}
	c.set("session", session);
	await next();
});

/**
 * The pages' guard: without a live session, 303 to the login page, which comes back to this page (a
 * lone dead cookie is cleared, and the login page then says this device was logged out); with one, the
 * handler finds it in `c.var.session`.
 */
export const requirePageSession = createMiddleware<Guarded>(async function requirePageSession(c, next) {
	const session = await c.var.sessionCookie.session();
	if (session === null) {
		// A page comes back to itself; a form posted to it, to the account page.
		const url = new URL(c.req.url);
		const back = c.req.method === "GET" ? `${url.pathname}${url.search}` : "/account";
		const signedOut = await c.var.sessionCookie.forgetIfDead();
		return c.redirect(`/login?next=${encodeURIComponent(back)}${signedOut ? "&notice=signed-out" : ""}`, 303);
	}
	c.set("session", session);
	await next();
});
