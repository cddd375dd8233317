/**
 * The email queue's consumer, driven with the vitest plugin's queue helpers over a mailer that records
 * what it would send: which jobs send what, with working links; idempotence; retries; malformed jobs; and
 * no token or address in its logs.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverEmails, retryDelaySeconds } from "../../src/email/consumer";
import type { EmailJob } from "../../src/email/jobs";
import {
	type CapturedLogs,
	call,
	captureLogs,
	emailModeEnv,
	linkIn,
	logInViaApi,
	recordingMailer,
	registerViaApi,
	storedUser,
	uniqueEmail,
} from "../helpers";

const BASE = "https://auth.example.com";
const BASE64URL_256 = /^[A-Za-z0-9_-]{43}$/;

/** Runs one batch of the given message bodies through the consumer in `email` mode. */
async function consume(
	bodies: unknown[],
	mailer = recordingMailer(),
	messages: { id?: string; attempts?: number }[] = [],
) {
	const batch = createMessageBatch<unknown>(
		"auth-email-test",
		bodies.map((body, i) => ({
			id: messages[i]?.id ?? crypto.randomUUID(),
			timestamp: new Date(),
			attempts: messages[i]?.attempts ?? 1,
			body,
		})),
	);
	const ctx = createExecutionContext();
	await deliverEmails(batch, emailModeEnv(), mailer);
	return { mailer, result: await getQueueResult(batch, ctx), batch };
}

