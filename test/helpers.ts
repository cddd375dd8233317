/**
 * Shared test helpers: unique emails, requests through the worker's own fetch handler, and services built
 * over the test database.
 *
 * @module
 */
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { vi } from "vitest";
import type { RequestContext } from "../src/auth/auth";
import { keysOf } from "../src/auth/keys";
import { SeedAuth } from "../src/auth/seed-auth";
import { type Config, loadConfig } from "../src/config";
import { Db } from "../src/db/db";
import worker from "../src/index";

/**
 * The timeout of a test that does real bcrypt work (a cost of 10 or more, or a hundred hashes at the test
 * cost): a few seconds on an idle machine, many more on a busy one, where vitest's 5 s default would fail
 * it for the machine's sake, not the code's.
 */
export const HEAVY_TEST_TIMEOUT_MS = 60_000;

/** Origin used for requests to the worker under test. */
export const ORIGIN = "http://localhost:5000";

/** Returns an email no other test uses, since storage is shared by the tests of one file. */
export function uniqueEmail(label = "user"): string {
	return `${label}-${crypto.randomUUID()}@example.com`;
}

/** Returns a client IP address no other test uses, so per-IP throttling of one test leaves others alone. */
export function uniqueIp(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(4));
	return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}

/** SHA-256 of `value` in lower-case hex, computed here independently of the service's own code. */
export async function sha256Hex(value: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A `users` row as stored, read with plain SQL so tests see exactly what is at rest. */
export interface StoredUser {
	id: number;
	email: string;
	hashed_password: string;
	reset_token: string | null;
	reset_token_expires_at: number | null;
	email_verified_at: number | null;
	created_at: number | null;
}

/** Reads the stored row of the user with `email`, or `null`. */
export function storedUser(email: string): Promise<StoredUser | null> {
	return env.DB.prepare("SELECT * FROM users WHERE email = ?").bind(email).first<StoredUser>();
}

/** A `sessions` row as stored. */
export interface StoredSession {
	id: string;
	public_id: string;
	user_id: number;
	created_at: number;
	last_used_at: number;
	expires_at: number;
	user_agent: string | null;
}

/** Reads the stored sessions of the user with `email`, oldest first. */
export async function storedSessions(email: string): Promise<StoredSession[]> {
	const { results } = await env.DB.prepare(
		"SELECT sessions.* FROM sessions JOIN users ON users.id = sessions.user_id WHERE users.email = ? ORDER BY sessions.created_at, sessions.rowid",
	)
		.bind(email)
		.all<StoredSession>();
	return results;
}

/** Counts the stored sessions of the user with `userId`, live or not. */
export async function countSessions(userId: number): Promise<number> {
	return (
		(await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?")
			.bind(userId)
			.first<number>("n")) ?? 0
	);
}

/** A data-access object over the test database. */
export function testDb(): Db {
	return new Db(env.DB);
}

/**
 * An `Auth` over the test database with the test configuration (low bcrypt cost), with the original
 * exercise's method names as well ({@link SeedAuth}).
 */
export function testAuth(context: RequestContext = {}, overrides: Partial<Config> = {}): SeedAuth {
	return new SeedAuth(testDb(), { ...loadConfig(env), ...overrides }, context);
}

/** Options for {@link call}. */
export interface CallOptions {
	/** Form fields: a record is sent as `application/x-www-form-urlencoded`, `FormData` as multipart. */
	form?: Record<string, string> | FormData;
	/** Value of the `session_id` cookie to send. */
	sessionId?: string;
	/** Extra request headers. */
	headers?: Record<string, string>;
	/** The client IP, sent as `CF-Connecting-IP` the way Cloudflare's edge does. */
	ip?: string;
	/** The origin the request is sent to, when not {@link ORIGIN}. */
	origin?: string;
	/** A raw body, sent as is instead of `form`. */
	body?: BodyInit;
	/** Bindings and variables to serve the request with, instead of the test configuration's. */
	env?: Env;
}

/** Sends a request to the worker under test, as curl would (no `Origin`, manual redirects). */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
	const headers = new Headers(options.headers);
	if (options.sessionId !== undefined) {
		headers.set("Cookie", `session_id=${options.sessionId}`);
	}
	if (options.ip !== undefined) {
		headers.set("CF-Connecting-IP", options.ip);
	}
	const request = new Request(`${options.origin ?? ORIGIN}${path}`, {
		method,
		headers,
		body:
			options.body ??
			(options.form instanceof FormData ? options.form : options.form && new URLSearchParams(options.form)),
		redirect: "manual",
	});
	return options.env === undefined
		? exports.default.fetch(request)
		: worker.fetch(request, options.env, createExecutionContext());
}

/**
 * The test bindings in `email` mode (production's): tokens go out through the email queue, whose
 * consumer the test configuration runs, and sign-up and reset answers tell nothing about an address.
 */
export function emailModeEnv(vars: Record<string, string> = {}): Env {
	return { ...env, TOKEN_DELIVERY: "email", ...vars };
}

/** Registers a user through the API and logs it in: its email and the session id of the login. */
export async function loggedInUser(password = "pwd"): Promise<{ email: string; sessionId: string }> {
	const email = uniqueEmail();
	await registerViaApi(email, password);
	return { email, sessionId: await logInViaApi(email, password) };
}

/** Registers a user through the API and fails the test if that does not succeed. */
export async function registerViaApi(
	email: string,
	password: string,
	options: CallOptions = {},
): Promise<void> {
	const res = await call("POST", "/users", { ...options, form: { email, password } });
	if (res.status !== 200) {
		throw new Error(`registration failed with ${res.status}: ${await res.text()}`);
	}
}

