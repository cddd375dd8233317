/**
 * The Hono environment type shared by the app and its route modules.
 *
 * @module
 */
import type { RequestIdVariables } from "hono/request-id";
import type { Auth } from "./auth/auth";

/** Bindings come from `wrangler types`; `auth` is the per-request {@link Auth}, `requestId` its log id. */
export interface AppEnv {
	Bindings: Env;
	Variables: { auth: Auth } & RequestIdVariables;
}
