/**
 * Shared test helpers: unique emails, requests through the worker's own fetch handler, and services built
 * over the test database.
 *
 * @module
 */
import { env, exports } from "cloudflare:workers";
import { Auth } from "../src/auth/auth";
import { loadConfig } from "../src/config";
import { Db } from "../src/db/db";

/** Origin used for requests to the worker under test. */
export const ORIGIN = "http://localhost:5000";

/** Returns an email no other test uses, since storage is shared by the tests of one file. */
export function uniqueEmail(label = "user"): string {
	return `${label}-${crypto.randomUUID()}@example.com`;
}

/** A data-access object over the test database. */
export function testDb(): Db {
	return new Db(env.DB);
}

/** An {@link Auth} over the test database with the test configuration (low bcrypt cost). */
export function testAuth(): Auth {
	return new Auth(testDb(), loadConfig(env));
}

/** Options for {@link call}. */
export interface CallOptions {
	/** Form fields: a record is sent as `application/x-www-form-urlencoded`, `FormData` as multipart. */
	form?: Record<string, string> | FormData;
	/** Value of the `session_id` cookie to send. */
	sessionId?: string;
	/** Extra request headers. */
	headers?: Record<string, string>;
}

/** Sends a request to the worker under test, as curl would (no `Origin`, manual redirects). */
export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
	const headers = new Headers(options.headers);
	if (options.sessionId !== undefined) {
		headers.set("Cookie", `session_id=${options.sessionId}`);
	}
	return exports.default.fetch(`${ORIGIN}${path}`, {
		method,
		headers,
		body: options.form instanceof FormData ? options.form : options.form && new URLSearchParams(options.form),
		redirect: "manual",
	});
}

/** Registers a user through the API and fails the test if that does not succeed. */
export async function registerViaApi(email: string, password: string): Promise<void> {
	const res = await call("POST", "/users", { form: { email, password } });
	if (res.status !== 200) {
		throw new Error(`registration failed with ${res.status}: ${await res.text()}`);
	}
}

/** Logs a user in through the API and returns the session id from the `Set-Cookie` header. */
export async function logInViaApi(email: string, password: string): Promise<string> {
	const res = await call("POST", "/sessions", { form: { email, password } });
	const match = /^session_id=([^;]+)/.exec(res.headers.get("Set-Cookie") ?? "");
	if (res.status !== 200 || match?.[1] === undefined) {
		throw new Error(`login failed with ${res.status}: ${await res.text()}`);
	}
	return match[1];
}
