/**
 * End-to-end check of the original specification's task 20: drives a live server (`BASE_URL`, default
 * `http://localhost:$PORT`, port 5000 unless `PORT` says otherwise, as for `npm run dev`) through
 * register → wrong-password login → profile unlogged → login → profile → logout → reset token → password
 * update → login, asserting status and body at each step. CI runs it at `http://localhost:5000`,
 * `http://127.0.0.1:5000` and `http://0.0.0.0:5000`, the address the exercise's own clients call. Silent
 * on success; exits non-zero on the first failed assertion. Each run uses a new email, so it can be
 * re-run against the same database.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formClient } from "./form-client";

const BASE_URL = process.env.BASE_URL ?? `http://localhost:${process.env.PORT ?? "5000"}`;

const EMAIL = `guillaume+${Date.now()}-${crypto.randomUUID().slice(0, 8)}@holberton.io`;
const PASSWD = "b4l0u";
const NEW_PASSWD = "t4rt1fl3tt3";

/** Sends a request to the server under test without following redirects, as the steps check them. */
const request = formClient(BASE_URL);

/** Registers a new user and checks the `user created` answer. */
async function registerUser(email: string, password: string): Promise<void> {
	const res = await request("POST", "/users", { form: { email, password } });
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "user created" });
}

/** Logs in with a wrong password and checks the 401. */
async function logInWrongPassword(email: string, password: string): Promise<void> {
	const res = await request("POST", "/sessions", { form: { email, password } });
	assert.equal(res.status, 401);
}

/** Logs in, checks the `logged in` answer and returns the session id from the cookie. */
async function logIn(email: string, password: string): Promise<string> {
	const res = await request("POST", "/sessions", { form: { email, password } });
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "logged in" });
	const sessionId = /(?:^|[;,]\s*)session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
	assert.ok(sessionId, "the login response sets a session_id cookie");
	return sessionId;
}

/** Asks for the profile without a session and checks the 403. */
async function profileUnlogged(): Promise<void> {
	const res = await request("GET", "/profile");
	assert.equal(res.status, 403);
}

/** Asks for the profile with the session and checks it names the user. */
async function profileLogged(sessionId: string): Promise<void> {
	const res = await request("GET", "/profile", { sessionId });
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email: EMAIL });
}

/** Logs out, checks the 302 to `/`, follows it to the welcome message and checks the session is gone. */
async function logOut(sessionId: string): Promise<void> {
	const res = await request("DELETE", "/sessions", { sessionId });
	assert.equal(res.status, 302);
	const location = res.headers.get("location");
	assert.equal(location, "/");
	const landed = await request("GET", location);
	assert.equal(landed.status, 200);
	assert.deepEqual(await landed.json(), { message: "Bienvenue" });
	assert.equal((await request("GET", "/profile", { sessionId })).status, 403);
}

/** Requests a password-reset token and returns it after checking the answer's shape. */
async function resetPasswordToken(email: string): Promise<string> {
	const res = await request("POST", "/reset_password", { form: { email } });
	assert.equal(res.status, 200);
	const body = (await res.json()) as Record<string, unknown>;
	assert.deepEqual(Object.keys(body), ["email", "reset_token"]);
	assert.equal(body.email, email);
	assert.ok(typeof body.reset_token === "string" && body.reset_token.length === 36, "a 36-character token");
	return body.reset_token;
}

/** Spends the reset token on a new password and checks the `Password updated` answer. */
async function updatePassword(email: string, resetToken: string, newPassword: string): Promise<void> {
	const res = await request("PUT", "/reset_password", {
		form: { email, reset_token: resetToken, new_password: newPassword },
	});
	assert.equal(res.status, 200);
	assert.deepEqual(await res.json(), { email, message: "Password updated" });
}

await registerUser(EMAIL, PASSWD);
await logInWrongPassword(EMAIL, NEW_PASSWD);
await profileUnlogged();
const sessionId = await logIn(EMAIL, PASSWD);
await profileLogged(sessionId);
await logOut(sessionId);
const resetToken = await resetPasswordToken(EMAIL);
await updatePassword(EMAIL, resetToken, NEW_PASSWD);
await logIn(EMAIL, NEW_PASSWD);
