/**
 * Password-reset routes: request a token (`POST /reset_password`) and spend it (`PUT /reset_password`).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { readFormFields } from "../http/form";

/** Routes that reset a forgotten password with a one-time token. */
export const resetPasswordRoutes = new Hono<AppEnv>()
	.post("/reset_password", async (c) => {
		const { email } = await readFormFields(c, ["email"]);
		const resetToken = await c.var.auth.getResetPasswordToken(email);
		return c.json({ email, reset_token: resetToken });
	})
	.put("/reset_password", async (c) => {
		const fields = await readFormFields(c, ["email", "reset_token", "new_password"]);
		await c.var.auth.updatePassword(fields.reset_token, fields.new_password, fields.email);
		return c.json({ email: fields.email, message: "Password updated" });
	});
