/**
 * The HTTP side of `email` mode (production's): answers that tell nothing about whether an address is
 * registered, with the same status, body and queue traffic either way; verification; changes of address;
 * `REQUIRE_VERIFIED_EMAIL`; and 256-bit session ids.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import {
	call,
	emailModeEnv,
	logInViaApi,
	profileStatuses,
	registerViaApi,
	storedUser,
	uniqueEmail,
	uniqueIp,
} from "../helpers";

let queued: MockInstance;
let queuedBatches: MockInstance;

beforeEach(() => {
	const queue = env.EMAIL_QUEUE;
	if (queue === undefined) {
		throw new Error("the test configuration has no EMAIL_QUEUE");
	}
	queued = vi.spyOn(queue, "send");
	queuedBatches = vi.spyOn(queue, "sendBatch");
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The jobs queued since the spy was set, with every address replaced by `<email>`. */
function queuedJobs(addresses: readonly string[]): unknown[] {
	return queued.mock.calls.map(([job]) => {
		let text = JSON.stringify(job);
		for (const address of addresses) {
			text = text.replaceAll(address, "<email>");
		}
		return JSON.parse(text);
	});
}

/** Sends a request in `email` mode, from its own client address. */
function callEmail(method: string, path: string, form: Record<string, string>, sessionId?: string) {
	return call(method, path, { form, sessionId, env: emailModeEnv(), ip: uniqueIp() });
}

describe("POST /reset_password in email mode", () => {
	it("answers a registered and an unknown address alike, and queues the same job for both", async () => {
		const known = uniqueEmail();
		await registerViaApi(known, "a password");
		const unknown = uniqueEmail();
		const answers = [];
		for (const email of [known, unknown]) {
			const res = await callEmail("POST", "/reset_password", { email });
			answers.push({ status: res.status, body: (await res.text()).replace(email, "<email>") });
		}
		expect(answers).toEqual([
			{ status: 200, body: '{"email":"<email>","message":"reset email sent"}' },
			{ status: 200, body: '{"email":"<email>","message":"reset email sent"}' },
		]);
		expect(queuedJobs([known, unknown])).toEqual([
			{ kind: "password-reset", email: "<email>" },
			{ kind: "password-reset", email: "<email>" },
		]);
		expect((await storedUser(known))?.reset_token ?? null).toBeNull();
	});

	it("keeps the reset limits: the sixth request for one account in an hour answers 429", async () => {
		const email = uniqueEmail();
		for (let i = 0; i < 5; i++) {
			expect((await callEmail("POST", "/reset_password", { email })).status).toBe(200);
		}
		expect((await callEmail("POST", "/reset_password", { email })).status).toBe(429);
		expect(queued).toHaveBeenCalledTimes(5);
	});
});

describe("POST /users in email mode", () => {
	it("answers a taken address exactly like a new one, and queues a notice to its owner instead", async () => {
		const taken = uniqueEmail();
		await registerViaApi(taken, "a password");
		const fresh = uniqueEmail();
		const answers = [];
		for (const email of [fresh, taken]) {
			const res = await callEmail("POST", "/users", { email, password: "another password" });
			answers.push({ status: res.status, body: (await res.text()).replace(email, "<email>") });
		}
		expect(answers[0]).toEqual({ status: 200, body: '{"email":"<email>","message":"user created"}' });
		expect(answers[1]).toEqual(answers[0]);
		expect(queuedJobs([fresh, taken])).toEqual([
			{ kind: "verify-email", email: "<email>" },
			{ kind: "address-taken", email: "<email>" },
		]);
		// The taken account keeps its password.
		expect((await call("POST", "/sessions", { form: { email: taken, password: "a password" } })).status).toBe(
			200,
		);
	});

	it("issues 256-bit session ids (43 base64url characters)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password", {}, { env: emailModeEnv() });
		expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(await profileStatuses([sessionId])).toEqual([200]);
	});
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
		expect(queuedJobs([known, unknown])).toEqual([
			{ kind: "verify-email", email: "<email>" },
			{ kind: "verify-email", email: "<email>" },
		]);
	});

	it("is throttled like reset requests", async () => {
		const email = uniqueEmail();
		for (let i = 0; i < 5; i++) {
			expect((await callEmail("POST", "/users/verification", { email })).status).toBe(200);
		}
		expect((await callEmail("POST", "/users/verification", { email })).status).toBe(429);
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

		const { verification_token } = await (
			await call("POST", "/users/verification", { form: { email } })
		).json<{
			verification_token: string;
		}>();
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

	it("refuses a right password of an unverified account with 403, a wrong one with 401 as before", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const right = await call("POST", "/sessions", { form: { email, password: "a password" }, env: strict() });
		expect(right.status).toBe(403);
		expect(await right.json()).toEqual({ message: "email not verified" });
		expect(right.headers.get("Set-Cookie")).toBeNull();
		const wrong = await call("POST", "/sessions", { form: { email, password: "not it" }, env: strict() });
		expect(wrong.status).toBe(401);
	});

	it("lets the account in once its address is verified", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const { verification_token } = await (
			await call("POST", "/users/verification", { form: { email } })
		).json<{
			verification_token: string;
		}>();
		await call("POST", "/users/verify", { form: { token: verification_token } });
		const res = await call("POST", "/sessions", { form: { email, password: "a password" }, env: strict() });
		expect(res.status).toBe(200);
	});
});

