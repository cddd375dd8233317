/**
 * Registration route: `POST /users`.
 *
 * @module
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../app-env";
import { validBody } from "../http/body";
import { BODY_ERRORS, errorResponses, formOrJsonBody, jsonResponse } from "../http/openapi";
import { Credentials, EmailMessage } from "../http/schemas";

/** Routes that create accounts. */
export const userRoutes = new Hono<AppEnv>().post(
	"/users",
	describeRoute({
		tags: ["users"],
		summary: "Register a user",
		description: "Creates an account; the email is stored trimmed and lower-cased.",
		requestBody: formOrJsonBody(Credentials),
		responses: {
			200: jsonResponse("The user was created: `user created`.", EmailMessage),
			...errorResponses(...BODY_ERRORS, "EMAIL_ALREADY_REGISTERED"),
		},
	}),
	validBody(Credentials),
	async (c) => {
		const { email, password } = c.req.valid("json");
		const user = await c.var.auth.registerUser(email, password);
		return c.json({ email: user.email, message: "user created" }, 200);
	},
);
