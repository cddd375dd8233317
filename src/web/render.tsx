/**
 * What the HTML pages share: rendering one (their Content-Security-Policy: only the Worker's own
 * stylesheet, no script, no other host; the site's name), reading a posted form, the `next` parameter of
 * the login page (local paths only: no open redirect), the development links of `response` mode, and
 * the HTML page of an error.
 *
 * @module
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Config, DEFAULT_SERVICE_NAME } from "../config";
import { AppError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { readRawBody } from "../http/input";
import { setDocumentHeaders } from "../http/response-headers";
import { capitalize } from "./views/forms";
import { ErrorPage, SiteContext } from "./views/layout";

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
	setDocumentHeaders(c);
	c.header("Content-Security-Policy", PAGE_CSP);
	// Not the API's `no-referrer`: under it, browsers send `Origin: null` with a form post, which the
	// cross-site check must refuse. `strict-origin` sends the real origin with a post, and as `Referer` only
	// the origin: never a link's path or query, where reset and verification tokens travel.
	c.header("Referrer-Policy", "strict-origin");
	if (error?.retryAfterSeconds !== undefined) {
		c.header("Retry-After", String(error.retryAfterSeconds));
	}
	// The configuration is missing only when reading it is what failed: the error page still renders.
	const config = c.get("config") as Config | undefined;
	const site = { serviceName: config?.serviceName ?? DEFAULT_SERVICE_NAME, now: new Date() };
	return c.html(
		html`<!DOCTYPE html>${<SiteContext.Provider value={site}>{page}</SiteContext.Provider>}`,
		status,
	);
}

/**
 * Reads a posted form (urlencoded or multipart; JSON too, as the API does) as text fields; a field given
 * twice keeps its first value.
 *
 * @throws {AppError} as the API's body reader does, for a body that cannot be read.
 */
export async function readForm<E extends AppEnv>(c: Context<E>): Promise<Record<string, string>> {
	const body = await readRawBody(c);
	const fields: Record<string, string> = {};
	for (const [name, value] of Object.entries(typeof body === "object" && body !== null ? body : {})) {
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first === "string") {
			fields[name] = first;
		}
	}
	return fields;
}

/**
 * Returns `next` when it is a path of this service (`/account`, not `//evil.example` nor
 * `https://evil.example`), so a login cannot be turned into a redirect elsewhere; `null` otherwise. The
 * path is judged as resolved, since resolving removes dot segments: `/.//evil.example` becomes
 * `//evil.example`, which a browser reads as another host.
 */
export function localPath(next: string | undefined): string | null {
	if (next === undefined || !next.startsWith("/") || next.includes("\\")) {
		return null;
	}
	try {
		const base = "http://service.invalid";
		const url = new URL(next, base);
		const path = `${url.pathname}${url.search}`;
		return url.origin === base && !path.startsWith("//") ? path : null;
	} catch {
		return null;
	}
}

/** The paths a development link may lead to: the pages of the links the service emails. */
const LINK_PAGES = ["/verify-email?", "/confirm-email?", "/reset-password?"];

/**
 * The path of the "check your email" page for a request of kind `sent`, with the link itself in
 * `response` mode (local development, where the service hands tokens back): what a form redirects to
 * once it has asked for a link, so a reload of the page it lands on asks for nothing again.
 */
export function checkEmailPath(sent: string, developmentLink?: string): string {
	const query = new URLSearchParams({ for: sent });
	if (developmentLink !== undefined) {
		query.set("dev_link", developmentLink);
	}
	return `/check-email?${query}`;
}

/**
 * The development link a page was sent with (`?dev_link=`): only in `response` mode, and only a path to
 * one of the link pages of this service, so the parameter can show nothing else. `null` otherwise.
 */
export function developmentLinkOf<E extends AppEnv>(c: Context<E>): string | null {
	const link = localPath(c.req.query("dev_link"));
	if (link === null || c.var.config.tokenDelivery !== "response") {
		return null;
	}
	return LINK_PAGES.some((page) => link.startsWith(page)) ? link : null;
}

/**
 * Whether an error is one the pages show in their form (a refusal the visitor can act on) rather than a
 * failure of the service, which the app's error boundary answers ({@link renderErrorPage}).
 */
export function isShown(error: unknown): error is AppError {
	return error instanceof AppError && error.status < 500;
}

/**
 * The HTML page of an error the app's error boundary caught on a page's path (a refused token hand-out,
 * a malformed or cross-site form, a failure of the service): the catalog's status and message, not the
 * API's JSON.
 */
export function renderErrorPage<E extends AppEnv>(
	c: Context<E>,
	known: AppError,
): Response | Promise<Response> {
	const message = capitalize(known.publicMessage);
	// Whether someone is logged in is not looked up: the database may be what failed.
	return renderPage(c, <ErrorPage message={`${message}.`} loggedIn={false} />, known.status, known);
}
