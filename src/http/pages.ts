/**
 * What the HTML pages share on the HTTP side: their Content-Security-Policy (only the Worker's own
 * stylesheet; no script, no other host), reading a posted form, the `next` parameter of the login page
 * (local paths only: no open redirect), and whether a page's visitor is logged in.
 *
 * @module
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import { currentSession, sendRenewedCookie } from "./session";

/** The pages' CSP: their own stylesheet and forms, nothing else; no inline style or script. */
export const PAGE_CSP = [
	"default-src 'none'",
	"style-src 'self'",
	"img-src 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'",
	"base-uri 'none'",
].join("; ");

/** Answers a page, with the pages' CSP and `status`, and `Retry-After` when the error carried one. */
export function renderPage<E extends AppEnv>(
	c: Context<E>,
	page: JSX.Element,
	status: ContentfulStatusCode = 200,
	error?: AppError,
): Response | Promise<Response> {
	c.header("Content-Security-Policy", PAGE_CSP);
	// Not the API's `no-referrer`: under it, browsers send `Origin: null` with a form post, which the
	// cross-site check must refuse. `same-origin` sends the real origin to this service and nothing to others.
	c.header("Referrer-Policy", "same-origin");
	if (error?.retryAfterSeconds !== undefined) {
		c.header("Retry-After", String(error.retryAfterSeconds));
	}
	return c.html(html`<!DOCTYPE html>${page}`, status);
}

/** Reads a posted form (urlencoded or multipart) as text fields; a field given twice keeps its first value. */
export async function readForm<E extends AppEnv>(c: Context<E>): Promise<Record<string, string>> {
	let body: Record<string, unknown>;
	try {
		body = await c.req.parseBody({ all: true });
	} catch (cause) {
		throw new AppError("INVALID_INPUT", "the form could not be parsed", {
			publicMessage: "malformed request body",
			cause,
		});
	}
	const fields: Record<string, string> = {};
	for (const [name, value] of Object.entries(body)) {
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first === "string") {
			fields[name] = first;
		}
	}
	return fields;
}

/**
 * Returns `next` when it is a path of this service (`/account`, not `//evil.example` nor
 * `https://evil.example`), so a login cannot be turned into a redirect elsewhere; `null` otherwise.
 */
export function localPath(next: string | undefined): string | null {
	if (next === undefined || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
		return null;
	}
	try {
		const base = "http://service.invalid";
		const url = new URL(next, base);
		return url.origin === base ? `${url.pathname}${url.search}` : null;
	} catch {
		return null;
	}
}

/** Whether an error is one the pages show in their form rather than a failure of the service. */
export function isShown(error: unknown): error is AppError {
	return error instanceof AppError && (error.status < 500 || error.code === "TOKEN_IN_RESPONSE_REFUSED");
}

/**
 * Whether the request comes from someone logged in (one round trip when it carries a session cookie); a
 * session the check renewed has its cookie sent again with the answer.
 */
export async function isLoggedIn<E extends AppEnv>(c: Context<E>): Promise<boolean> {
	const current = await currentSession(c);
	if (current !== null) {
		sendRenewedCookie(c, current.session, current.sessionId);
	}
	return current !== null;
}
