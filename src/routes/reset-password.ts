/**
 * Password-reset routes: request a token (`POST /reset_password`) and spend it (`PUT /reset_password`).
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { createRouter, errorResponses, formOrJson, isJsonRequest, requireBody } from "../http/openapi";
import { EmailMessage, PasswordUpdate, ResetRequest, ResetToken } from "../http/schemas";

const requestToken = createRoute({
	method: "post",
	path: "/reset_password",
	tags: ["password reset"],
	summary: "Get a password-reset token",
	description: "Issues a single-use token, valid for an hour by default, for the account with this email.",
	middleware: [requireBody(ResetRequest)] as const,
	request: { body: formOrJson(ResetRequest) },
	responses: {
		200: {
			description: "A new token; any earlier one stops working.",
			content: { "application/json": { schema: ResetToken } },
		},
		...errorResponses(
			"INVALID_INPUT",
			"UNKNOWN_EMAIL",
			"CROSS_SITE_REQUEST",
			"PAYLOAD_TOO_LARGE",
			"UNSUPPORTED_MEDIA_TYPE",
			"TOO_MANY_REQUESTS",
		),
	},
});

const updatePassword = createRoute({
	method: "put",
	path: "/reset_password",
	tags: ["password reset"],
	summary: "Set a new password with a reset token",
	description: "Spends the token, sets the new password and ends the account's session.",
	middleware: [requireBody(PasswordUpdate)] as const,
	request: { body: formOrJson(PasswordUpdate) },
	responses: {
		200: {
			description: "The password was updated.",
			content: {
				"application/json": {
					schema: EmailMessage,
					example: { email: "bob@me.com", message: "Password updated" },
				},
			},
		},
		...errorResponses(
			"INVALID_INPUT",
			"INVALID_RESET_TOKEN",
			"CROSS_SITE_REQUEST",
			"PAYLOAD_TOO_LARGE",
			"UNSUPPORTED_MEDIA_TYPE",
		),
	},
});

/** Routes that reset a forgotten password with a one-time token. */
export const resetPasswordRoutes = createRouter()
	.openapi(requestToken, async (c) => {
		const { email } = isJsonRequest(c) ? c.req.valid("json") : c.req.valid("form");
		const resetToken = await c.var.auth.getResetPasswordToken(email);
		return c.json({ email, reset_token: resetToken }, 200);
	})
	.openapi(updatePassword, async (c) => {
		const input = isJsonRequest(c) ? c.req.valid("json") : c.req.valid("form");
		await c.var.auth.updatePassword(input.reset_token, input.new_password, input.email);
		return c.json({ email: input.email, message: "Password updated" }, 200);
	});
