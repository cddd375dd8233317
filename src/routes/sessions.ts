/**
 * Session routes: log in (`POST /sessions`), log out (`DELETE /sessions`) and the profile of the
 * logged-in user (`GET /profile`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import { validBody } from "../http/body";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../http/cookie";
import {
	BODY_ERRORS,
	errorResponses,
	formOrJsonBody,
	jsonResponse,
	SESSION_COOKIE_SCHEME,
} from "../http/openapi";
import { Credentials, EmailMessage, Profile } from "../http/schemas";

const setCookieHeader = {
	"Set-Cookie": {
		description: "`session_id=<uuid>; Max-Age=…; Path=/; HttpOnly; SameSite=Lax`, plus `Secure` over HTTPS.",
		schema: { type: "string" as const },
	},
};

/** Routes that start, inspect and end sessions. */
export const sessionRoutes = new Hono<AppEnv>()
	.post(
		"/sessions",
		describeRoute({
			tags: ["sessions"],
			summary: "Log in",
			description: "Checks the credentials and starts a session carried by the `session_id` cookie.",
			requestBody: formOrJsonBody(Credentials),
			responses: {
				200: jsonResponse(
					"Logged in: `logged in`; the session id is in the cookie.",
					EmailMessage,
					setCookieHeader,
				),
				...errorResponses(...BODY_ERRORS, "INVALID_CREDENTIALS", "TOO_MANY_REQUESTS"),
			},
		}),
		validBody(Credentials),
		async (c) => {
			const { email, password } = c.req.valid("json");
			const session = await c.var.auth.logIn(email, password);
			if (session === null) {
				throw new AppError("INVALID_CREDENTIALS");
			}
			writeSessionCookie(c, session.sessionId, session.expiresAt);
			return c.json({ email: session.user.email, message: "logged in" }, 200);
		},
	)
	.delete(
		"/sessions",
		describeRoute({
			tags: ["sessions"],
			summary: "Log out",
			description: "Ends the session and redirects to `/`.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			responses: {
				302: {
					description: "The session is ended and the cookie cleared; redirects to `/`.",
					headers: { Location: { schema: { type: "string", enum: ["/"] } }, ...setCookieHeader },
				},
				...errorResponses("INVALID_SESSION", "CROSS_SITE_REQUEST"),
			},
		}),
		async (c) => {
			if (!(await c.var.auth.endSession(readSessionCookie(c)))) {
				throw new AppError("INVALID_SESSION");
			}
			clearSessionCookie(c);
			return c.redirect("/", 302);
		},
	)
	.get(
		"/profile",
		describeRoute({
			tags: ["sessions"],
			summary: "The logged-in user",
			description:
				"Answers the email of the session's user; renews a session with less than half its lifetime left.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			responses: {
				200: jsonResponse("The session is live.", Profile),
				...errorResponses("INVALID_SESSION"),
			},
		}),
		async (c) => {
			const sessionId = readSessionCookie(c);
			const session = await c.var.auth.validateSession(sessionId);
			if (session === null || sessionId === null) {
				throw new AppError("INVALID_SESSION");
			}
			if (session.renewed) {
				writeSessionCookie(c, sessionId, session.expiresAt);
			}
			return c.json({ email: session.user.email }, 200);
		},
	);
