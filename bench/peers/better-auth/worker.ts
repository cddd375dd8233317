/**
 * The benchmark's peer: a worker doing the service's job (email + password accounts and sessions on D1)
 * with Better Auth, so both can be loaded on the same workerd and D1 simulator in one run.
 *
 * - The D1 binding `DB` is passed to Better Auth as is: its built-in Kysely adapter recognises a D1
 *   binding and drives it through its own D1 dialect (no transactions; one statement per round trip).
 * - `HASH` selects the password hashing: "scrypt" (the default: Better Auth's own, `node:crypto` scrypt)
 *   or "bcrypt" (bcryptjs, sync API, at the service's cost), so hashing routes can compare at equal work.
 * - Rate limiting and telemetry are off; the secret and base URL come from bindings.
 *
 * Routes: everything under `/api/auth/*` goes to Better Auth's handler; anything else is 404.
 *
 * @module
 */
import bcrypt from "bcryptjs";
import { betterAuth } from "better-auth";

/** The peer's bindings. */
interface Env {
	DB: D1Database;
	/** "scrypt" (default) or "bcrypt". */
	HASH?: string;
	BETTER_AUTH_SECRET: string;
	/** The base URL the service is reached at; its origin is the one trusted origin for CSRF checks. */
	BETTER_AUTH_URL: string;
}

/** bcrypt's work factor in the "bcrypt" variant: the service's `BCRYPT_COST` in production. */
const BCRYPT_COST = 10;

/** Password hashing as the service does it: bcryptjs's sync API, so a hash runs in one piece. */
const bcryptPassword = {
	hash: async (password: string) => bcrypt.hashSync(password, BCRYPT_COST),
	verify: async ({ hash, password }: { hash: string; password: string }) =>
		bcrypt.compareSync(password, hash),
};

/** Builds Better Auth for one variant. */
function createAuth(env: Env) {
	return betterAuth({
		baseURL: env.BETTER_AUTH_URL,
		secret: env.BETTER_AUTH_SECRET,
		database: env.DB,
		emailAndPassword: {
			enabled: true,
			...(env.HASH === "bcrypt" ? { password: bcryptPassword } : {}),
		},
		rateLimit: { enabled: false },
		telemetry: { enabled: false },
	});
}

// One instance per isolate: Better Auth's setup, and the schema check its first request makes, are not
// per request. A bench run serves each variant on a workerd of its own, so the bindings never change.
let auth: ReturnType<typeof createAuth> | undefined;

export default {
	/** Sends `/api/auth/*` to Better Auth. */
	async fetch(request: Request, env: Env): Promise<Response> {
		if (!new URL(request.url).pathname.startsWith("/api/auth/")) {
			return new Response("Not Found", { status: 404 });
		}
		auth ??= createAuth(env);
		return auth.handler(request);
	},
} satisfies ExportedHandler<Env>;
