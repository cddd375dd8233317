/**
 * How the consumer delivers: a message handled once however often (and however concurrently) the queue
 * delivers it; retries with backoff; malformed jobs; the per-address limit; the dead-letter queue; no
 * token or address in its logs; and the real queue binding delivering to the consumer.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverEmails, reportUndeliverable, retryDelaySeconds } from "../../src/queue/consumer";
import {
	type CapturedLogs,
	call,
	captureLogs,
	emailModeEnv,
	linkIn,
	logInViaApi,
	recordingMailer,
	storedUser,
	uniqueEmail,
} from "../helpers";
import { BASE, consume, job, registered, withPendingChange } from "./helpers";

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("a message", () => {
	it("is handled once when the queue delivers it twice, one after the other", async () => {
		const email = await registered();
		const id = crypto.randomUUID();
		const mailer = recordingMailer();
		await consume([job({ kind: "password-reset", email })], mailer, [{ id }]);
		const again = await consume([job({ kind: "password-reset", email })], mailer, [{ id, attempts: 2 }]);
		expect(mailer.sent).toHaveLength(1);
		expect(again.result.explicitAcks).toEqual([id]);
	});

	it("is handled once when the queue delivers it twice at once, and its link keeps working", async () => {
		const email = await registered();
		const id = crypto.randomUUID();
		const mailer = recordingMailer();
		const body = job({ kind: "password-reset", email });
		const [first, second] = await Promise.all([
			consume([body], mailer, [{ id }]),
			consume([body], mailer, [{ id }]),
		]);
		expect(mailer.sent).toHaveLength(1);
		// The one that found the message taken comes back later; by then it is sent, and acknowledged.
		expect([...first.result.explicitAcks, ...second.result.explicitAcks]).toEqual([id]);
		const token = linkIn(mailer.sent[0], BASE).searchParams.get("token") ?? "";
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token: token, new_password: "new pwd 1" },
		});
		expect(res.status).toBe(200);
	});

	it("whose send failed is retried with a growing delay, and sent on a later attempt", async () => {
		const email = await registered();
		const id = crypto.randomUUID();
		const mailer = recordingMailer(1);
		const failed = await consume([job({ kind: "password-reset", email })], mailer, [{ id }]);
		expect(failed.result.explicitAcks).toEqual([]);
		expect(failed.result.retryMessages).toEqual([{ msgId: id }]);
		expect(mailer.sent).toEqual([]);

		const retried = await consume([job({ kind: "password-reset", email })], mailer, [{ id, attempts: 2 }]);
		expect(retried.result.explicitAcks).toEqual([id]);
		expect(mailer.sent).toHaveLength(1);
	});

	it("that is malformed is acknowledged with an error line, instead of retrying it forever", async () => {
		const { mailer, result } = await consume([{ kind: "nonsense", at: Date.now() }, "not even an object"]);
		expect(mailer.sent).toEqual([]);
		expect(result.explicitAcks).toHaveLength(2);
		expect(logs.entries().filter((entry) => entry.msg === "email job malformed")).toHaveLength(2);
	});
});

describe("retries", () => {
	it("wait 30 s, then twice as long each time, up to 15 minutes, with a little jitter", () => {
		for (const [attempts, base] of [
			[1, 30],
			[2, 60],
			[3, 120],
			[6, 900],
			[20, 900],
		] as const) {
			const delay = retryDelaySeconds(attempts);
			expect(delay).toBeGreaterThanOrEqual(base);
			expect(delay).toBeLessThanOrEqual(base * 1.2);
		}
	});

	it("pass their delay to the queue", async () => {
		const email = await registered();
		const batch = createMessageBatch<unknown>("auth-email-test", [
			{
				id: crypto.randomUUID(),
				timestamp: new Date(),
				attempts: 3,
				body: job({ kind: "password-reset", email }),
			},
		]);
		const retry = vi.spyOn(batch.messages[0] as Message<unknown>, "retry");
		await deliverEmails(batch, emailModeEnv(), recordingMailer(1));
		const delaySeconds = retry.mock.calls[0]?.[0]?.delaySeconds ?? 0;
		expect(delaySeconds).toBeGreaterThanOrEqual(120);
		expect(delaySeconds).toBeLessThanOrEqual(144);
	});
});

describe("the per-address limits", () => {
	it("give notices the owner did not ask for a quota of their own: ten sign-ups with the address send one, and the owner's reset still goes out", async () => {
		const email = await registered();
		const { mailer } = await consume([
			...Array.from({ length: 10 }, () => job({ kind: "address-taken", email })),
			job({ kind: "password-reset", email }),
		]);
		expect(mailer.sent.map((sent) => sent.subject)).toEqual([
			"Workers Auth: Someone tried to sign up with your address",
			"Workers Auth: Reset your password",
		]);
		expect(logs.entries()).toContainEqual(
			expect.objectContaining({ msg: "email suppressed: too many to one address", quota: "address-taken" }),
		);
	});

	it("issue no token for a link they suppress: the link sent before keeps working", async () => {
		const email = await registered();
		const strict = { ...emailModeEnv(), MAIL_MAX_PER_ADDRESS: "1" } as Env;
		const mailer = recordingMailer();
		for (const _ of [1, 2]) {
			const batch = createMessageBatch<unknown>("auth-email-test", [
				{
					id: crypto.randomUUID(),
					timestamp: new Date(),
					attempts: 1,
					body: job({ kind: "password-reset", email }),
				},
			]);
			await deliverEmails(batch, strict, mailer);
		}
		expect(mailer.sent).toHaveLength(1);
		const token = linkIn(mailer.sent[0], `${BASE}/reset-password?`).searchParams.get("token") ?? "";
		const form = { email, reset_token: token, new_password: "the first link works" };
		expect((await call("PUT", "/reset_password", { form })).status).toBe(200);
	});

	it("drops emails to one address past MAIL_MAX_PER_ADDRESS in a window, with an error line", async () => {
		const email = await registered();
		const strict = { ...emailModeEnv(), MAIL_MAX_PER_ADDRESS: "2" } as Env;
		const mailer = recordingMailer();
		const batch = createMessageBatch<unknown>(
			"auth-email-test",
			[1, 2, 3].map(() => ({
				id: crypto.randomUUID(),
				timestamp: new Date(),
				attempts: 1,
				body: job({ kind: "change-email-notice", to: email, newEmail: uniqueEmail() }),
			})),
		);
		const ctx = createExecutionContext();
		await deliverEmails(batch, strict, mailer);
		expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(3);
		expect(mailer.sent).toHaveLength(2);
		expect(logs.entries()).toContainEqual(
			expect.objectContaining({ msg: "email suppressed: too many to one address", toDomain: "example.com" }),
		);
	});
});

describe("the dead-letter queue's consumer", () => {
	it("logs each message it gets as an error naming the kind and the recipient's domain, and acknowledges it", async () => {
		const email = uniqueEmail();
		const batch = createMessageBatch<unknown>("auth-email-test-dlq", [
			{ id: "m1", timestamp: new Date(), attempts: 1, body: job({ kind: "password-reset", email }) },
			{ id: "m2", timestamp: new Date(), attempts: 1, body: "garbage" },
		]);
		const ctx = createExecutionContext();
		reportUndeliverable(batch);
		expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1", "m2"]);
		const lines = logs.entries().filter((entry) => entry.msg === "email undeliverable");
		expect(lines).toEqual([
			expect.objectContaining({
				level: "error",
				messageId: "m1",
				kind: "password-reset",
				toDomain: "example.com",
			}),
			expect.objectContaining({ level: "error", messageId: "m2", kind: "malformed", toDomain: null }),
		]);
		expect(JSON.stringify(lines)).not.toContain(email);
	});
});

describe("the consumer's logs", () => {
	it("hold no token and no address, only the recipient's domain", async () => {
		const email = await registered();
		const change = await withPendingChange();
		const { mailer } = await consume(
			[
				job({ kind: "password-reset", email }),
				job({ kind: "verify-email", email }),
				job({ kind: "change-email", changeId: change.changeId }),
			],
			recordingMailer(1),
		);
		const tokens = mailer.sent.map((sent) => linkIn(sent, BASE).searchParams.get("token") ?? "");
		expect(tokens).toHaveLength(2);
		const lines = [...logs.info, ...logs.error];
		expect(lines.length).toBeGreaterThanOrEqual(3);
		for (const line of lines) {
			for (const secret of [email, change.email, change.newEmail, "someone@example.com", ...tokens]) {
				expect(line).not.toContain(secret);
			}
		}
		expect(logs.entries()).toContainEqual(
			expect.objectContaining({ msg: "email sent", toDomain: "example.com" }),
		);
	});
});

describe("the queue wired to the consumer", () => {
	it("delivers a reset requested in email mode: the request queues, the consumer issues the token", async () => {
		const email = await registered();
		await logInViaApi(email, "a password");
		const send = vi.spyOn(env.EMAIL as SendEmail, "send");
		const res = await call("POST", "/reset_password", { form: { email }, env: emailModeEnv() });
		expect(await res.json()).toEqual({ email, message: "reset email sent" });
		await vi.waitUntil(async () => (await storedUser(email))?.reset_token != null, {
			timeout: 5000,
			interval: 50,
		});
		await vi.waitUntil(() => send.mock.calls.length > 0, { timeout: 5000, interval: 50 });
	});
});
