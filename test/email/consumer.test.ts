/**
 * The email queue's consumer, job by job, driven with the vitest plugin's queue helpers over a mailer that
 * records what it would send: what each job sends, to whom, with a working link; and what it does not.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, emailModeEnv, linkIn, storedUser, uniqueEmail } from "../helpers";
import { BASE, consume, job, registered } from "./helpers";

const BASE64URL_256 = /^[A-Za-z0-9_-]{43}$/;

afterEach(() => {
	vi.restoreAllMocks();
});

describe("a password-reset job", () => {
	it("for a registered address sends a link that sets a new password, with text and HTML parts", async () => {
		const email = await registered("old password");
		const { mailer, result } = await consume([job({ kind: "password-reset", email })]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(mailer.sent).toHaveLength(1);
		const [sent] = mailer.sent;
		expect(sent).toMatchObject({
			from: "no-reply@acme.dev",
			to: email,
			subject: "Workers Auth: Reset your password",
		});
		expect(sent?.text).toMatch(/expires in 1 hour \(at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
		const link = linkIn(sent, `${BASE}/reset-password?`);
		expect(link.searchParams.get("email")).toBe(email);
		const token = link.searchParams.get("token") ?? "";
		expect(token).toMatch(BASE64URL_256);
		expect(sent?.html).toContain(`href="${link.href.replaceAll("&", "&#38;")}"`);

		const form = { email, reset_token: token, new_password: "new password" };
		expect((await call("PUT", "/reset_password", { form })).status).toBe(200);
		expect((await call("POST", "/sessions", { form: { email, password: "new password" } })).status).toBe(200);
	});

	it("sends a link whose use proves the mailbox: the unverified account then logs in where verification is required", async () => {
		const email = await registered("old password");
		expect((await storedUser(email))?.email_verified_at).toBeNull();
		const { mailer } = await consume([job({ kind: "password-reset", email })]);
		const token = linkIn(mailer.sent[0], `${BASE}/reset-password?`).searchParams.get("token") ?? "";
		const strict = emailModeEnv({ REQUIRE_VERIFIED_EMAIL: "true" });
		const form = { email, reset_token: token, new_password: "new password" };
		expect((await call("PUT", "/reset_password", { form, env: strict })).status).toBe(200);
		expect((await storedUser(email))?.email_verified_at).toEqual(expect.any(Number));
		const login = await call("POST", "/sessions", { form: { email, password: "new password" }, env: strict });
		expect(login.status).toBe(200);
	});

	it("for an unknown address sends nothing and is acknowledged", async () => {
		const { mailer, result } = await consume([job({ kind: "password-reset", email: uniqueEmail() })]);
		expect(mailer.sent).toEqual([]);
		expect(result.explicitAcks).toHaveLength(1);
		expect(result.retryMessages).toEqual([]);
	});

	it("replaces the previous token: only the latest link works", async () => {
		const email = await registered();
		const { mailer } = await consume([
			job({ kind: "password-reset", email }),
			job({ kind: "password-reset", email }),
		]);
		const [first, second] = mailer.sent.map((sent) => linkIn(sent, BASE).searchParams.get("token") ?? "");
		const put = (token: string) =>
			call("PUT", "/reset_password", {
				form: { email, reset_token: token, new_password: "long enough pwd" },
			});
		expect((await put(first ?? "")).status).toBe(403);
		expect((await put(second ?? "")).status).toBe(200);
	});

	it("queued more than the token's lifetime ago is dropped with an error line, sending nothing", async () => {
		const email = await registered();
		const { mailer, result } = await consume([job({ kind: "password-reset", email }, 3601_000)]);
		expect(mailer.sent).toEqual([]);
		expect(result.explicitAcks).toHaveLength(1);
		expect((await storedUser(email))?.reset_token).toBeNull();
	});
});

describe("a verify-email job", () => {
	it("sends a link that verifies the address once", async () => {
		const email = await registered();
		const { mailer } = await consume([job({ kind: "verify-email", email })]);
		const [sent] = mailer.sent;
		expect(sent).toMatchObject({ to: email, subject: "Workers Auth: Confirm your email address" });
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
		const first = await consume([job({ kind: "verify-email", email })]);
		const token = linkIn(first.mailer.sent[0], BASE).searchParams.get("token") ?? "";
		await call("POST", "/users/verify", { form: { token } });
		const { mailer } = await consume([
			job({ kind: "verify-email", email }),
			job({ kind: "verify-email", email: uniqueEmail() }),
		]);
		expect(mailer.sent).toEqual([]);
	});
});

describe("an address-taken job", () => {
	it("tells the owner someone tried to sign up, with links to log in and to reset", async () => {
		const email = await registered();
		const { mailer } = await consume([job({ kind: "address-taken", email })]);
		const [sent] = mailer.sent;
		expect(sent?.to).toBe(email);
		expect(linkIn(sent, `${BASE}/login`).pathname).toBe("/login");
		expect(linkIn(sent, `${BASE}/forgot-password`).pathname).toBe("/forgot-password");
	});
});