/** A registered user (through the API, in `response` mode so no job is queued). */
async function registered(password = "a password") {
	const email = uniqueEmail();
	await registerViaApi(email, password);
	return email;
}

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("a password-reset job", () => {
	it("for a registered address sends a link that sets a new password, with text and HTML parts", async () => {
		const email = await registered("old password");
		const { mailer, result } = await consume([{ kind: "password-reset", email } satisfies EmailJob]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(mailer.sent).toHaveLength(1);
		const [sent] = mailer.sent;
		expect(sent).toMatchObject({
			from: "no-reply@auth.example.com",
			to: email,
			subject: "Reset your password",
		});
		expect(sent?.text).toMatch(/expires in 1 hour \(at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
		const link = linkIn(sent, `${BASE}/reset-password?`);
		expect(link.searchParams.get("email")).toBe(email);
		const token = link.searchParams.get("token") ?? "";
		expect(token).toMatch(BASE64URL_256);
		expect(sent?.html).toContain(`href="${link.href.replaceAll("&", "&#38;")}"`);

		const reset = await call("PUT", "/reset_password", {
			form: { email, reset_token: token, new_password: "new password" },
		});
		expect(reset.status).toBe(200);
		expect((await call("POST", "/sessions", { form: { email, password: "new password" } })).status).toBe(200);
	});

	it("for an unknown address sends nothing and is acknowledged", async () => {
		const { mailer, result } = await consume([{ kind: "password-reset", email: uniqueEmail() }]);
		expect(mailer.sent).toEqual([]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(result.retryMessages).toEqual([]);
	});

	it("replaces the previous token: only the latest link works", async () => {
		const email = await registered();
		const { mailer } = await consume([
			{ kind: "password-reset", email },
			{ kind: "password-reset", email },
		]);
		const [first, second] = mailer.sent.map((sent) => linkIn(sent, BASE).searchParams.get("token") ?? "");
		const put = (token: string) =>
			call("PUT", "/reset_password", {
				form: { email, reset_token: token, new_password: "long enough pwd" },
			});
		expect((await put(first ?? "")).status).toBe(403);
		expect((await put(second ?? "")).status).toBe(200);
	});
});

describe("a verify-email job", () => {
	it("sends a link that verifies the address once", async () => {
		const email = await registered();
		const { mailer } = await consume([{ kind: "verify-email", email }]);
		const [sent] = mailer.sent;
		expect(sent).toMatchObject({ to: email, subject: "Confirm your email address" });
		expect(sent?.text).toContain("expires in 24 hours");
		const token = linkIn(sent, `${BASE}/verify-email?`).searchParams.get("token") ?? "";
		expect(token).toMatch(BASE64URL_256);

		const verified = await call("POST", "/users/verify", { form: { token } });
		expect(verified.status).toBe(200);
		expect(await verified.json()).toEqual({ email, message: "email verified" });
		expect((await call("POST", "/users/verify", { form: { token } })).status).toBe(403);
		expect((await storedUser(email))?.email_verified_at).toEqual(expect.any(Number));
	});

	it("sends nothing to an address already verified, or unknown", async () => {
		const email = await registered();
		const first = await consume([{ kind: "verify-email", email }]);
		const token = linkIn(first.mailer.sent[0], BASE).searchParams.get("token") ?? "";
		await call("POST", "/users/verify", { form: { token } });
		const { mailer } = await consume([
			{ kind: "verify-email", email },
			{ kind: "verify-email", email: uniqueEmail() },
		]);
		expect(mailer.sent).toEqual([]);
	});
});

describe("an address-taken job", () => {
	it("tells the owner someone tried to sign up, with links to log in and to reset", async () => {
		const email = await registered();
		const { mailer } = await consume([{ kind: "address-taken", email }]);
		const [sent] = mailer.sent;
		expect(sent?.to).toBe(email);
		expect(linkIn(sent, `${BASE}/login`).pathname).toBe("/login");
		expect(linkIn(sent, `${BASE}/forgot-password`).pathname).toBe("/forgot-password");
	});
});

describe("change-email jobs", () => {
	it("send the new address a link that moves the account, and the current one a notice", async () => {
		const email = await registered();
		const user = await storedUser(email);
		const newEmail = uniqueEmail("new");
		const { mailer } = await consume([
			{ kind: "change-email", userId: user?.id ?? 0, newEmail },
			{ kind: "change-email-notice", userId: user?.id ?? 0, newEmail },
		]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[newEmail, "Confirm your new email address"],
			[email, "A change of your email address was requested"],
		]);
		const token = linkIn(mailer.sent[0], `${BASE}/confirm-email?`).searchParams.get("token") ?? "";
		const confirmed = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(await confirmed.json()).toEqual({ email: newEmail, message: "email changed" });
		expect((await storedUser(newEmail))?.email_verified_at).toEqual(expect.any(Number));
		expect(await storedUser(email)).toBeNull();
		expect((await call("POST", "/users/me/email/confirm", { form: { token } })).status).toBe(403);
	});

	it("tell the owner of a taken new address instead of sending a link", async () => {
		const email = await registered();
		const taken = await registered();
		const user = await storedUser(email);
		const { mailer } = await consume([{ kind: "change-email", userId: user?.id ?? 0, newEmail: taken }]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[taken, "Your address was entered for another account"],
		]);
		expect(mailer.sent[0]?.text).not.toContain(email);
	});

	it("fail cleanly when the new address is taken between the link and its use", async () => {
		const email = await registered();
		const user = await storedUser(email);
		const newEmail = uniqueEmail("new");
		const { mailer } = await consume([{ kind: "change-email", userId: user?.id ?? 0, newEmail }]);
		const token = linkIn(mailer.sent[0], BASE).searchParams.get("token") ?? "";
		await registerViaApi(newEmail, "someone else");
		const res = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email already registered" });
		expect((await storedUser(email))?.id).toBe(user?.id);
	});
});

describe("delivery", () => {
	it("sends once when the queue delivers the same message twice", async () => {
		const email = await registered();
		const id = crypto.randomUUID();
		const mailer = recordingMailer();
		await consume([{ kind: "password-reset", email }], mailer, [{ id }]);
		const again = await consume([{ kind: "password-reset", email }], mailer, [{ id, attempts: 2 }]);
		expect(mailer.sent).toHaveLength(1);
		expect(again.result.explicitAcks).toEqual([id]);
	});

	it("retries a message whose send failed, with a growing delay, and sends it on a later attempt", async () => {
		const email = await registered();
		const id = crypto.randomUUID();
		const mailer = recordingMailer(1);
		const failed = await consume([{ kind: "password-reset", email }], mailer, [{ id }]);
		expect(failed.result.explicitAcks).toEqual([]);
		expect(failed.result.retryMessages).toEqual([{ msgId: id }]);
		expect(mailer.sent).toEqual([]);

		const retried = await consume([{ kind: "password-reset", email }], mailer, [{ id, attempts: 2 }]);
		expect(retried.result.explicitAcks).toEqual([id]);
		expect(mailer.sent).toHaveLength(1);
	});

	it("asks the queue to wait 30 s, then twice as long each time, up to 15 minutes, with a little jitter", () => {
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

	it("passes the delay to the queue when it retries", async () => {
		const email = await registered();
		const batch = createMessageBatch<unknown>("auth-email-test", [
			{
				id: crypto.randomUUID(),
				timestamp: new Date(),
				attempts: 3,
				body: { kind: "password-reset", email },
			},
		]);
		const retry = vi.spyOn(batch.messages[0] as Message<unknown>, "retry");
		await deliverEmails(batch, emailModeEnv(), recordingMailer(1));
		const delaySeconds = retry.mock.calls[0]?.[0]?.delaySeconds ?? 0;
		expect(delaySeconds).toBeGreaterThanOrEqual(120);
		expect(delaySeconds).toBeLessThanOrEqual(144);
	});

	it("acknowledges a malformed message with an error line, instead of retrying it forever", async () => {
		const { mailer, result } = await consume([{ kind: "nonsense" }, "not even an object"]);
		expect(mailer.sent).toEqual([]);
		expect(result.explicitAcks).toHaveLength(2);
		expect(logs.entries().filter((entry) => entry.msg === "email job malformed")).toHaveLength(2);
	});

	it("logs no token and no address, only the recipient's domain", async () => {
		const email = await registered();
		const user = await storedUser(email);
		const newEmail = uniqueEmail("new");
		const { mailer } = await consume(
			[
				{ kind: "password-reset", email },
				{ kind: "verify-email", email },
				{ kind: "change-email", userId: user?.id ?? 0, newEmail },
			],
			recordingMailer(1),
		);
		const tokens = mailer.sent.map((sent) => linkIn(sent, BASE).searchParams.get("token") ?? "");
		expect(tokens).toHaveLength(2);
		const lines = [...logs.info, ...logs.error];
		expect(lines.length).toBeGreaterThanOrEqual(3);
		for (const line of lines) {
			for (const secret of [email, newEmail, "someone@example.com", ...tokens]) {
				expect(line).not.toContain(secret);
			}
		}
		expect(logs.entries()).toContainEqual(
			expect.objectContaining({ msg: "email sent", toDomain: ["example.com"] }),
		);
	});
});

describe("the queue wired to the consumer", () => {
	it("delivers a reset requested in email mode: the request queues, the consumer stores a token", async () => {
		const email = await registered();
		await logInViaApi(email, "a password");
		const res = await call("POST", "/reset_password", { form: { email }, env: emailModeEnv() });
		expect(await res.json()).toEqual({ email, message: "reset email sent" });
		await vi.waitUntil(async () => (await storedUser(email))?.reset_token != null, {
			timeout: 5000,
			interval: 50,
		});
	});
});
