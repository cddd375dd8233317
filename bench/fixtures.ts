/**
 * The data the benchmark loads against: migrations applied to a served D1 (read and split by the same
 * `readD1Migrations` the tests use), the service's users seeded straight into D1 with a live session and
 * reset token each, and the peer's users created through its own sign-up route so their hashes are its
 * own.
 *
 * @module
 */
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import bcrypt from "bcryptjs";
import type { BenchD1 } from "./serve";
import { ROOT } from "./serve";

/** The service's production bcrypt cost, used by the service and by the peer's bcrypt variant. */
export const BCRYPT_COST = 10;
/** Every seeded user's password. */
export const PASSWORD = "bench-password";

/**
 * Applies every migration of a folder (relative to the repository) to a served D1, each as one batch. The
 * tests apply the same list with `applyD1Migrations`, which is only available inside workerd.
 */
export async function applyMigrations(db: BenchD1, dir: string): Promise<void> {
	for (const migration of await readD1Migrations(path.join(ROOT, dir))) {
		await db.batch(migration.queries.map((query) => db.prepare(query)));
	}
}

/** A seeded user of the service and its raw secrets. */
export interface SeededUser {
	email: string;
	session: string;
	token: string;
}

/** SHA-256 in hex, as the service stores session ids and reset tokens. */
function sha256Hex(value: string): string {
	return createHash("sha256").update(value).digest("hex");
}

/** Seeds `count` users of the service that each hold a live session and a live reset token. */
export async function seedService(db: BenchD1, count: number): Promise<SeededUser[]> {
	// The service's scheme for passwords of 72 bytes or fewer (see src/auth/password.ts): no re-hash at login.
	const hash = `nfc$${bcrypt.hashSync(PASSWORD, BCRYPT_COST)}`;
	const now = Date.now();
	// Used just now: profile reads during the run do not renew (and write), which happens once a day.
	const sessionExpiry = now + 7 * 24 * 3600 * 1000;
	const tokenExpiry = now + 3600 * 1000;
	const users = Array.from({ length: count }, (_, i) => ({
		id: i + 1,
		email: `bench-${i}@example.com`,
		session: randomUUID(),
		token: randomUUID(),
	}));
	const statements = [];
	for (let i = 0; i < users.length; i += 200) {
		// Every value is generated here (hex digests, UUIDs, numbers), so inlining them is safe.
		const batch = users.slice(i, i + 200);
		const userRows = batch.map(
			(u) => `(${u.id}, '${u.email}', '${hash}', '${sha256Hex(u.token)}', ${tokenExpiry})`,
		);
		const sessionRows = batch.map(
			(u) =>
				`('${sha256Hex(u.session)}', '${sha256Hex(u.email).slice(0, 32)}', ${u.id}, ${now}, ${now}, ${sessionExpiry}, 'bench')`,
		);
		statements.push(
			db.prepare(
				`INSERT INTO users (id, email, hashed_password, reset_token, reset_token_expires_at) VALUES ${userRows.join(", ")}`,
			),
			db.prepare(
				`INSERT INTO sessions (id, public_id, user_id, created_at, last_used_at, expires_at, user_agent) VALUES ${sessionRows.join(", ")}`,
			),
		);
	}
	await db.batch(statements);
	return users.map(({ email, session, token }) => ({ email, session, token }));
}

/** The peer's base URL inside its worker; its origin is the one Better Auth trusts. */
export const PEER_BASE_URL = "http://localhost:8787";
/** The peer's cookie holding the session token. */
const PEER_SESSION_COOKIE = "better-auth.session_token";

/** One JSON POST to the peer, with the Origin a same-origin browser `fetch` would send. */
function peerPost(base: URL, route: string, body: unknown): Promise<Response> {
	// Node's fetch always sends `Sec-Fetch-Mode`, upon which Better Auth demands a trusted Origin.
	return fetch(new URL(route, base), {
		method: "POST",
		headers: { "content-type": "application/json", origin: new URL(PEER_BASE_URL).origin },
		body: JSON.stringify(body),
	});
}

/**
 * Creates `count` users through the peer's sign-up route, so their stored hashes are the variant's own,
 * and returns their emails and the `name=value` session cookie of a sign-in, checked with get-session.
 */
export async function seedPeer(
	base: URL,
	count: number,
	runId: string,
): Promise<{ emails: string[]; cookie: string }> {
	const emails = Array.from({ length: count }, (_, i) => `seed-${runId}-${i}@example.com`);
	for (const email of emails) {
		const res = await peerPost(base, "/api/auth/sign-up/email", { name: "Seed", email, password: PASSWORD });
		if (res.status !== 200) {
			throw new Error(`peer sign-up of ${email}: ${res.status} ${await res.text()}`);
		}
	}
	const signIn = await peerPost(base, "/api/auth/sign-in/email", { email: emails[0], password: PASSWORD });
	const cookie = signIn.headers
		.getSetCookie()
		.map((line) => line.split(";")[0] ?? "")
		.find((pair) => pair.startsWith(`${PEER_SESSION_COOKIE}=`));
	if (cookie === undefined) {
		throw new Error(`peer sign-in set no ${PEER_SESSION_COOKIE} cookie (status ${signIn.status})`);
	}
	const check = await (await fetch(new URL("/api/auth/get-session", base), { headers: { cookie } })).text();
	if (!check.startsWith('{"session"')) {
		throw new Error(`peer get-session with a fresh cookie answered ${check.slice(0, 200)}`);
	}
	return { emails, cookie };
}

/** Returns a function that hands out the items of `items` in turn, starting at `from`. */
export function rotate<T>(items: readonly T[], from = 0): () => T {
	let i = from;
	return () => {
		const item = items[i % items.length];
		i++;
		if (item === undefined) {
			throw new Error("rotate() needs at least one item");
		}
		return item;
	};
}
