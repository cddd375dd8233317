/**
 * Registration route: `POST /users`.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { createRouter, errorResponses, formOrJson, isJsonRequest, requireBody } from "../http/openapi";
import { Credentials, EmailMessage } from "../http/schemas";

const register = createRoute({
	method: "post",
	path: "/users",
	tags: ["users"],
	summary: "Register a user",
	description: "Creates an account; the email is stored trimmed and lower-cased.",
	middleware: [requireBody(Credentials)] as const,
	request: { body: formOrJson(Credentials) },
	responses: {
		200: {
			description: "The user was created.",
			content: {
				"application/json": {
					schema: EmailMessage,
					example: { email: "bob@me.com", message: "user created" },
				},
			},
		},
		...errorResponses(
			"INVALID_INPUT",
			"EMAIL_ALREADY_REGISTERED",
			"CROSS_SITE_REQUEST",
			"PAYLOAD_TOO_LARGE",
			"UNSUPPORTED_MEDIA_TYPE",
		),
	},
});

/** Routes that create accounts. */
export const userRoutes = createRouter().openapi(register, async (c) => {
	const { email, password } = isJsonRequest(c) ? c.req.valid("json") : c.req.valid("form");
	const user = await c.var.auth.registerUser(email, password);
	return c.json({ email: user.email, message: "user created" }, 200);
});
