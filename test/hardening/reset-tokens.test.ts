/** Reset tokens expire, are spent once, are bound to their email, and a reset ends the user's session. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	call,
	logInViaApi,
	profileStatuses,
	registerViaApi,
	sha256Hex,
	storedUser,
	testAuth,
	testDb,
	uniqueEmail,
} from "../helpers";

/** Registers a user and returns a reset token for them, both through the API. */
async function userWithToken(password = "pwd"): Promise<{ email: string; token: string }> {
	const email = uniqueEmail();
	await registerViaApi(email, password);
	const res = await call("POST", "/reset_password", { form: { email } });
	return { email, token: (await res.json<{ reset_token: string }>()).reset_token };
}

/** Sends the password update of the reset flow. */
function putReset(email: string, token: string, newPassword = "new password") {
	return call("PUT", "/reset_password", { form: { email, reset_token: token, new_password: newPassword } });
}

describe("reset tokens", () => {
	it("handed back in the answer (response mode) prove nothing about the mailbox: the address stays unverified", async () => {
		const { email, token } = await userWithToken();
		expect((await putReset(email, token)).status).toBe(200);
		expect((await storedUser(email))?.email_verified_at).toBeNull();
	});

	it("expire: a token past its expiry answers 403", async () => {
		const { email, token } = await userWithToken();
		await env.DB.prepare("UPDATE users SET reset_token_expires_at = ? WHERE email = ?")
			.bind(Date.now() - 1000, email)
			.run();
		expect((await putReset(email, token)).status).toBe(403);
	});

	it("are valid for an hour by default and not after", async () => {
		let now = Date.now();
		const auth = testAuth({ now: () => new Date(now) });
		const email = uniqueEmail();
		await auth.registerUser(email, "pwd");
		const first = await auth.getResetPasswordToken(email);
		now += 3600 * 1000;
		await expect(auth.updatePassword(first, "new")).rejects.toThrow(/reset token/);
		const second = await auth.getResetPasswordToken(email);
		now += 3600 * 1000 - 1;
		await expect(auth.updatePassword(second, "new")).resolves.toBeUndefined();
	});

	it("are bound to their email: another user's email answers 403 and leaves the token usable", async () => {
		const { email, token } = await userWithToken();
		const other = uniqueEmail();
		await registerViaApi(other, "pwd");
		const res = await putReset(other, token);
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid reset token" });
		expect(
			(await call("POST", "/sessions", { form: { email: other, password: "new password" } })).status,
		).toBe(401);
		expect((await putReset(email, token)).status).toBe(200);
	});

	it("are single-use", async () => {
		const { email, token } = await userWithToken();
		expect((await putReset(email, token)).status).toBe(200);
		expect((await putReset(email, token, "another pwd")).status).toBe(403);
	});

	it("are spent exactly once by two concurrent updates", async () => {
		const { email, token } = await userWithToken();
		const statuses = (
			await Promise.all([putReset(email, token, "first one"), putReset(email, token, "second one")])
		)
			.map((res) => res.status)
			.sort();
		expect(statuses).toEqual([200, 403]);
	});

	it("end every session of the user, on every device, when the password is reset", async () => {
		const { email, token } = await userWithToken("old password");
		const sessions = [await logInViaApi(email, "old password"), await logInViaApi(email, "old password")];
		expect(await profileStatuses(sessions)).toEqual([200, 200]);
		expect((await putReset(email, token)).status).toBe(200);
		expect(await profileStatuses(sessions)).toEqual([403, 403]);
	});

	it("that lost a race end no session: spending a token no longer held changes nothing", async () => {
		// The lookup before it normally stops a spent token; this is the race where a concurrent reset
		// spent it in between, so the write itself must check.
		const { email, token } = await userWithToken("old password");
		const sessionId = await logInViaApi(email, "old password");
		const user = await storedUser(email);
		const spent = await testDb().users.spendResetToken(
			user?.id ?? 0,
			await sha256Hex(`${token}-not`),
			"hash",
			null,
		);
		expect(spent).toBe(false);
		expect(await profileStatuses([sessionId])).toEqual([200]);
		expect((await storedUser(email))?.hashed_password).toBe(user?.hashed_password);
	});

	it("are replaced by a newer request: only the latest token works", async () => {
		const { email, token: first } = await userWithToken();
		const res = await call("POST", "/reset_password", { form: { email } });
		const { reset_token: second } = await res.json<{ reset_token: string }>();
		expect((await putReset(email, first)).status).toBe(403);
		expect((await putReset(email, second)).status).toBe(200);
	});
});
