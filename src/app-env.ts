/**
 * The Hono environment type shared by the app and its route modules.
 *
 * @module
 */
import type { Auth } from "./auth/auth";
import type { FrameVariables } from "./http/frame";

/**
 * Bindings come from `wrangler types`; `auth` is the per-request {@link Auth}; `requestId` (its log id)
 * and `queried` belong to the request frame.
 */
export interface AppEnv {
	Bindings: Env;
	Variables: { auth: Auth } & FrameVariables;
}
