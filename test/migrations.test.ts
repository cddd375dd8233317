/**
 * The migrations upgrade a database that holds data, not just an empty one: each test replays them on a
 * database of its own, with rows written in between the way the code of that time wrote them.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { SeedAuth } from "../src/auth/seed-auth";
import { loadConfig } from "../src/config";
import { Db } from "../src/db/db";
import { sha256Hex } from "./helpers";

/** The migrations up to and including the one whose name starts with `prefix`. */
function migrationsThrough(prefix: string) {
	const end = env.TEST_MIGRATIONS.findIndex((migration) => migration.name.startsWith(prefix));
	expect(end).toBeGreaterThanOrEqual(0);
	return env.TEST_MIGRATIONS.slice(0, end + 1);
}

beforeEach(async () => {
	const { results } = await env.UPGRADE_DB.prepare(
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
	).all<{ name: string }>();
	// Tables that others refer to go last.
	const order = (name: string) => (name === "users" ? 1 : 0);
	const names = results.map(({ name }) => name).sort((a, b) => order(a) - order(b));
	for (const name of names) {
		await env.UPGRADE_DB.prepare(`DROP TABLE "${name}"`).run();
	}
});

describe("0002_sessions_per_device", () => {
	it("moves live sessions to the sessions table, drops expired ones, and drops users.session_id", async () => {
		const db = env.UPGRADE_DB;
		await applyD1Migrations(db, migrationsThrough("0001"));
		const now = Date.now();
		const liveSessionId = crypto.randomUUID();
		const liveDigest = await sha256Hex(liveSessionId);
		await db.batch([
			db
				.prepare(
					"INSERT INTO users (id, email, hashed_password, session_id, session_expires_at) VALUES (?, ?, ?, ?, ?)",
				)
				.bind(1, "live@example.com", "hash", liveDigest, now + 3600_000),
			db
				.prepare(
					"INSERT INTO users (id, email, hashed_password, session_id, session_expires_at) VALUES (?, ?, ?, ?, ?)",
				)
				.bind(2, "expired@example.com", "hash", "b".repeat(64), now - 1),
			db
				.prepare("INSERT INTO users (id, email, hashed_password) VALUES (?, ?, ?)")
				.bind(3, "none@example.com", "hash"),
		]);

		await applyD1Migrations(db, env.TEST_MIGRATIONS);

		const { results } = await db.prepare("SELECT * FROM sessions").all<Record<string, unknown>>();
		expect(results).toEqual([
			{
				id: liveDigest,
				public_id: expect.stringMatching(/^[0-9a-f]{32}$/),
				user_id: 1,
				created_at: expect.any(Number),
				last_used_at: expect.any(Number),
				expires_at: now + 3600_000,
				user_agent: null,
			},
		]);
		expect(Math.abs(Number(results[0]?.created_at) - now)).toBeLessThan(5000);
		const columns = (await db.prepare("PRAGMA table_info(users)").all<{ name: string }>()).results.map(
			(column) => column.name,
		);
		expect(columns).not.toContain("session_id");
		expect(columns).not.toContain("session_expires_at");
		expect(await db.prepare("SELECT count(*) AS n FROM users").first("n")).toBe(3);

		// The moved session still logs its holder in.
		const auth = new SeedAuth(new Db(db), loadConfig(env));
		expect((await auth.getUserFromSessionId(liveSessionId))?.email).toBe("live@example.com");
	});
});
