/**
 * What each route costs in D1 round trips and bcrypt operations, counted by driving the worker's fetch
 * handler with a D1 binding that counts what it sends, and spies on bcrypt. `trips` are the round trips
 * the answer waits for; `after` the one that stores the request's security events, which it does not
 * (it runs in `waitUntil`). The figures are the budget BENCHMARKS.md explains; a change that adds a query or a hash to
 * a route fails here. Each request comes from its own client address, as Cloudflare's edge reports one.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { countingD1 } from "./counting-d1";
import { call, logInViaApi, ORIGIN, registerViaApi, uniqueEmail, uniqueIp, userOnDevices } from "./helpers";

/** Sends one request through the worker and returns its status with the round trips and hashes it cost. */
async function measure(method: string, path: string, form?: Record<string, string>, sessionId?: string) {
	const count = { trips: 0, eventTrips: 0 };
	const hash = vi.spyOn(bcrypt, "hashSync").mockClear();
	const compare = vi.spyOn(bcrypt, "compareSync").mockClear();
	const headers = new Headers({ "CF-Connecting-IP": uniqueIp() });
	if (sessionId !== undefined) {
		headers.set("Cookie", `session_id=${sessionId}`);
	}
	const request = new Request(`${ORIGIN}${path}`, {
		method,
		headers,
		body: form && new URLSearchParams(form),
		redirect: "manual",
	});
	const ctx = createExecutionContext();
	const res = await worker.fetch(request, { ...env, DB: countingD1(env.DB, count) }, ctx);
	await waitOnExecutionContext(ctx);
	return {
		status: res.status,
		trips: count.trips,
		after: count.eventTrips,
		bcrypt: hash.mock.calls.length + compare.mock.calls.length,
	};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("cost per route", () => {
	it("GET / touches neither D1 nor bcrypt", async () => {
		expect(await measure("GET", "/")).toEqual({ status: 200, trips: 0, after: 0, bcrypt: 0 });
	});

	it("POST /users: one count of the network's sign-ups, one insert (the unique index rejects a taken email), one hash", async () => {
		const email = uniqueEmail();
		expect(await measure("POST", "/users", { email, password: "pwd" })).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 1,
		});
		expect(await measure("POST", "/users", { email, password: "pwd" })).toEqual({
			status: 400,
			trips: 2,
			after: 0,
			bcrypt: 1,
		});
	});

	it.each([
		["the right password", true, "right pwd", 200, 2, 1],
		["a wrong password", true, "wrong pwd", 401, 1, 1],
		["an unknown email", false, "right pwd", 401, 1, 0],
	])(
		"POST /sessions with %s: one comparison; one batch that reads and counts, one more to start a session",
		async (_case, known, password, status, trips, after) => {
			const email = uniqueEmail();
			if (known) {
				await registerViaApi(email, "right pwd");
			}
			expect(await measure("POST", "/sessions", { email, password })).toEqual({
				status,
				trips,
				after,
				bcrypt: 1,
			});
		},
	);

	it("GET /profile: one query joining the session to its user with a cookie, none without", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const none = { after: 0, bcrypt: 0 };
		expect(await measure("GET", "/profile", undefined, sessionId)).toEqual({
			status: 200,
			trips: 1,
			...none,
		});
		expect(await measure("GET", "/profile", undefined, crypto.randomUUID())).toEqual({
			status: 403,
			trips: 1,
			...none,
		});
		expect(await measure("GET", "/profile")).toEqual({ status: 403, trips: 0, ...none });
	});

	it("GET /sessions, DELETE /sessions/{id}, ?scope=others: the session lookup, then one query; ?scope=global: one", async () => {
		const { sessions } = await userOnDevices(4);
		expect(await measure("GET", "/sessions", undefined, sessions[0])).toEqual({
			status: 200,
			trips: 2,
			after: 0,
			bcrypt: 0,
		});
		const listed = await call("GET", "/sessions", { sessionId: sessions[0] });
		const [newest] = (await listed.json<{ sessions: { id: string }[] }>()).sessions;
		expect(await measure("DELETE", `/sessions/${newest?.id}`, undefined, sessions[0])).toEqual({
			status: 204,
			trips: 2,
			after: 1,
			bcrypt: 0,
		});
		expect(await measure("DELETE", "/sessions?scope=others", undefined, sessions[1])).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 0,
		});
		expect(await measure("DELETE", "/sessions?scope=global", undefined, sessions[1])).toEqual({
			status: 302,
			trips: 1,
			after: 1,
			bcrypt: 0,
		});
	});

	it("PUT /password: the session lookup, a batch that reads and counts, one compare, one hash, one write batch", async () => {
		const { sessions } = await userOnDevices(2);
		const wrong = { current_password: "wrong", new_password: "new pwd" };
		expect(await measure("PUT", "/password", wrong, sessions[0])).toEqual({
			status: 403,
			trips: 2,
			after: 1,
			bcrypt: 1,
		});
		const right = { current_password: "pwd", new_password: "new pwd" };
		expect(await measure("PUT", "/password", right, sessions[0])).toEqual({
			status: 200,
			trips: 3,
			after: 1,
			bcrypt: 2,
		});
	});

	it("DELETE /users/me: the session lookup, a batch that reads and counts, one compare, one delete batch", async () => {
		const { sessions } = await userOnDevices(1);
		expect(await measure("DELETE", "/users/me", { password: "wrong" }, sessions[0])).toEqual({
			status: 403,
			trips: 2,
			after: 1,
			bcrypt: 1,
		});
		// The account's events go with it; the log line of its deletion stays.
		expect(await measure("DELETE", "/users/me", { password: "pwd" }, sessions[0])).toEqual({
			status: 200,
			trips: 3,
			after: 0,
			bcrypt: 1,
		});
	});

	it("DELETE /sessions: one conditional delete", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		expect(await measure("DELETE", "/sessions", undefined, sessionId)).toEqual({
			status: 302,
			trips: 1,
			after: 1,
			bcrypt: 0,
		});
		expect(await measure("DELETE", "/sessions", undefined, sessionId)).toEqual({
			status: 403,
			trips: 1,
			after: 0,
			bcrypt: 0,
		});
	});

	it("POST /reset_password: one batch that reads and counts, one update to store the token, no bcrypt", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		expect(await measure("POST", "/reset_password", { email })).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 0,
		});
		expect(await measure("POST", "/reset_password", { email: uniqueEmail() })).toEqual({
			status: 403,
			trips: 1,
			after: 0,
			bcrypt: 0,
		});
	});

	it("PUT /reset_password: a lookup, then one hash and a conditional update; a bad token costs no hash", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const { reset_token } = await (await call("POST", "/reset_password", { form: { email } })).json<{
			reset_token: string;
		}>();
		const form = { email, reset_token, new_password: "new pwd" };
		expect(await measure("PUT", "/reset_password", form)).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 1,
		});
		expect(await measure("PUT", "/reset_password", form)).toEqual({
			status: 403,
			trips: 1,
			after: 0,
			bcrypt: 0,
		});
	});

	it("a login whose stored hash has another cost or the old scheme re-hashes in the same write batch", async () => {
		const email = uniqueEmail();
		await env.DB.prepare("INSERT INTO users (email, hashed_password) VALUES (?, ?)")
			.bind(email, bcrypt.hashSync("pwd", 5))
			.run();
		expect(await measure("POST", "/sessions", { email, password: "pwd" })).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 2,
		});
		const stored = await env.DB.prepare("SELECT hashed_password FROM users WHERE email = ?")
			.bind(email)
			.first<string>("hashed_password");
		expect(stored).toMatch(/^nfc\$\$2b\$04\$/);
		expect(await measure("POST", "/sessions", { email, password: "pwd" })).toEqual({
			status: 200,
			trips: 2,
			after: 1,
			bcrypt: 1,
		});
	});
});