describe("PUT /users/me/email", () => {
	it("in email mode answers 202 for a free and for a taken address, queueing the link and the notice", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const taken = uniqueEmail();
		await registerViaApi(taken, "a password");
		const free = uniqueEmail();
		const userId = (await storedUser(email))?.id;
		for (const newEmail of [free, taken]) {
			const res = await callEmail(
				"PUT",
				"/users/me/email",
				{ password: "a password", new_email: newEmail },
				sessionId,
			);
			expect(res.status).toBe(202);
			expect((await res.text()).replace(newEmail, "<email>")).toBe(
				'{"email":"<email>","message":"confirmation email sent"}',
			);
		}
		const jobs = queuedBatches.mock.calls.map(([messages]) =>
			(messages as { body: unknown }[]).map((message) =>
				JSON.parse(JSON.stringify(message.body).replace(free, "<email>").replace(taken, "<email>")),
			),
		);
		const expected = [
			{ kind: "change-email", userId, newEmail: "<email>" },
			{ kind: "change-email-notice", userId, newEmail: "<email>" },
		];
		expect(jobs).toEqual([expected, expected]);
		expect(queued).not.toHaveBeenCalled();
		// Nothing changes until the link is followed.
		expect((await storedUser(email))?.email).toBe(email);
	});

	it("answers 403 for a wrong password and 400 for the current address, queueing nothing", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const wrong = await callEmail(
			"PUT",
			"/users/me/email",
			{ password: "no", new_email: uniqueEmail() },
			sessionId,
		);
		expect(wrong.status).toBe(403);
		const same = await callEmail(
			"PUT",
			"/users/me/email",
			{ password: "a password", new_email: email },
			sessionId,
		);
		expect(same.status).toBe(400);
		expect(await same.json()).toEqual({ message: "new_email is the current email" });
		expect(queuedBatches).not.toHaveBeenCalled();
	});

	it("in response mode answers the confirmation token, and 400 for a taken address", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const newEmail = uniqueEmail();
		const res = await call("PUT", "/users/me/email", {
			sessionId,
			form: { password: "a password", new_email: newEmail },
		});
		expect(res.status).toBe(200);
		const { confirmation_token } = await res.json<{ confirmation_token: string }>();
		const confirmed = await call("POST", "/users/me/email/confirm", { form: { token: confirmation_token } });
		expect(await confirmed.json()).toEqual({ email: newEmail, message: "email changed" });
		expect(await (await call("GET", "/users/me", { sessionId })).json()).toMatchObject({
			email: newEmail,
			email_verified: true,
		});

		const other = uniqueEmail();
		await registerViaApi(other, "a password");
		const takenRes = await call("PUT", "/users/me/email", {
			sessionId,
			form: { password: "a password", new_email: other },
		});
		expect(takenRes.status).toBe(400);
	});
});
