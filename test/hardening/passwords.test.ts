/** Passwords bcrypt would truncate are refused, never truncated; empty ones too; the minimum is configurable. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { call, registerViaApi, testAuth, uniqueEmail } from "../helpers";

describe("passwords", () => {
	it.each([
		["37 × é (74 bytes of UTF-8, 37 characters)", "é".repeat(37)],
		["73 ASCII characters", "a".repeat(73)],
		["19 emoji (76 bytes)", "🔑".repeat(19)],
	])("of %s are refused with 400 on sign-up", async (_case, password) => {
		const res = await call("POST", "/users", { form: { email: uniqueEmail(), password } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password must be at most 72 bytes" });
	});

	it.each([
		["36 × é (72 bytes)", "é".repeat(36)],
		["72 ASCII characters", "a".repeat(72)],
	])("of %s are accepted and work", async (_case, password) => {
		const email = uniqueEmail();
		expect((await call("POST", "/users", { form: { email, password } })).status).toBe(200);
		expect((await call("POST", "/sessions", { form: { email, password } })).status).toBe(200);
	});

	it("are never truncated at login: the 72-byte password plus one more byte does not log in", async () => {
		const email = uniqueEmail();
		const password = "b".repeat(72);
		await registerViaApi(email, password);
		const res = await call("POST", "/sessions", { form: { email, password: `${password}!` } });
		expect(res.status).toBe(401);
	});

	it("over 72 bytes are refused as a new password on reset", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const token = await (await call("POST", "/reset_password", { form: { email } })).json<{
			reset_token: string;
		}>();
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token: token.reset_token, new_password: "é".repeat(37) },
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password must be at most 72 bytes" });
	});

	it("may not be empty, even through Auth directly", async () => {
		await expect(testAuth().registerUser(uniqueEmail(), "")).rejects.toThrow("password is required");
	});

	it("have a configurable minimum length whose default accepts the original `b4l0u`", async () => {
		expect(loadConfig({}).passwordMinLength).toBe(1);
		await expect(testAuth().registerUser(uniqueEmail(), "b4l0u")).resolves.toMatchObject({});

		const strict = testAuth({}, { passwordMinLength: 8 });
		await expect(strict.registerUser(uniqueEmail(), "b4l0u")).rejects.toThrow(
			"password must be at least 8 characters",
		);
		await expect(strict.registerUser(uniqueEmail(), "ééééééé")).rejects.toThrow("at least 8 characters");
		await expect(strict.registerUser(uniqueEmail(), "t4rt1fl3tt3")).resolves.toMatchObject({});
	});
});
