/**
 * Account routes: register (`POST /users`), read the account (`GET /users/me`) and delete it
 * (`DELETE /users/me`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../http/app-env";
import { validBody } from "../http/input";
import { requireSession } from "../http/session";
import {
	BODY_ERRORS,
	errorResponses,
	formOrJsonBody,
	jsonResponse,
	SESSION_COOKIE_CLEARED,
	SESSION_COOKIE_SCHEME,
} from "./openapi";
import { AccountDeletion, Credentials, EmailMessage, EventList, Me, Message } from "./schemas";

/** Routes that create and delete accounts. */
export const userRoutes = new Hono<AppEnv>()
	.post(
		"/users",
		describeRoute({
			tags: ["users"],
			summary: "Register a user",
			description:
				"Creates an account; the email is stored trimmed and lower-cased. In `email` mode a verification link is emailed, and a taken address is answered exactly like a new one (its owner is emailed a notice instead), so sign-up does not tell whether an address is registered; in `response` mode a taken address answers 400.",
			requestBody: formOrJsonBody(Credentials),
			responses: {
				200: jsonResponse("The user was created: `user created`.", EmailMessage),
				...errorResponses(...BODY_ERRORS, "EMAIL_ALREADY_REGISTERED"),
			},
		}),
		validBody(Credentials),
		async (c) => {
			const { email, password } = c.req.valid("json");
			const stored = await c.var.auth.accounts.signUp(email, password);
			return c.json({ email: stored, message: "user created" }, 200);
		},
	)
	.get(
		"/users/me",
		describeRoute({
			tags: ["users"],
			summary: "The logged-in account",
			description: "Its email, whether that address is verified, and when the account was created.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			responses: {
				200: jsonResponse("The account.", Me),
				...errorResponses("INVALID_SESSION"),
			},
		}),
		requireSession,
		(c) => {
			const { user } = c.var.session;
			return c.json(
				{
					email: user.email,
					email_verified: user.emailVerifiedAt !== null,
					created_at: user.createdAt?.toISOString() ?? null,
				},
				200,
			);
		},
	)
	.get(
		"/users/me/events",
		describeRoute({
			tags: ["users"],
			summary: "Recent activity of the logged-in account",
			description:
				"Its security events (logins and failed ones, throttled attempts, password and address changes, sessions ended, …), newest first, kept 90 days: the account's own last 100, and the last 20 hourly counts of what anyone can cause (wrong passwords, throttled attempts, reset requests), so strangers cannot push the owner's own events out of the list. No secret, no address: where from is the client's /24 or /64.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			responses: {
				200: jsonResponse("The events.", EventList),
				...errorResponses("INVALID_SESSION"),
			},
		}),
		requireSession,
		async (c) => {
			const events = await c.var.auth.accounts.recentEvents(c.var.session);
			return c.json(
				{
					events: events.map((event) => ({
						event: event.event,
						outcome: event.outcome,
						at: event.createdAt.toISOString(),
						count: event.count,
						network: event.network,
						user_agent: event.userAgent,
						detail: event.detail,
					})),
				},
				200,
			);
		},
	)
	.delete(
		"/users/me",
		describeRoute({
			tags: ["users"],
			summary: "Delete the account",
			description:
				"Checks the password (a wrong one counts as a failed login of the account), then deletes the user with every session and token, and clears the cookie.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			requestBody: formOrJsonBody(AccountDeletion),
			responses: {
				200: jsonResponse("The account is gone: `user deleted`.", Message, SESSION_COOKIE_CLEARED),
				...errorResponses(...BODY_ERRORS, "INVALID_SESSION", "WRONG_PASSWORD", "TOO_MANY_REQUESTS"),
			},
		}),
		requireSession,
		validBody(AccountDeletion),
		async (c) => {
			const { password } = c.req.valid("json");
			await c.var.auth.accounts.delete(c.var.session, password);
			c.var.sessionCookie.clear();
			return c.json({ message: "user deleted" } as const, 200);
		},
	);
