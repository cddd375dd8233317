/**
 * Session routes: log in (`POST /sessions`), log out of this device, the others or all
 * (`DELETE /sessions`), list the sessions (`GET /sessions`), end one (`DELETE /sessions/{id}`), and the
 * profile of the logged-in user (`GET /profile`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { AppError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { validBody, validQuery } from "../http/input";
import { requireSession } from "../http/session";
import {
	BODY_ERRORS,
	errorResponses,
	formOrJsonBody,
	jsonResponse,
	SESSION_COOKIE_CLEARED,
	SESSION_COOKIE_SCHEME,
	SESSION_COOKIE_SET,
} from "./openapi";
import {
	Credentials,
	EmailMessage,
	LOGOUT_SCOPES,
	LogoutScope,
	OtherSessionsEnded,
	Profile,
	SessionList,
} from "./schemas";

const loggedOut = {
	description: "The session is ended and the cookie cleared; redirects to `/`.",
	headers: { Location: { schema: { type: "string" as const, enum: ["/"] } }, ...SESSION_COOKIE_CLEARED },
};

const cookieSecurity = [{ [SESSION_COOKIE_SCHEME]: [] }];

/** Routes that start, list, inspect and end sessions. */
export const sessionRoutes = new Hono<AppEnv>()
	.post(
		"/sessions",
		describeRoute({
			tags: ["sessions"],
			summary: "Log in",
			description:
				"Checks the credentials and starts a session on this device, carried by the `session_id` cookie. Sessions on other devices go on; past the cap per user, the oldest ends.",
			requestBody: formOrJsonBody(Credentials),
			responses: {
				200: jsonResponse(
					"Logged in: `logged in`; the session id is in the cookie.",
					EmailMessage,
					SESSION_COOKIE_SET,
				),
				...errorResponses(...BODY_ERRORS, "INVALID_CREDENTIALS", "TOO_MANY_REQUESTS"),
			},
		}),
		validBody(Credentials),
		async (c) => {
			const { email, password } = c.req.valid("json");
			const login = await c.var.auth.sessions.logIn(email, password);
			if (login === null) {
				throw new AppError("INVALID_CREDENTIALS");
			}
			await c.var.sessionCookie.start(login);
			return c.json({ email: login.session.user.email, message: "logged in" }, 200);
		},
	)
	.delete(
		"/sessions",
		describeRoute({
			tags: ["sessions"],
			summary: "Log out",
			description:
				"Without `scope` (or `scope=current`), ends this session and redirects to `/`. `scope=others` ends every other session of the user and keeps this one; `scope=global` ends all of them, this one included, and redirects like a plain logout.",
			security: cookieSecurity,
			parameters: [
				{
					name: "scope",
					in: "query",
					required: false,
					schema: { type: "string", enum: [...LOGOUT_SCOPES], default: "current" },
				},
			],
			responses: {
				200: jsonResponse("`scope=others`: the other sessions ended, and how many.", OtherSessionsEnded),
				302: loggedOut,
				...errorResponses("INVALID_INPUT", "INVALID_SESSION", "CROSS_SITE_REQUEST"),
			},
		}),
		validQuery(LogoutScope),
		async (c) => {
			const { scope } = c.req.valid("query");
			// Ending this session, or all of the user's, is one conditional delete: no lookup first.
			if (scope !== "others") {
				if (!(await c.var.sessionCookie.end(scope === "current" ? "current" : "everywhere"))) {
					throw new AppError("INVALID_SESSION");
				}
				return c.redirect("/", 302);
			}
			const current = await c.var.sessionCookie.session();
			if (current === null) {
				throw new AppError("INVALID_SESSION");
			}
			const ended = await c.var.auth.sessions.endOthers(current);
			return c.json({ message: "other sessions ended", ended } as const, 200);
		},
	)
	.get(
		"/sessions",
		describeRoute({
			tags: ["sessions"],
			summary: "List the sessions of the logged-in user",
			description: "Every live session of the user, newest first; `current` marks the one asking.",
			security: cookieSecurity,
			responses: {
				200: jsonResponse("The live sessions.", SessionList),
				...errorResponses("INVALID_SESSION"),
			},
		}),
		requireSession,
		async (c) => {
			const sessions = await c.var.auth.sessions.list(c.var.session);
			return c.json(
				{
					sessions: sessions.map((session) => ({
						id: session.publicId,
						created_at: session.createdAt.toISOString(),
						last_used_at: session.lastUsedAt.toISOString(),
						expires_at: session.expiresAt.toISOString(),
						user_agent: session.userAgent,
						current: session.current,
					})),
				},
				200,
			);
		},
	)
	.delete(
		"/sessions/:id",
		describeRoute({
			tags: ["sessions"],
			summary: "End one session",
			description:
				"Ends the session with this `id` (from `GET /sessions`) if it is the user's. Ending the current one also clears the cookie.",
			security: cookieSecurity,
			parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
			responses: {
				204: {
					description: "The session is ended; when it was this device's, the cookie is cleared.",
					headers: SESSION_COOKIE_CLEARED,
				},
				...errorResponses("INVALID_SESSION", "CROSS_SITE_REQUEST", "SESSION_NOT_FOUND"),
			},
		}),
		requireSession,
		async (c) => {
			const { wasCurrent } = await c.var.auth.sessions.endById(c.var.session, c.req.param("id"));
			if (wasCurrent) {
				c.var.sessionCookie.clear();
			}
			return c.body(null, 204);
		},
	)
	.get(
		"/profile",
		describeRoute({
			tags: ["sessions"],
			summary: "The logged-in user",
			description:
				"Answers the email of the session's user, in one round trip to the database; a session last used more than a day ago is renewed and its cookie sent again.",
			security: cookieSecurity,
			responses: {
				200: jsonResponse("The session is live.", Profile),
				...errorResponses("INVALID_SESSION"),
			},
		}),
		requireSession,
		(c) => c.json({ email: c.var.session.user.email }, 200),
	);
