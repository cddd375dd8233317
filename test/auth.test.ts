/** Unit tests of {@link Auth}: sessions (tasks 12, 13) and password resets (tasks 16, 18). */
import { describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/password";
import { countSessions, HEAVY_TEST_TIMEOUT_MS, testAuth, testDb, uniqueEmail } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Auth.registerUser", () => {
	it("stores a bcrypt hash at the configured cost, never the password", async () => {
		const email = uniqueEmail();
		const user = await testAuth().registerUser(email, "mySecuredPwd");
		expect(user.hashedPassword).toMatch(/^nfc\$\$2b\$04\$/);
		expect(user.hashedPassword).not.toContain("mySecuredPwd");
	});
});

describe("Auth.getUserFromSessionId (task 12)", () => {
	it("returns null for a null session id", async () => {
		expect(await testAuth().getUserFromSessionId(null)).toBeNull();
	});

	it("returns null for a session id nobody holds", async () => {
		expect(await testAuth().getUserFromSessionId(crypto.randomUUID())).toBeNull();
	});

	it("returns the user a created session belongs to", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const sessionId = await auth.createSession(email);
		expect((await auth.getUserFromSessionId(sessionId))?.email).toBe(email);
	});

	it("keeps the earlier session when a new one is created: one session per device", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const first = await auth.createSession(email);
		const second = await auth.createSession(email);
		expect(second).not.toBe(first);
		expect((await auth.getUserFromSessionId(first))?.email).toBe(email);
		expect((await auth.getUserFromSessionId(second))?.email).toBe(email);
	});
});

describe("Auth.destroySession (task 13)", () => {
	it("ends every session of the user, and no one else's", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		const other = uniqueEmail();
		const user = await auth.registerUser(email, "pwd");
		await auth.registerUser(other, "pwd");
		const sessions = [await auth.createSession(email), await auth.createSession(email)];
		const othersSession = await auth.createSession(other);
		await auth.destroySession(user.id);
		for (const sessionId of sessions) {
			expect(await auth.getUserFromSessionId(sessionId)).toBeNull();
		}
		expect(await countSessions(user.id)).toBe(0);
		expect((await auth.getUserFromSessionId(othersSession))?.email).toBe(other);
	});
});

describe("Auth.getResetPasswordToken (task 16)", () => {
	it("returns a UUID token for a registered email", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		expect(await auth.getResetPasswordToken(email)).toMatch(UUID);
	});

	it("throws for an email nobody registered", async () => {
		await expect(testAuth().getResetPasswordToken(uniqueEmail())).rejects.toThrow(/does not exist/);
	});
});

describe("Auth.updatePassword (task 18)", () => {
	it("sets the new password and clears the token", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		const user = await auth.registerUser(email, "old password");
		const token = await auth.getResetPasswordToken(email);
		await auth.updatePassword(token, "new password");
		expect(await auth.validLogin(email, "new password")).toBe(true);
		expect(await auth.validLogin(email, "old password")).toBe(false);
		expect((await testDb().findUserBy({ id: user.id })).resetToken).toBeNull();
	});

	it("throws for a token nobody holds, and a spent token cannot be used again", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const token = await auth.getResetPasswordToken(email);
		await expect(auth.updatePassword(crypto.randomUUID(), "x")).rejects.toThrow(/reset token/);
		await auth.updatePassword(token, "new");
		await expect(auth.updatePassword(token, "newer")).rejects.toThrow(/reset token/);
	});
});

describe("hashPassword", () => {
	it(
		"uses the cost it is given",
		async () => {
			expect(await hashPassword("pwd", 10)).toMatch(/^\$2b\$10\$/);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});

describe("SeedAuth.validLogin", () => {
	it("counts failures like a login: past the account's limit it throws TOO_MANY_REQUESTS", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "right pwd");
		for (let i = 0; i < 10; i++) {
			expect(await auth.validLogin(email, "wrong")).toBe(false);
		}
		await expect(auth.validLogin(email, "right pwd")).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
	});

	it("clears the account's failures when the password is right", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "right pwd");
		for (let round = 0; round < 2; round++) {
			for (let i = 0; i < 9; i++) {
				expect(await auth.validLogin(email, "wrong")).toBe(false);
			}
			expect(await auth.validLogin(email, "right pwd")).toBe(true);
		}
	});
});
