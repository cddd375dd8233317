/**
 * Password-reset routes: request a token (`POST /reset_password`) and spend it (`PUT /reset_password`).
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { validBody } from "../http/body";
import { BODY_ERRORS, errorResponses, formOrJsonBody, jsonResponse } from "../http/openapi";
import { EmailMessage, PasswordUpdate, ResetRequest, ResetToken } from "../http/schemas";

/** Routes that reset a forgotten password with a one-time token. */
export const resetPasswordRoutes = new Hono<AppEnv>()
	.post(
		"/reset_password",
		describeRoute({
			tags: ["password reset"],
			summary: "Get a password-reset token",
			description:
				"Issues a single-use token, valid for an hour by default, for the account with this email.",
			requestBody: formOrJsonBody(ResetRequest),
			responses: {
				200: jsonResponse("A new token; any earlier one stops working.", ResetToken),
				...errorResponses(...BODY_ERRORS, "UNKNOWN_EMAIL", "TOO_MANY_REQUESTS"),
			},
		}),
		validBody(ResetRequest),
		async (c) => {
			const { email } = c.req.valid("json");
			const resetToken = await c.var.auth.getResetPasswordToken(email);
			return c.json({ email, reset_token: resetToken }, 200);
		},
	)
	.put(
		"/reset_password",
		describeRoute({
			tags: ["password reset"],
			summary: "Set a new password with a reset token",
			description: "Spends the token, sets the new password and ends the account's session.",
			requestBody: formOrJsonBody(PasswordUpdate),
			responses: {
				200: jsonResponse("The password was updated: `Password updated`.", EmailMessage),
				...errorResponses(...BODY_ERRORS, "INVALID_RESET_TOKEN"),
			},
		}),
		validBody(PasswordUpdate),
		async (c) => {
			const input = c.req.valid("json");
			await c.var.auth.updatePassword(input.reset_token, input.new_password, input.email);
			return c.json({ email: input.email, message: "Password updated" }, 200);
		},
	);
