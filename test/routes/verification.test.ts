/**
 * Email verification over HTTP: `POST /users/verification` (one answer for every address in `email`
 * mode, the token in `response` mode), `POST /users/verify`, `GET /users/me`, and `REQUIRE_VERIFIED_EMAIL`.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { consume, job } from "../email/helpers";
import {
	call,
	emailModeEnv,
	logInViaApi,
	registerViaApi,
	sessionSetCookie,
	uniqueEmail,
	uniqueIp,
	verificationTokenViaApi,
} from "../helpers";
import { callEmail, jobsOf, spyOnEmailQueue } from "./email-queue";

let queued: MockInstance;

beforeEach(() => {
	({ send: queued } = spyOnEmailQueue());
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("POST /users/verification", () => {
	it("in email mode answers every address alike and queues a verify-email job for each", async () => {
		const known = uniqueEmail();
		await registerViaApi(known, "a password");
		const unknown = uniqueEmail();
		for (const email of [known, unknown]) {
			const res = await callEmail("POST", "/users/verification", { email });
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ email, message: "verification email sent" });
		}
		expect(jobsOf(queued, [known, unknown])).toEqual([
			{ kind: "verify-email", email: "<email>" },
			{ kind: "verify-email", email: "<email>" },
		]);
	});

	it("is throttled like reset requests", async () => {
		const email = uniqueEmail();
		const ip = uniqueIp();
		const ask = async () =>
			(await call("POST", "/users/verification", { form: { email }, env: emailModeEnv(), ip })).status;
		for (let i = 0; i < 5; i++) {
			expect(await ask()).toBe(200);
		}
		expect(await ask()).toBe(429);
	});

	it("in response mode answers the token, which verifies the address once; an unknown address 403", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const res = await call("POST", "/users/verification", { form: { email } });
		const { verification_token } = await res.json<{ verification_token: string }>();
		expect(verification_token).toHaveLength(36);
		expect((await call("POST", "/users/verify", { form: { token: verification_token } })).status).toBe(200);
		expect((await call("POST", "/users/verify", { form: { token: verification_token } })).status).toBe(403);
		expect((await call("POST", "/users/verification", { form: { email: uniqueEmail() } })).status).toBe(403);
	});

	it("issues tokens that expire after 24 hours", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const res = await call("POST", "/users/verification", { form: { email } });
		const { verification_token } = await res.json<{ verification_token: string }>();
		await env.DB.prepare(
			"UPDATE email_tokens SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
		)
			.bind(Date.now() - 1, email)
			.run();
		const verify = await call("POST", "/users/verify", { form: { token: verification_token } });
		expect(verify.status).toBe(403);
		expect(await verify.json()).toEqual({ message: "invalid verification token" });
	});
});

describe("GET /users/me", () => {
	it("answers the email, whether it is verified, and when the account was created", async () => {
		const email = uniqueEmail();
		const before = Date.now();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const me = await (await call("GET", "/users/me", { sessionId })).json<Record<string, unknown>>();
		expect(me).toEqual({ email, email_verified: false, created_at: expect.any(String) });
		expect(Date.parse(String(me.created_at))).toBeGreaterThanOrEqual(before - 1);

		const verification_token = await verificationTokenViaApi(email);
		await call("POST", "/users/verify", { form: { token: verification_token } });
		expect(await (await call("GET", "/users/me", { sessionId })).json()).toMatchObject({
			email_verified: true,
		});
	});

	it("answers 403 without a live session", async () => {
		expect((await call("GET", "/users/me")).status).toBe(403);
	});
});

describe("REQUIRE_VERIFIED_EMAIL", () => {
	const strict = () => emailModeEnv({ REQUIRE_VERIFIED_EMAIL: "true" });

	it("in email mode answers a right password of an unverified account exactly like a wrong one, and sends the address a new link", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const right = await call("POST", "/sessions", { form: { email, password: "a password" }, env: strict() });
		const wrong = await call("POST", "/sessions", { form: { email, password: "not it" }, env: strict() });
		expect({ status: right.status, body: await right.text() }).toEqual({
			status: 401,
			body: '{"message":"invalid email or password"}',
		});
		expect({ status: wrong.status, body: await wrong.text() }).toEqual({
			status: 401,
			body: '{"message":"invalid email or password"}',
		});
		expect(sessionSetCookie(right)).toBeNull();
		// After the answer, so it shows neither in the answer nor in its timing.
		await vi.waitUntil(() => queued.mock.calls.length > 0, { timeout: 5000, interval: 20 });
		expect(jobsOf(queued, [email])).toEqual([{ kind: "verify-email", email: "<email>" }]);
	});

	it("in email mode does not replace a link sent less than 15 minutes ago: the first one keeps working", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		await consume([job({ kind: "verify-email", email })]);
		const logIn = () =>
			call("POST", "/sessions", { form: { email, password: "a password" }, env: strict(), ip: uniqueIp() });
		expect((await logIn()).status).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(queued).not.toHaveBeenCalled();
		await env.DB.prepare(
			"UPDATE email_tokens SET created_at = created_at - ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
		)
			.bind(16 * 60 * 1000, email)
			.run();
		expect((await logIn()).status).toBe(401);
		await vi.waitUntil(() => queued.mock.calls.length > 0, { timeout: 5000, interval: 20 });
		expect(jobsOf(queued, [email])).toEqual([{ kind: "verify-email", email: "<email>" }]);
	});

	it("in email mode sends at most five new links an hour from refused logins", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		for (let i = 0; i < 7; i++) {
			await call("POST", "/sessions", {
				form: { email, password: "a password" },
				env: strict(),
				ip: uniqueIp(),
			});
		}
		await vi.waitUntil(() => queued.mock.calls.length >= 5, { timeout: 5000, interval: 20 });
		// Give any sixth job the time to arrive, were there one.
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(queued).toHaveBeenCalledTimes(5);
	});

	it("in response mode refuses a right password of an unverified account with 403, a wrong one with 401", async () => {
		const responseStrict = { ...env, REQUIRE_VERIFIED_EMAIL: "true" } as Env;
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const right = await call("POST", "/sessions", {
			form: { email, password: "a password" },
			env: responseStrict,
		});
		expect(right.status).toBe(403);
		expect(await right.json()).toEqual({ message: "email not verified" });
		expect(sessionSetCookie(right)).toBeNull();
		const wrong = await call("POST", "/sessions", {
			form: { email, password: "not it" },
			env: responseStrict,
		});
		expect(wrong.status).toBe(401);
	});

	it("lets the account in once its address is verified", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const verification_token = await verificationTokenViaApi(email);
		await call("POST", "/users/verify", { form: { token: verification_token } });
		const res = await call("POST", "/sessions", { form: { email, password: "a password" }, env: strict() });
		expect(res.status).toBe(200);
	});
});
