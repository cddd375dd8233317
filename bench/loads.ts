/**
 * The load table: which routes of the service and of its Better Auth peer the benchmark drives, on how
 * many connections, with what requests and which answer counts as expected, and the bindings each is
 * served with. Hashing routes run on 1 connection, so their latency is the service time of one request;
 * the rest on 10.
 *
 * @module
 */
import { BCRYPT_COST, PASSWORD, PEER_BASE_URL, rotate, type SeededUser } from "./fixtures";
import type { Load } from "./measure";

/** Throttling is measured by the tests; here it must not turn runs into 429s. */
const NO_THROTTLE = "1000000";

/** The service's bindings: production's bcrypt cost, and throttle limits too high to reach. */
export const SERVICE_BINDINGS: Record<string, string> = {
	BCRYPT_COST: String(BCRYPT_COST),
	LOGIN_MAX_FAILURES_PER_ACCOUNT: NO_THROTTLE,
	LOGIN_MAX_FAILURES_PER_IP: NO_THROTTLE,
	RESET_MAX_REQUESTS_PER_ACCOUNT: NO_THROTTLE,
	RESET_MAX_REQUESTS_PER_IP: NO_THROTTLE,
	SIGNUP_MAX_PER_IP: NO_THROTTLE,
};

/** The peer's bindings for one hashing variant. */
export function peerBindings(hash: "scrypt" | "bcrypt"): Record<string, string> {
	return {
		HASH: hash,
		BETTER_AUTH_URL: PEER_BASE_URL,
		BETTER_AUTH_SECRET: "bench-only-secret-7f3a9c2e4b1d8f6a0e5c3b9d2a7f4e1c",
	};
}

/** A route of the service with what its budget compares it to (see `ServiceRoute` in report.ts). */
export type ServiceLoad = Load & ({ trips: number } | { op: "hash" | "compare" });

/**
 * The service's routes. `trips`: D1 round trips per request, as test/costs.test.ts counts them, with the
 * one after the answer that stores the request's security events: the answer does not wait for it, but D1
 * does the work. `op`: the bcrypt operation a hashing route makes once.
 */
export function serviceLoads(users: readonly SeededUser[]): ServiceLoad[] {
	const [first] = users;
	if (first === undefined) {
		throw new Error("no users were seeded");
	}
	const emails = users.map((u) => u.email);
	const half = Math.floor(users.length / 2);
	let fresh = 0;
	const withEmails = (from: number, password: string) => {
		const next = rotate(emails, from);
		return () => ({ email: next(), password });
	};
	const ownSession = () => `session_id=${first.session}`;
	return [
		{ name: "GET /", path: "/", connections: 10, expectStatus: 200, trips: 0 },
		{ name: "GET /health", path: "/health", connections: 10, expectStatus: 200, trips: 1 },
		{
			name: "GET /profile (valid cookie)",
			path: "/profile",
			connections: 10,
			expectStatus: 200,
			trips: 1,
			cookie: ownSession,
		},
		{
			name: "GET /sessions",
			path: "/sessions",
			connections: 10,
			expectStatus: 200,
			trips: 2,
			cookie: ownSession,
		},
		{
			name: "GET /profile (bad cookie)",
			path: "/profile",
			connections: 10,
			expectStatus: 403,
			trips: 1,
			cookie: () => `session_id=${crypto.randomUUID()}`,
		},
		{
			name: "DELETE /sessions",
			path: "/sessions",
			method: "DELETE",
			connections: 10,
			expectStatus: 302,
			trips: 2,
			cookie: (() => {
				const next = rotate(users.slice(1));
				return () => `session_id=${next().session}`;
			})(),
		},
		{
			name: "POST /reset_password",
			path: "/reset_password",
			method: "POST",
			connections: 10,
			expectStatus: 200,
			trips: 3,
			// The second half of the users, so the tokens PUT /reset_password spends stay valid.
			form: (() => {
				const next = rotate(emails.slice(half));
				return () => ({ email: next() });
			})(),
		},
		{
			name: "POST /sessions (right password)",
			path: "/sessions",
			method: "POST",
			connections: 1,
			expectStatus: 200,
			op: "compare",
			form: withEmails(1, PASSWORD),
		},
		{
			name: "POST /sessions (wrong password)",
			path: "/sessions",
			method: "POST",
			connections: 1,
			expectStatus: 401,
			op: "compare",
			form: withEmails(1, "wrong-password"),
		},
		{
			name: "POST /sessions (unknown email)",
			path: "/sessions",
			method: "POST",
			connections: 1,
			expectStatus: 401,
			op: "compare",
			form: () => ({ email: `nobody-${fresh++}@example.com`, password: PASSWORD }),
		},
		{
			name: "POST /users",
			path: "/users",
			method: "POST",
			connections: 1,
			expectStatus: 200,
			op: "hash",
			form: () => ({ email: `new-${fresh++}@example.com`, password: PASSWORD }),
		},
		{
			name: "PUT /reset_password",
			path: "/reset_password",
			method: "PUT",
			connections: 1,
			expectStatus: 200,
			op: "hash",
			form: (() => {
				const next = rotate(users.slice(1, half));
				return () => {
					const u = next();
					return { email: u.email, reset_token: u.token, new_password: "new-password" };
				};
			})(),
		},
	];
}

/**
 * The peer's routes matching the service's in `PEER_PAIRS` (report.ts): sign-up with unique emails, sign-in
 * with the right and the wrong password rotating over the seeded users, and get-session with a valid
 * cookie. `runId` keeps sign-up emails unique across the two variants' runs.
 */
export function peerLoads(emails: readonly string[], cookie: string, runId: string): Load[] {
	let fresh = 0;
	const signIn = (password: string) => {
		const next = rotate(emails);
		return () => ({ email: next(), password });
	};
	// What a browser sends with a same-origin fetch; Better Auth refuses a POST with a cookie and no Origin.
	const headers = { origin: new URL(PEER_BASE_URL).origin };
	return [
		{
			name: "POST sign-up/email",
			path: "/api/auth/sign-up/email",
			method: "POST",
			connections: 1,
			expectStatus: 200,
			headers,
			json: () => ({ name: "Bench User", email: `new-${runId}-${fresh++}@example.com`, password: PASSWORD }),
		},
		{
			name: "POST sign-in/email (right password)",
			path: "/api/auth/sign-in/email",
			method: "POST",
			connections: 1,
			expectStatus: 200,
			headers,
			json: signIn(PASSWORD),
		},
		{
			name: "POST sign-in/email (wrong password)",
			path: "/api/auth/sign-in/email",
			method: "POST",
			connections: 1,
			expectStatus: 401,
			headers,
			json: signIn("wrong-password"),
		},
		{
			name: "GET get-session (valid cookie)",
			path: "/api/auth/get-session",
			connections: 10,
			expectStatus: 200,
			// It answers 200 with `null` when there is no session: only an answer holding one counts.
			expectBody: (body) => body.startsWith('{"session"'),
			cookie: () => cookie,
		},
	];
}
