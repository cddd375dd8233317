/**
 * The Hono environment type shared by the app and its route modules.
 *
 * @module
 */
import type { RequestIdVariables } from "hono/request-id";
import type { Auth } from "../auth/auth";
import type { Config } from "../config";
import type { RequestSessionCookie } from "./session";

/**
 * Bindings come from `wrangler types`. Each request gets, once: its `config` (read from the bindings),
 * its {@link Auth}, its session cookie (`sessionCookie`: the session, resolved on first use), and
 * `requestId`, its log id.
 */
export interface AppEnv {
	Bindings: Env;
	Variables: { config: Config; auth: Auth; sessionCookie: RequestSessionCookie } & RequestIdVariables;
}
