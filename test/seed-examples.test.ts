/**
 * The original specification's `main.py` examples (tasks 0–5, 8 and 10), with the same inputs and the
 * same outcomes. Each example there starts from a new database, so each test here starts from an empty
 * `users` table.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/auth/password";
import { InvalidRequestError, NoResultFound, ValueError } from "../src/db/errors";
import { HEAVY_TEST_TIMEOUT_MS, testAuth, testDb } from "./helpers";

beforeEach(async () => {
	await env.DB.batch([env.DB.prepare("DELETE FROM sessions"), env.DB.prepare("DELETE FROM users")]);
});

describe("task 0: user model", () => {
	it("has the original columns and types less session_id, then the columns added since", async () => {
		// The original model kept one session per user in `users.session_id`. Sessions now have a table of
		// their own (one row per device, keyed by the digest of the id), so migration 0002 moved live
		// sessions there and dropped `session_id` and its expiry instead of leaving a column nothing writes.
		// Migration 0003 added when the address was verified and when the account was created, 0004 the
		// password's generation (device cookies name it).
		const { results } = await env.DB.prepare("PRAGMA table_info(users)").all<{
			name: string;
			type: string;
			notnull: number;
			pk: number;
		}>();
		expect(
			results.map(({ name, type, notnull, pk }) => ({ name, type: type.toUpperCase(), notnull, pk })),
		).toEqual([
			{ name: "id", type: "INTEGER", notnull: 1, pk: 1 },
			{ name: "email", type: "VARCHAR(250)", notnull: 1, pk: 0 },
			{ name: "hashed_password", type: "VARCHAR(250)", notnull: 1, pk: 0 },
			{ name: "reset_token", type: "VARCHAR(250)", notnull: 0, pk: 0 },
			{ name: "reset_token_expires_at", type: "INTEGER", notnull: 0, pk: 0 },
			{ name: "email_verified_at", type: "INTEGER", notnull: 0, pk: 0 },
			{ name: "created_at", type: "INTEGER", notnull: 0, pk: 0 },
			{ name: "password_generation", type: "INTEGER", notnull: 1, pk: 0 },
		]);
	});
});

describe("task 1: Db.addUser", () => {
	it("gives the first two users ids 1 and 2", async () => {
		const db = testDb();
		const user1 = await db.addUser("test@test.com", "SuperHashedPwd");
		const user2 = await db.addUser("test1@test.com", "SuperHashedPwd1");
		expect(user1.id).toBe(1);
		expect(user2.id).toBe(2);
	});
});

describe("task 2: Db.findUserBy", () => {
	it("finds by email, raises NoResultFound for no match and InvalidRequestError for a bad column", async () => {
		const db = testDb();
		const user = await db.addUser("test@test.com", "PwdHashed");
		expect(user.id).toBe(1);
		expect((await db.findUserBy({ email: "test@test.com" })).id).toBe(1);
		await expect(db.findUserBy({ email: "test2@test.com" })).rejects.toBeInstanceOf(NoResultFound);
		// @ts-expect-error `no_email` is not an attribute of User; the check also holds at run time.
		await expect(db.findUserBy({ no_email: "test@test.com" })).rejects.toBeInstanceOf(InvalidRequestError);
	});
});

describe("task 3: Db.updateUser", () => {
	it("updates the password hash of an existing user", async () => {
		const db = testDb();
		const user = await db.addUser("test@test.com", "hashedPwd");
		expect(user.id).toBe(1);
		await expect(db.updateUser(user.id, { hashedPassword: "NewPwd" })).resolves.toBeUndefined();
		expect((await db.findUserBy({ id: user.id })).hashedPassword).toBe("NewPwd");
	});

	it("raises ValueError for an attribute the user model does not have", async () => {
		const db = testDb();
		const user = await db.addUser("test@test.com", "hashedPwd");
		// @ts-expect-error `nickname` is not an attribute of User; the check also holds at run time.
		await expect(db.updateUser(user.id, { nickname: "bob" })).rejects.toBeInstanceOf(ValueError);
	});
});

describe("task 4: hashPassword", () => {
	it(
		"returns a salted bcrypt hash of the password",
		async () => {
			const first = await hashPassword("Hello Holberton", 12);
			const second = await hashPassword("Hello Holberton", 12);
			expect(first).toMatch(/^\$2b\$12\$[./A-Za-z0-9]{53}$/);
			expect(second).not.toBe(first);
			expect(await verifyPassword("Hello Holberton", first)).toBe(true);
			expect(await verifyPassword("Hello Holberton!", first)).toBe(false);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});

describe("task 5: Auth.registerUser", () => {
	it("creates a new user, then refuses the same email with `User <email> already exists`", async () => {
		const auth = testAuth();
		const user = await auth.registerUser("me@me.com", "mySecuredPwd");
		expect(user.email).toBe("me@me.com");
		await expect(auth.registerUser("me@me.com", "mySecuredPwd")).rejects.toThrow(
			"User me@me.com already exists",
		);
	});
});

describe("task 8: Auth.validLogin", () => {
	it("is true for the right password and false for a wrong one or an unknown email", async () => {
		const auth = testAuth();
		await auth.registerUser("bob@bob.com", "MyPwdOfBob");
		expect(await auth.validLogin("bob@bob.com", "MyPwdOfBob")).toBe(true);
		expect(await auth.validLogin("bob@bob.com", "WrongPwd")).toBe(false);
		expect(await auth.validLogin("unknown@email", "MyPwdOfBob")).toBe(false);
	});
});

describe("task 10: Auth.createSession", () => {
	it("returns a new UUID session id for a known email and null for an unknown one", async () => {
		const auth = testAuth();
		await auth.registerUser("bob@bob.com", "MyPwdOfBob");
		expect(await auth.createSession("bob@bob.com")).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(await auth.createSession("unknown@email.com")).toBeNull();
	});
});
