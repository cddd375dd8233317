/**
 * Session routes: log in (`POST /sessions`), log out (`DELETE /sessions`) and the profile of the
 * logged-in user (`GET /profile`).
 *
 * @module
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../errors";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../http/cookie";
import {
	createRouter,
	errorResponses,
	formOrJson,
	isJsonRequest,
	requireBody,
	SESSION_COOKIE_SCHEME,
} from "../http/openapi";
import { Credentials, EmailMessage, Profile } from "../http/schemas";

const sessionCookieHeader = z.string().openapi({
	description: "`session_id=<uuid>; Max-Age=…; Path=/; HttpOnly; SameSite=Lax`, plus `Secure` over HTTPS.",
});

const logIn = createRoute({
	method: "post",
	path: "/sessions",
	tags: ["sessions"],
	summary: "Log in",
	description: "Checks the credentials and starts a session carried by the `session_id` cookie.",
	middleware: [requireBody(Credentials)] as const,
	request: { body: formOrJson(Credentials) },
	responses: {
		200: {
			description: "Logged in; the session id is in the `session_id` cookie.",
			headers: z.object({ "Set-Cookie": sessionCookieHeader }),
			content: {
				"application/json": { schema: EmailMessage, example: { email: "bob@me.com", message: "logged in" } },
			},
		},
		...errorResponses(
			"INVALID_INPUT",
			"INVALID_CREDENTIALS",
			"CROSS_SITE_REQUEST",
			"PAYLOAD_TOO_LARGE",
			"UNSUPPORTED_MEDIA_TYPE",
			"TOO_MANY_REQUESTS",
		),
	},
});

const logOut = createRoute({
	method: "delete",
	path: "/sessions",
	tags: ["sessions"],
	summary: "Log out",
	description: "Ends the session and redirects to `/`.",
	security: [{ [SESSION_COOKIE_SCHEME]: [] }],
	responses: {
		302: {
			description: "The session is ended and the cookie cleared; redirects to `/`.",
			headers: z.object({ Location: z.literal("/"), "Set-Cookie": sessionCookieHeader }),
		},
		...errorResponses("INVALID_SESSION", "CROSS_SITE_REQUEST"),
	},
});

const profile = createRoute({
	method: "get",
	path: "/profile",
	tags: ["sessions"],
	summary: "The logged-in user",
	description:
		"Answers the email of the session's user; renews a session with less than half its lifetime left.",
	security: [{ [SESSION_COOKIE_SCHEME]: [] }],
	responses: {
		200: {
			description: "The session is live.",
			content: { "application/json": { schema: Profile } },
		},
		...errorResponses("INVALID_SESSION"),
	},
});

/** Routes that start, inspect and end sessions. */
export const sessionRoutes = createRouter()
	.openapi(logIn, async (c) => {
		const { email, password } = isJsonRequest(c) ? c.req.valid("json") : c.req.valid("form");
		const session = await c.var.auth.logIn(email, password);
		if (session === null) {
			throw new AppError("INVALID_CREDENTIALS");
		}
		writeSessionCookie(c, session.sessionId, session.expiresAt);
		return c.json({ email: session.user.email, message: "logged in" }, 200);
	})
	.openapi(logOut, async (c) => {
		if (!(await c.var.auth.endSession(readSessionCookie(c)))) {
			throw new AppError("INVALID_SESSION");
		}
		clearSessionCookie(c);
		return c.redirect("/", 302);
	})
	.openapi(profile, async (c) => {
		const sessionId = readSessionCookie(c);
		const session = await c.var.auth.validateSession(sessionId);
		if (session === null || sessionId === null) {
			throw new AppError("INVALID_SESSION");
		}
		if (session.renewed) {
			writeSessionCookie(c, sessionId, session.expiresAt);
		}
		return c.json({ email: session.user.email }, 200);
	});
