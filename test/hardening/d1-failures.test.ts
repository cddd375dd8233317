/**
 * D1's transient failures: round trips that only read or only delete are retried a bounded number of
 * times; other writes are not; when D1 stays unavailable the answer is 503 with `Retry-After` and the
 * catalog's body (an HTML page for the pages), never a 500, and nothing is half written. The failures are
 * injected by a test-only wrapper of the D1 binding, before the round trip reaches D1.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { D1_ERRORS, failingD1, type Trip } from "../counting-d1";
import {
	call,
	captureLogs,
	logInViaApi,
	registerViaApi,
	sessionSetCookie,
	storedSessions,
	storedUser,
	uniqueEmail,
} from "../helpers";

/** Round trips that read the session of a request (`GET /profile`'s one query). */
const sessionLookup = (trip: Trip) =>
	trip.sql.some((sql) => sql.startsWith("select") && sql.includes('"sessions"'));

/** A registered user with a live session. */
async function loggedIn() {
	const email = uniqueEmail();
	await registerViaApi(email, "pwd");
	return { email, sessionId: await logInViaApi(email, "pwd") };
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("a read-only round trip", () => {
	it("is retried on a network loss and a storage reset, and the request succeeds", async () => {
		const { email, sessionId } = await loggedIn();
		for (const message of [D1_ERRORS.networkLost, D1_ERRORS.storageReset]) {
			const { db, log } = failingD1(env.DB, { which: sessionLookup, message, times: 2 });
			const res = await call("GET", "/profile", { sessionId, env: { ...env, DB: db } });
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ email });
			expect(log.failed).toBe(2);
			expect(log.tried).toHaveLength(3);
		}
	});

	it("is tried three times at most, then answered 503 with Retry-After and the catalog's body", async () => {
		const { sessionId } = await loggedIn();
		const logs = captureLogs();
		const { db, log } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.networkLost });
		const res = await call("GET", "/profile", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(res.headers.get("Retry-After")).toBe("5");
		expect(await res.json()).toEqual({ message: "database unavailable" });
		expect(log.tried).toHaveLength(3);
		expect(logs.entries()).toContainEqual(
			expect.objectContaining({ level: "warn", msg: "database unavailable", path: "/profile" }),
		);
		expect(logs.entries().some((entry) => entry.msg === "unexpected error")).toBe(false);
	});

	it("is not retried when D1 says it is overloaded: 503 at once", async () => {
		const { sessionId } = await loggedIn();
		const { db, log } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.overloaded });
		const res = await call("GET", "/profile", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(log.tried).toHaveLength(1);
	});

	it("is not retried on an error no retry cures, which stays a 500", async () => {
		const { sessionId } = await loggedIn();
		captureLogs();
		const { db, log } = failingD1(env.DB, {
			which: () => true,
			message: "D1_ERROR: no such table: sessions",
		});
		const res = await call("GET", "/profile", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(500);
		expect(log.tried).toHaveLength(1);
	});
});

describe("a write", () => {
	it("that only deletes is retried: a logout goes through a lost connection", async () => {
		const { email, sessionId } = await loggedIn();
		const { db, log } = failingD1(env.DB, {
			which: (trip) => trip.sql.every((sql) => sql.startsWith("delete")),
			message: D1_ERRORS.networkLost,
			times: 1,
		});
		const res = await call("DELETE", "/sessions", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(302);
		expect(log.failed).toBe(1);
		expect(await storedSessions(email)).toEqual([]);
	});

	it("that inserts is not retried (D1 may have applied it): a sign-up answers 503 and stores no user", async () => {
		const email = uniqueEmail();
		captureLogs();
		const { db, log } = failingD1(env.DB, {
			which: (trip) => trip.sql.some((sql) => sql.startsWith('insert into "users"')),
			message: D1_ERRORS.networkLost,
		});
		const res = await call("POST", "/users", { form: { email, password: "pwd" }, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(await res.json()).toEqual({ message: "database unavailable" });
		expect(log.failed).toBe(1);
		expect(await storedUser(email)).toBeNull();
	});

	it("that fails leaves nothing half written: a login whose session batch fails starts no session", async () => {
		const { email } = await loggedIn();
		const before = await storedSessions(email);
		captureLogs();
		const { db } = failingD1(env.DB, {
			which: (trip) => trip.sql.some((sql) => sql.startsWith('insert into "sessions"')),
			message: D1_ERRORS.storageReset,
		});
		const res = await call("POST", "/sessions", {
			form: { email, password: "pwd" },
			env: { ...env, DB: db },
		});
		expect(res.status).toBe(503);
		expect(sessionSetCookie(res)).toBeNull();
		expect(await storedSessions(email)).toEqual(before);
	});
});

describe("the pages", () => {
	it("answer a 503 page with Retry-After when D1 stays unavailable", async () => {
		const { sessionId } = await loggedIn();
		captureLogs();
		const { db } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.networkLost });
		const res = await call("GET", "/account", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(res.headers.get("Retry-After")).toBe("5");
		expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
		expect(await res.text()).toContain("Database unavailable.");
	});
});