/** Logs a user in through the API and returns the session id from the `Set-Cookie` header. */
export async function logInViaApi(
	email: string,
	password: string,
	headers: Record<string, string> = {},
	options: CallOptions = {},
): Promise<string> {
	const res = await call("POST", "/sessions", { ...options, form: { email, password }, headers });
	const match = /^session_id=([^;]+)/.exec(sessionSetCookie(res) ?? "");
	if (res.status !== 200 || match?.[1] === undefined) {
		throw new Error(`login failed with ${res.status}: ${await res.text()}`);
	}
	return match[1];
}

/** Lines written to the console while a {@link captureLogs} capture is on, by stream. */
export interface CapturedLogs {
	/** Every `console.log` line. */
	readonly info: string[];
	/** Every `console.error` line. */
	readonly error: string[];
	/** Every line of both streams, parsed as JSON where it is JSON. */
	entries(): Record<string, unknown>[];
}

/**
 * Captures what the worker writes to the console from now until vitest restores its mocks (call
 * `vi.restoreAllMocks()` in `afterEach`), instead of printing it.
 */
export function captureLogs(): CapturedLogs {
	const captured = {
		info: [] as string[],
		error: [] as string[],
		entries: () =>
			[...captured.info, ...captured.error].flatMap((line) => {
				try {
					return [JSON.parse(line) as Record<string, unknown>];
				} catch {
					return [];
				}
			}),
	};
	vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
		captured.info.push(args.map(String).join(" "));
	});
	vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
		captured.error.push(args.map(String).join(" "));
	});
	return captured;
}

/** Registers a user and logs it in on `devices` devices; returns the email and one session id per device. */
export async function userOnDevices(
	devices: number,
	password = "pwd",
): Promise<{ email: string; sessions: string[] }> {
	const email = uniqueEmail();
	await registerViaApi(email, password);
	const sessions: string[] = [];
	for (let i = 0; i < devices; i++) {
		sessions.push(await logInViaApi(email, password, { "User-Agent": `device-${i + 1}` }));
	}
	return { email, sessions };
}

/** The status of `GET /profile` with each session id, in order. */
export async function profileStatuses(sessionIds: readonly string[]): Promise<number[]> {
	return Promise.all(
		sessionIds.map(async (sessionId) => (await call("GET", "/profile", { sessionId })).status),
	);
}

/** An email as the consumer hands it to the `send_email` binding. */
export interface SentEmail {
	readonly from: string;
	readonly to: string;
	readonly subject: string;
	readonly text: string;
	readonly html: string;
}

/** A stand-in for the `send_email` binding that records each message; the first `failures` sends throw. */
export function recordingMailer(failures = 0) {
	let left = failures;
	const sent: SentEmail[] = [];
	return {
		sent,
		async send(message: unknown): Promise<{ messageId: string }> {
			if (left > 0) {
				left--;
				// Like the binding's own errors, the message may name the recipient.
				throw new Error("E_RATE_LIMIT_EXCEEDED: too many messages to someone@example.com");
			}
			sent.push(message as SentEmail);
			return { messageId: `<${crypto.randomUUID()}@auth.example.com>` };
		},
	};
}

/** Returns the first link of a message's text that starts with `prefix`, parsed. */
export function linkIn(email: SentEmail | undefined, prefix: string): URL {
	const found = email?.text.split(/\s+/).find((word) => word.startsWith(prefix));
	if (found === undefined) {
		throw new Error(`no link to ${prefix} in ${JSON.stringify(email?.text)}`);
	}
	return new URL(found);
}

/** The `Set-Cookie` headers of an answer, one string each (the platform folds them into one header). */
export function setCookies(res: Response): string[] {
	const folded = res.headers.get("Set-Cookie");
	// Our cookies carry no `Expires`, so a comma only ever separates two of them.
	return folded === null ? [] : folded.split(/, (?=[A-Za-z0-9_]+=)/);
}

/**
 * The answer's `Set-Cookie` lines for the session cookie, folded as the platform folds them, or `null`
 * when there is none: what the session contract is about. The D1 bookmark cookie that answers to writes
 * carry (see `src/http/d1-bookmark.ts`) is left out.
 */
export function sessionSetCookie(res: Response): string | null {
	const lines = setCookies(res).filter((cookie) => cookie.startsWith("session_id="));
	return lines.length === 0 ? null : lines.join(", ");
}

/** The `Set-Cookie` header of an answer for the cookie `name`, or `null`. */
export function setCookie(res: Response, name: string): string | null {
	return setCookies(res).find((cookie) => cookie.startsWith(`${name}=`)) ?? null;
}

/** The reference that stands for the account with `email` in throttle counters and logs. */
export function accountRef(email: string): Promise<string> {
	return keysOf(loadConfig(env)).accountRef(email);
}

/** Moves every stored time of the user's sessions `ms` into the past, as if they were that old. */
export async function ageSessions(email: string, ms: number): Promise<void> {
	await env.DB.prepare(
		"UPDATE sessions SET created_at = created_at - ?1, last_used_at = last_used_at - ?1, expires_at = expires_at - ?1 WHERE user_id = (SELECT id FROM users WHERE email = ?2)",
	)
		.bind(ms, email)
		.run();
}

/** A clock that tests move by hand. */
export function manualClock(start = Date.now()) {
	let now = start;
	return {
		now: () => new Date(now),
		advance: (ms: number) => {
			now += ms;
		},
	};
}

/** Asks for a verification token through the API (`response` mode) and returns it. */
export async function verificationTokenViaApi(email: string): Promise<string> {
	const res = await call("POST", "/users/verification", { form: { email } });
	const { verification_token } = await res.json<{ verification_token: string }>();
	return verification_token;
}
