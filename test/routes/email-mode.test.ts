/**
 * The HTTP side of `email` mode (production's): answers that tell nothing about whether an address is
 * registered, with the same status, body and queue traffic either way (reset, sign-up, change of
 * address), and 256-bit session ids. Verification: verification.test.ts.
 */
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
import { anonymous, callEmail, jobsOf, spyOnEmailQueue } from "./email-queue";

let queued: MockInstance;
let queuedBatches: MockInstance;

beforeEach(() => {
	({ send: queued, sendBatch: queuedBatches } = spyOnEmailQueue());
});

afterEach(() => {
	vi.restoreAllMocks();
});

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
		expect(jobsOf(queued, [known, unknown])).toEqual([
			{ kind: "password-reset", email: "<email>" },
			{ kind: "password-reset", email: "<email>" },
		]);
	});

	it("keeps the reset limits: the sixth request for one account from one network in an hour answers 429", async () => {
		const email = uniqueEmail();
		const ip = uniqueIp();
		const ask = async () =>
			(await call("POST", "/reset_password", { form: { email }, env: emailModeEnv(), ip })).status;
		for (let i = 0; i < 5; i++) {
			expect(await ask()).toBe(200);
		}
		expect(await ask()).toBe(429);
		expect(queued).toHaveBeenCalledTimes(5);
	});
});

describe("signing up, then logging in, in email mode", () => {
	it("answers the same whether the address was free or taken: the login tells nothing either", async () => {
		const taken = uniqueEmail();
		await registerViaApi(taken, "the owner's password");
		const fresh = uniqueEmail();
		const strict = emailModeEnv({ REQUIRE_VERIFIED_EMAIL: "true" });
		const answers = [];
		for (const email of [taken, fresh]) {
			const form = { email, password: "the stranger's password" };
			const signedUp = await call("POST", "/users", { form, env: strict, ip: uniqueIp() });
			const loggedIn = await call("POST", "/sessions", { form, env: strict, ip: uniqueIp() });
			answers.push({
				signUp: [signedUp.status, (await signedUp.text()).replace(email, "<email>")],
				logIn: [loggedIn.status, await loggedIn.text()],
			});
		}
		expect(answers[0]).toEqual({
			signUp: [200, '{"email":"<email>","message":"user created"}'],
			logIn: [401, '{"message":"invalid email or password"}'],
		});
		expect(answers[1]).toEqual(answers[0]);
		// What differs goes to the mailboxes, after the answers: the owner a notice, the new address its
		// link, and once more its link, since the login had its password.
		await vi.waitUntil(() => queued.mock.calls.length === 3, { timeout: 5000, interval: 20 });
		expect(jobsOf(queued, [taken, fresh])).toEqual([
			{ kind: "address-taken", email: "<email>" },
			{ kind: "verify-email", email: "<email>" },
			{ kind: "verify-email", email: "<email>" },
		]);
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
		expect(jobsOf(queued, [fresh, taken])).toEqual([
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

describe("PUT /users/me/email", () => {
	it("in email mode answers 202 for a free and for a taken address, queueing the link and the notice", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const taken = uniqueEmail();
		await registerViaApi(taken, "a password");
		const free = uniqueEmail();
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
			(messages as { body: unknown }[]).map((message) => anonymous(message.body, [email, free, taken])),
		);
		const expected = [
			{ kind: "change-email", changeId: expect.stringMatching(/^[0-9a-f]{32}$/) },
			{ kind: "change-email-notice", to: "<email>", newEmail: "<email>" },
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
