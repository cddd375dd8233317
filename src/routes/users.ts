/**
 * Registration route: `POST /users`.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { readFormFields } from "../http/form";

/** Routes that create accounts. */
export const userRoutes = new Hono<AppEnv>().post("/users", async (c) => {
	const { email, password } = await readFormFields(c, ["email", "password"]);
	const user = await c.var.auth.registerUser(email, password);
	return c.json({ email: user.email, message: "user created" });
});
