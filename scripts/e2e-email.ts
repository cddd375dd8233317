/**
 * End-to-end check of `email` mode: drives a live `npm run dev:email` (`BASE_URL`, default
 * `http://localhost:$PORT`, port 5000 unless `PORT` says otherwise) through register → verify the address from the emailed link → log in → forgot
 * password (a registered and an unknown address answer alike) → reset from the emailed link → log in with
 * the new password. It reads the messages where wrangler's local `send_email` puts them (`MAIL_DIR`,
 * default the project's `.wrangler/tmp/email`, where `npm run dev:email` writes them; see
 * `mailbox.ts`). Silent on success; exits non-zero on the first failed assertion.
 *
 * @module
 */
import assert from "node:assert/strict";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { formClient } from "./form-client";
import { Mailbox } from "./mailbox";

const BASE_URL = process.env.BASE_URL ?? `http://localhost:${process.env.PORT ?? "5000"}`;
const MAIL_DIR = process.env.MAIL_DIR ?? path.join(process.cwd(), ".wrangler", "tmp", "email");
const MAILBOX = new Mailbox(MAIL_DIR, Date.now() - 1000);

const RUN = `${Date.now()}-${crypto.randomUUID().slice(0, 8)}`;
const EMAIL = `e2e-${RUN}@example.com`;
const UNKNOWN = `nobody-${RUN}@example.com`;
// The production environment asks for at least 8 characters.
const PASSWD = "first-passw0rd";
const NEW_PASSWD = "second-passw0rd";

/** Sends a request to the server under test without following redirects, as the steps check them. */
const request = formClient(BASE_URL);

/** Waits for a message to `to` holding a link to `linkPath`, and returns that link. */
function emailedLink(to: string, linkPath: string): Promise<URL> {
	return MAILBOX.link(to, new URL(linkPath, BASE_URL).href);
}

/** Registers a new user and checks the `user created` answer. */
async function registerUser(email: string, password: string): Promise<void> {
	const res = await request("POST", "/users", { form: { email, password } });
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "user created" });
}

/** Follows the emailed verification link's token and checks the address is verified. */
async function verifyEmail(email: string): Promise<void> {
	const link = await emailedLink(email, "/verify-email?");
	const res = await request("POST", "/users/verify", {
		form: { token: link.searchParams.get("token") ?? "" },
	});
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "email verified" });
}

/** Logs in and returns the session id from the cookie. */
async function logIn(email: string, password: string): Promise<string> {
	const res = await request("POST", "/sessions", { form: { email, password } });
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "logged in" });
	const sessionId = /(?:^|[;,]\s*)session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
	assert.ok(sessionId, "the login response sets a session_id cookie");
	return sessionId;
}

/** Checks the account is verified. */
async function accountIsVerified(sessionId: string): Promise<void> {
	const res = await request("GET", "/users/me", { sessionId });
	assert.equal(res.status, 200);
	assert.equal(((await res.json()) as { email_verified: boolean }).email_verified, true);
}

/** Asks for resets of a registered and an unknown address, and checks the answers do not differ. */
async function forgotPassword(email: string, unknown: string): Promise<void> {
	const answers = [];
	for (const address of [email, unknown]) {
		const res = await request("POST", "/reset_password", { form: { email: address } });
		answers.push({ status: res.status, body: (await res.text()).replace(address, "<email>") });
	}
	assert.deepEqual(answers[0], { status: 200, body: '{"email":"<email>","message":"reset email sent"}' });
	assert.deepEqual(answers[1], answers[0]);
}

/** Follows the emailed reset link and sets a new password with its token. */
async function resetPassword(email: string, newPassword: string): Promise<void> {
	const link = await emailedLink(email, "/reset-password?");
	assert.equal(link.searchParams.get("email"), email);
	const res = await request("PUT", "/reset_password", {
		form: { email, reset_token: link.searchParams.get("token") ?? "", new_password: newPassword },
	});
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "Password updated" });
}

/** Checks nothing was sent to the unknown address. */
async function nothingSentTo(unknown: string): Promise<void> {
	await sleep(1500);
	assert.ok(!MAILBOX.texts().some((text) => text.includes(unknown)), `a message was sent to ${unknown}`);
}

/** Checks the old password no longer logs in. */
async function oldPasswordRefused(email: string, password: string): Promise<void> {
	const res = await request("POST", "/sessions", { form: { email, password } });
	assert.equal(res.status, 401);
}

await registerUser(EMAIL, PASSWD);
await verifyEmail(EMAIL);
await accountIsVerified(await logIn(EMAIL, PASSWD));
await forgotPassword(EMAIL, UNKNOWN);
await resetPassword(EMAIL, NEW_PASSWD);
await nothingSentTo(UNKNOWN);
await oldPasswordRefused(EMAIL, PASSWD);
await logIn(EMAIL, NEW_PASSWD);
