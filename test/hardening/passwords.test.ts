/**
 * The password policy (OWASP ASVS 6.2): Unicode NFC before hashing and checking; at least 64 characters
 * accepted whatever the script, with passwords over bcrypt's 72 bytes pre-hashed, never truncated;
 * common passwords refused; a configurable minimum; the exercise's `b4l0u` still accepted by default.
 */
import { env } from "cloudflare:workers";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import {
	call,
	emailModeEnv,
	logInViaApi,
	registerViaApi,
	storedUser,
	testAuth,
	uniqueEmail,
} from "../helpers";

/** Signs up and logs in with the given passwords; returns the two statuses. */
async function signUpThenLogIn(
	signUpWith: string,
	logInWith: string,
	testEnv?: Env,
): Promise<[number, number]> {
	const email = uniqueEmail();
	const signUp = await call("POST", "/users", { form: { email, password: signUpWith }, env: testEnv });
	const login = await call("POST", "/sessions", { form: { email, password: logInWith }, env: testEnv });
	return [signUp.status, login.status];
}

const COMPOSED = "caf\u00e9 au lait";
const DECOMPOSED = "cafe\u0301 au lait";

describe("passwords", () => {
	it("are one password however their accents are typed (NFC), both ways", async () => {
		expect(COMPOSED).not.toBe(DECOMPOSED);
		expect(await signUpThenLogIn(COMPOSED, DECOMPOSED)).toEqual([200, 200]);
		expect(await signUpThenLogIn(DECOMPOSED, COMPOSED)).toEqual([200, 200]);
	});

	it("hashed before NFC (as typed) still log in, and are re-hashed in NFC at that login", async () => {
		const email = uniqueEmail();
		await env.DB.prepare("INSERT INTO users (email, hashed_password) VALUES (?, ?)")
			.bind(email, bcrypt.hashSync(DECOMPOSED, 4))
			.run();
		expect((await call("POST", "/sessions", { form: { email, password: DECOMPOSED } })).status).toBe(200);
		expect((await storedUser(email))?.hashed_password).toMatch(/^nfc\$\$2b\$04\$/);
		expect((await call("POST", "/sessions", { form: { email, password: COMPOSED } })).status).toBe(200);
	});

	it.each([
		["64 × é (128 bytes of UTF-8)", "é".repeat(64)],
		["64 emoji (256 bytes)", "🔑".repeat(64)],
		["128 ASCII characters", "a1".repeat(64)],
		["73 ASCII characters", `${"b2".repeat(36)}c`],
	])("of %s are accepted, pre-hashed, and log in", async (_case, password) => {
		const email = uniqueEmail();
		expect((await call("POST", "/users", { form: { email, password } })).status).toBe(200);
		expect((await storedUser(email))?.hashed_password).toMatch(/^nfc-hmac\$\$2b\$04\$/);
		expect((await call("POST", "/sessions", { form: { email, password } })).status).toBe(200);
	});

	it("are never truncated: the same first 72 bytes with a different end does not log in", async () => {
		const password = `${"x1".repeat(36)}-the end`;
		expect(await signUpThenLogIn(password, `${"x1".repeat(36)}-another end`)).toEqual([200, 401]);
		expect(await signUpThenLogIn("z9".repeat(36), `${"z9".repeat(36)}!`)).toEqual([200, 401]);
	});

	it("over bcrypt's 72 bytes depend on PASSWORD_PEPPER: under another pepper they do not match", async () => {
		const email = uniqueEmail();
		const password = "é".repeat(64);
		await registerViaApi(email, password);
		const otherPepper = { ...env, PASSWORD_PEPPER: "another-pepper-of-32-characters-at-least" } as Env;
		expect((await call("POST", "/sessions", { form: { email, password }, env: otherPepper })).status).toBe(
			401,
		);
		expect((await call("POST", "/sessions", { form: { email, password } })).status).toBe(200);
	});

	it("of more than 128 characters are refused with 400", async () => {
		const res = await call("POST", "/users", { form: { email: uniqueEmail(), password: "é".repeat(129) } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password must be at most 128 characters" });
	});

	it.each(["password1", "Qwerty123", "ILOVEYOU", "letmein"])(
		"among the 10,000 most common (%s, in any case) are refused with 400 naming why",
		async (password) => {
			const res = await call("POST", "/users", { form: { email: uniqueEmail(), password } });
			expect(res.status).toBe(400);
			expect(await res.json()).toEqual({ message: "password is too common" });
		},
	);

	it("that are common are refused on a reset and a change too", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a fine password");
		const { reset_token } = await (await call("POST", "/reset_password", { form: { email } })).json<{
			reset_token: string;
		}>();
		const reset = await call("PUT", "/reset_password", {
			form: { email, reset_token, new_password: "iloveyou" },
		});
		expect(await reset.json()).toEqual({ message: "password is too common" });
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

	// ASVS 6.2.11, in production's configuration (email mode, 8 characters at least).
	it.each([
		["eight spaces", () => " ".repeat(8), "password must not be only spaces"],
		["eight NUL characters", () => "\u0000".repeat(8), "password must not contain control characters"],
		["the address itself", (email: string) => email, "password must not be your email address"],
		[
			"the address in capitals",
			(email: string) => email.toUpperCase(),
			"password must not be your email address",
		],
		[
			"the local part, twice",
			(email: string) => email.split("@")[0]?.repeat(2) ?? "",
			"password must not be your email address",
		],
	])("of %s are refused with 400 naming why", async (_case, passwordFor, message) => {
		const email = uniqueEmail();
		const production = emailModeEnv({ PASSWORD_MIN_LENGTH: "8" });
		const res = await call("POST", "/users", {
			form: { email, password: passwordFor(email) },
			env: production,
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message });
		expect(await storedUser(email)).toBeNull();
	});

	it("may not become the address on a change or a reset either", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a fine password");
		const sessionId = await logInViaApi(email, "a fine password");
		const change = await call("PUT", "/password", {
			sessionId,
			form: { current_password: "a fine password", new_password: email },
		});
		expect(change.status).toBe(400);
		expect(await change.json()).toEqual({ message: "password must not be your email address" });
		const { reset_token } = await (await call("POST", "/reset_password", { form: { email } })).json<{
			reset_token: string;
		}>();
		const reset = await call("PUT", "/reset_password", { form: { email, reset_token, new_password: email } });
		expect(await reset.json()).toEqual({ message: "password must not be your email address" });
		await expect(testAuth().updatePassword(reset_token, email.toUpperCase())).rejects.toThrow(
			"password must not be your email address",
		);
	});

	it("work the same in email mode, where sign-up answers alike but the policy still applies", async () => {
		expect(await signUpThenLogIn("🔑".repeat(40), "🔑".repeat(40), emailModeEnv())).toEqual([200, 200]);
		const common = await call("POST", "/users", {
			form: { email: uniqueEmail(), password: "password1" },
			env: emailModeEnv(),
		});
		expect(common.status).toBe(400);
	});
});
