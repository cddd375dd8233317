/**
 * Email-address routes: ask for a verification link (`POST /users/verification`), spend it
 * (`POST /users/verify`), ask to move the account to another address (`PUT /users/me/email`) and confirm
 * it (`POST /users/me/email/confirm`). In `response` mode (local development) the tokens are the
 * answers; in `email` mode they go out by email and the answers do not tell whether an address is
 * registered.
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
import { BODY_ERRORS, errorResponses, formOrJsonBody, jsonResponse, SESSION_COOKIE_SCHEME } from "./openapi";
import {
	ConfirmationToken,
	EmailChange,
	EmailMessage,
	TokenBody,
	VerificationRequest,
	VerificationToken,
} from "./schemas";

/** Routes that prove and change the address of an account. */
export const emailRoutes = new Hono<AppEnv>()
	.post(
		"/users/verification",
		describeRoute({
			tags: ["email"],
			summary: "Ask for an email-verification link",
			description:
				"Throttled like reset requests. `email` mode: a link is emailed if the address belongs to an unverified account, and the answer is `verification email sent` whatever the address. `response` mode: the token is the answer; an unknown email answers 403.",
			requestBody: formOrJsonBody(VerificationRequest),
			responses: {
				200: jsonResponse(
					"`response` mode: the token. `email` mode: `verification email sent`.",
					v.union([VerificationToken, EmailMessage]),
				),
				...errorResponses(...BODY_ERRORS, "UNKNOWN_EMAIL", "TOO_MANY_REQUESTS", "TOKEN_IN_RESPONSE_REFUSED"),
			},
		}),
		refuseTokenInResponseOnPublicHost,
		validBody(VerificationRequest),
		async (c) => {
			const { email } = c.req.valid("json");
			const handout = await c.var.auth.emailVerification.request(email);
			return handout.via === "response"
				? c.json({ email, verification_token: handout.token }, 200)
				: c.json({ email, message: "verification email sent" }, 200);
		},
	)
	.post(
		"/users/verify",
		describeRoute({
			tags: ["email"],
			summary: "Verify the account's address",
			description:
				"Spends the token from the verification link (valid 24 hours by default, once): the address is verified.",
			requestBody: formOrJsonBody(TokenBody),
			responses: {
				200: jsonResponse("`email verified`.", EmailMessage),
				...errorResponses(...BODY_ERRORS, "INVALID_VERIFICATION_TOKEN"),
			},
		}),
		validBody(TokenBody),
		async (c) => {
			const user = await c.var.auth.emailVerification.verify(c.req.valid("json").token);
			return c.json({ email: user.email, message: "email verified" }, 200);
		},
	)
	.put(
		"/users/me/email",
		describeRoute({
			tags: ["email"],
			summary: "Ask to change the account's address",
			description:
				"Checks the password (throttled like a login). The address changes only when the link sent to the new one is followed. `email` mode: answers 202 whether or not the new address is free (its owner is told otherwise), and the current address gets a notice. `response` mode: the confirmation token is the answer, and a taken address answers 400.",
			security: [{ [SESSION_COOKIE_SCHEME]: [] }],
			requestBody: formOrJsonBody(EmailChange),
			responses: {
				200: jsonResponse("`response` mode: the confirmation token.", ConfirmationToken),
				202: jsonResponse("`email` mode: `confirmation email sent`.", EmailMessage),
				...errorResponses(
					...BODY_ERRORS,
					"EMAIL_ALREADY_REGISTERED",
					"INVALID_SESSION",
					"WRONG_PASSWORD",
					"TOO_MANY_REQUESTS",
					"TOKEN_IN_RESPONSE_REFUSED",
				),
			},
		}),
		refuseTokenInResponseOnPublicHost,
		requireSession,
		validBody(EmailChange),
		async (c) => {
			const { password, new_email } = c.req.valid("json");
			const handout = await c.var.auth.emailChanges.request(c.var.session, password, new_email);
			return handout.via === "response"
				? c.json({ email: new_email, confirmation_token: handout.token }, 200)
				: c.json({ email: new_email, message: "confirmation email sent" }, 202);
		},
	)
	.post(
		"/users/me/email/confirm",
		describeRoute({
			tags: ["email"],
			summary: "Confirm a change of address",
			description:
				"Spends the token from the confirmation link: the account moves to the new address, verified. Needs no session, since the link may be opened on another device.",
			requestBody: formOrJsonBody(TokenBody),
			responses: {
				200: jsonResponse("`email changed`, with the new address.", EmailMessage),
				...errorResponses(...BODY_ERRORS, "INVALID_CONFIRMATION_TOKEN", "EMAIL_ALREADY_REGISTERED"),
			},
		}),
		validBody(TokenBody),
		async (c) => {
			const user = await c.var.auth.emailChanges.confirm(c.req.valid("json").token);
			return c.json({ email: user.email, message: "email changed" }, 200);
		},
	);
