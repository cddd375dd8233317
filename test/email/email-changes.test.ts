/**
 * Changes of address end to end through the consumer: the link goes to the new address, notices to the
 * old one; the change belongs to the session that asked, so ending that session (a logout, a password
 * change, a reset) withdraws it and its link; a taken address gets a notice instead of a link.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
	call,
	emailModeEnv,
	linkIn,
	registerViaApi,
	storedSessions,
	storedUser,
	testDb,
	uniqueEmail,
} from "../helpers";
import { BASE, consume, job, withPendingChange } from "./helpers";

afterEach(() => {
	vi.restoreAllMocks();
});

/** Sends the change's confirmation link through the consumer and returns its token. */
async function confirmationToken(changeId: string): Promise<string> {
	const { mailer } = await consume([job({ kind: "change-email", changeId })]);
	return linkIn(mailer.sent[0], `${BASE}/confirm-email?`).searchParams.get("token") ?? "";
}

describe("a change-email job", () => {
	it("sends the new address a link that moves the account, verified", async () => {
		const { email, newEmail, changeId } = await withPendingChange();
		const { mailer } = await consume([job({ kind: "change-email", changeId })]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[newEmail, "Workers Auth: Confirm your new email address"],
		]);
		const token = linkIn(mailer.sent[0], `${BASE}/confirm-email?`).searchParams.get("token") ?? "";
		const confirmed = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(await confirmed.json()).toEqual({ email: newEmail, message: "email changed" });
		expect((await storedUser(newEmail))?.email_verified_at).toEqual(expect.any(Number));
		expect(await storedUser(email)).toBeNull();
		expect((await call("POST", "/users/me/email/confirm", { form: { token } })).status).toBe(403);
	});

	it("tells the owner of a taken new address instead of sending a link", async () => {
		const taken = uniqueEmail();
		await registerViaApi(taken, "someone else");
		const { email, changeId } = await withPendingChange(taken);
		const { mailer } = await consume([job({ kind: "change-email", changeId })]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[taken, "Workers Auth: Your address was entered for another account"],
		]);
		expect(mailer.sent[0]?.text).not.toContain(email);
	});

	it("fails cleanly when the new address is taken between the link and its use", async () => {
		const { email, newEmail, changeId, userId } = await withPendingChange();
		const token = await confirmationToken(changeId);
		await registerViaApi(newEmail, "someone else");
		const res = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "email already registered" });
		expect((await storedUser(email))?.id).toBe(userId);
	});

	it("of a change another request replaced sends nothing: only the latest change stands", async () => {
		const first = await withPendingChange();
		const [session] = await storedSessions(first.email);
		await testDb().email.startChange({
			id: crypto.randomUUID(),
			userId: first.userId,
			sessionId: session?.id ?? "",
			newEmail: uniqueEmail("newer"),
			createdAt: new Date(),
		});
		const { mailer } = await consume([job({ kind: "change-email", changeId: first.changeId })]);
		expect(mailer.sent).toEqual([]);
	});
});

describe("a pending change", () => {
	it.each([
		[
			"the session that asked logs out",
			async (c: { sessionId: string }) => {
				await call("DELETE", "/sessions", { sessionId: c.sessionId });
			},
		],
		[
			"the password is changed",
			async (c: { sessionId: string }) => {
				await call("PUT", "/password", {
					sessionId: c.sessionId,
					form: { current_password: "a password", new_password: "another password" },
				});
			},
		],
		[
			"the password is reset",
			async (c: { email: string }) => {
				const res = await call("POST", "/reset_password", { form: { email: c.email } });
				const { reset_token } = await res.json<{ reset_token: string }>();
				await call("PUT", "/reset_password", {
					form: { email: c.email, reset_token, new_password: "owner's new password" },
				});
			},
		],
	])("is withdrawn, link and all, when %s", async (_case, react) => {
		const change = await withPendingChange();
		const token = await confirmationToken(change.changeId);
		await react(change);
		const res = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid confirmation token" });
		expect((await storedUser(change.email))?.email).toBe(change.email);
		// And a job still in the queue for it sends nothing any more.
		expect((await consume([job({ kind: "change-email", changeId: change.changeId })])).mailer.sent).toEqual(
			[],
		);
	});
});

describe("a confirmed change of address", () => {
	it("ends everything issued for the old address: the reset token and the verification token", async () => {
		const { email, newEmail, changeId } = await withPendingChange();
		const token = await confirmationToken(changeId);
		const reset = await call("POST", "/reset_password", { form: { email } });
		const { reset_token } = await reset.json<{ reset_token: string }>();
		const verification = await call("POST", "/users/verification", { form: { email } });
		const { verification_token } = await verification.json<{ verification_token: string }>();

		const confirmed = await call("POST", "/users/me/email/confirm", { form: { token } });
		expect(confirmed.status).toBe(200);

		// The reset token asked for before the change works neither with the new address nor the old one.
		for (const address of [newEmail, email]) {
			const form = { email: address, reset_token, new_password: "taken back" };
			expect((await call("PUT", "/reset_password", { form })).status).toBe(403);
		}
		expect((await call("POST", "/users/verify", { form: { token: verification_token } })).status).toBe(403);
		expect(
			(await call("POST", "/sessions", { form: { email: newEmail, password: "a password" } })).status,
		).toBe(200);
	});
});

describe("the notices to the old address", () => {
	it("go to the address the account had when the change was asked, even once it is confirmed", async () => {
		const { email, newEmail, changeId } = await withPendingChange();
		const token = await confirmationToken(changeId);
		await call("POST", "/users/me/email/confirm", { form: { token }, env: emailModeEnv() });
		const { mailer } = await consume([job({ kind: "change-email-notice", to: email, newEmail })]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[email, "Workers Auth: A change of your email address was requested"],
		]);
		// The new address masked: whoever reads the old mailbox learns that the account moved, not where.
		expect(mailer.sent[0]?.text).toContain(`${newEmail[0]}\u2022\u2022\u2022@example.com`);
		expect(mailer.sent[0]?.text).not.toContain(newEmail);
	});

	it("include one once the change is confirmed, queued by the confirmation", async () => {
		const { email, newEmail, changeId } = await withPendingChange();
		const token = await confirmationToken(changeId);
		const queue = vi.spyOn(emailModeEnv().EMAIL_QUEUE as Queue, "send");
		await call("POST", "/users/me/email/confirm", { form: { token }, env: emailModeEnv() });
		expect(queue.mock.calls.map(([body]) => body)).toEqual([
			{ kind: "email-changed", to: email, newEmail, at: expect.any(Number) },
		]);
		const { mailer } = await consume([job({ kind: "email-changed", to: email, newEmail })]);
		expect(mailer.sent.map((sent) => [sent.to, sent.subject])).toEqual([
			[email, "Workers Auth: Your account's email address was changed"],
		]);
	});
});
