/**
 * Password routes: change it while logged in (`PUT /password`), or reset a forgotten one: request a token
 * (`POST /reset_password`) and spend it (`PUT /reset_password`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import type { AppEnv } from "../http/app-env";
import { validBody } from "../http/input";
import { requireSession } from "../http/session";
import { refuseTokenInResponseOnPublicHost } from "../http/token-delivery";
import {
	BODY_ERRORS,
	errorResponses,
	formOrJsonBody,
	jsonResponse,
	SESSION_COOKIE_SCHEME,
	SESSION_COOKIE_SET,
} from "./openapi";
import { EmailMessage, Message, PasswordChange, PasswordUpdate, ResetRequest, ResetToken } from "./schemas";

/** Routes that change a password, or reset a forgotten one with a one-time token. */
export const passwordRoutes = new Hono<AppEnv>()
	.put(
		"/password",
		describeRoute({
			tags: ["password"],
			summary: "Change the password",
			description:
				"Checks the current password (a wrong one counts as a failed login of the account) and sets the new one, under the policy of sign-up. Every other session of the user ends; this device stays logged in with a new session id, sent in the cookie (a copy of the old cookie stops working).",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			requestBody: formOrJsonBody(PasswordChange),
			responses: {
				200: jsonResponse("The password was changed: `Password updated`.", Message, SESSION_COOKIE_SET),
				...errorResponses(...BODY_ERRORS, "INVALID_SESSION", "WRONG_PASSWORD", "TOO_MANY_REQUESTS"),
			},
		}),
		requireSession,
		validBody(PasswordChange),
		async (c) => {
			const { current_password, new_password } = c.req.valid("json");
			const changed = await c.var.auth.accounts.changePassword(c.var.session, current_password, new_password);
			c.var.sessionCookie.replaceWith(changed);
			return c.json({ message: "Password updated" } as const, 200);
		},
	)
	.post(
		"/reset_password",
		describeRoute({
			tags: ["password"],
			summary: "Ask for a password reset",
			description:
				"Issues a single-use token, valid for an hour by default, for the account with this email; any earlier one stops working. In `response` mode (local development) the token is the answer and an unknown email answers 403. In `email` mode the link goes out by email and the answer is `reset email sent` whether or not the address is registered.",
			requestBody: formOrJsonBody(ResetRequest),
			responses: {
				200: jsonResponse(
					"`response` mode: the token. `email` mode: `reset email sent`.",
					v.union([ResetToken, EmailMessage]),
				),
				...errorResponses(...BODY_ERRORS, "UNKNOWN_EMAIL", "TOO_MANY_REQUESTS", "TOKEN_IN_RESPONSE_REFUSED"),
			},
		}),
		refuseTokenInResponseOnPublicHost,
		validBody(ResetRequest),
		async (c) => {
			const { email } = c.req.valid("json");
			const handout = await c.var.auth.passwordResets.request(email);
			return handout.via === "response"
				? c.json({ email, reset_token: handout.token }, 200)
				: c.json({ email, message: "reset email sent" }, 200);
		},
	)
	.put(
		"/reset_password",
		describeRoute({
			tags: ["password"],
			summary: "Set a new password with a reset token",
			description: "Spends the token, sets the new password and ends every session of the account.",
			requestBody: formOrJsonBody(PasswordUpdate),
			responses: {
				200: jsonResponse("The password was updated: `Password updated`.", EmailMessage),
				...errorResponses(...BODY_ERRORS, "INVALID_RESET_TOKEN"),
			},
		}),
		validBody(PasswordUpdate),
		async (c) => {
			const input = c.req.valid("json");
			await c.var.auth.passwordResets.complete(input.reset_token, input.new_password, input.email);
			return c.json({ email: input.email, message: "Password updated" }, 200);
		},
	);
