/**
 * D1's transient failures: round trips that only read are retried a bounded number of times; writes are
 * not; when D1 stays unavailable the answer is 503 with `Retry-After` and the catalog's body (an HTML page
 * for the pages) instead of a 500. The failures are injected by a test-only wrapper of the D1 binding,
 * before the round trip reaches D1, or after D1 ran it (its answer lost on the way back).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { D1_ERRORS, failingD1, type Trip } from "../counting-d1";
import { call, captureLogs, loggedInUser, storedSessions, storedUser, uniqueEmail } from "../helpers";

/** Round trips that read the session of a request (`GET /profile`'s one query). */
const sessionLookup = (trip: Trip) =>
	trip.sql.some((sql) => sql.startsWith("select") && sql.includes('"sessions"'));

afterEach(() => {
	vi.restoreAllMocks();
});

describe("a read-only round trip", () => {
	it("is retried on a network loss and a storage reset, and the request succeeds", async () => {
		const { email, sessionId } = await loggedInUser();
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
		const { sessionId } = await loggedInUser();
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
		const { sessionId } = await loggedInUser();
		const { db, log } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.overloaded });
		const res = await call("GET", "/profile", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(log.tried).toHaveLength(1);
	});

	it("is not retried on an error no retry cures, which stays a 500", async () => {
		const { sessionId } = await loggedInUser();
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
	it("is not retried, even a delete: a logout whose answer was lost answers 503, its session ended", async () => {
		const { email, sessionId } = await loggedInUser();
		captureLogs();
		const { db, log } = failingD1(env.DB, {
			which: (trip) => trip.sql.some((sql) => sql.startsWith("delete")),
			message: D1_ERRORS.networkLost,
			times: 1,
			applied: true,
		});
		const res = await call("DELETE", "/sessions", { sessionId, env: { ...env, DB: db } });
		// A retry would have found no live session and answered as for a stranger's cookie.
		expect(res.status).toBe(503);
		expect(log.tried.filter((trip) => trip.sql.some((sql) => sql.startsWith("delete")))).toHaveLength(1);
		expect(await storedSessions(email)).toEqual([]);
	});

	it("that inserts is not retried: a sign-up whose answer was lost answers 503, not 'email already registered'", async () => {
		const email = uniqueEmail();
		captureLogs();
		const { db, log } = failingD1(env.DB, {
			which: (trip) => trip.sql.some((sql) => sql.startsWith('insert into "users"')),
			message: D1_ERRORS.networkLost,
			applied: true,
		});
		const res = await call("POST", "/users", { form: { email, password: "pwd" }, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(await res.json()).toEqual({ message: "database unavailable" });
		expect(log.failed).toBe(1);
		// D1 did store it: trying again is what the answer asks for, and the user finds the account there.
		expect(await storedUser(email)).not.toBeNull();
	});

	it("in a batch that also reads is not retried: a login whose counting batch fails answers 503", async () => {
		const { email } = await loggedInUser();
		captureLogs();
		const counting = (trip: Trip) =>
			trip.kind === "batch" && trip.sql.some((sql) => sql.startsWith("select"));
		const { db, log } = failingD1(env.DB, { which: counting, message: D1_ERRORS.networkLost });
		const res = await call("POST", "/sessions", {
			form: { email, password: "pwd" },
			env: { ...env, DB: db },
		});
		expect(res.status).toBe(503);
		expect(log.tried.filter(counting)).toHaveLength(1);
	});

	it("that fails stores no session and sends no cookie: a login whose session batch fails", async () => {
		const { email } = await loggedInUser();
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
		expect(res.headers.get("Set-Cookie")).toBeNull();
		expect(await storedSessions(email)).toEqual(before);
	});
});

describe("the pages", () => {
	it("answer a 503 page with Retry-After when D1 stays unavailable", async () => {
		const { sessionId } = await loggedInUser();
		captureLogs();
		const { db } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.networkLost });
		const res = await call("GET", "/account", { sessionId, env: { ...env, DB: db } });
		expect(res.status).toBe(503);
		expect(res.headers.get("Retry-After")).toBe("5");
		expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
		expect(await res.text()).toContain("Database unavailable.");
	});
});
