/**
 * Read replication: each request runs its queries in one D1 session, read-only requests from the
 * client's bookmark (or anywhere), writing ones at the primary; answers hand the bookmark back in the
 * `x-d1-bookmark` header, and in a cookie after a successful write. Locally there is one database and no
 * replica, so these tests check where each session starts and what travels back and forth.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { interceptD1 } from "../counting-d1";
import {
	ageSessions,
	call,
	emailModeEnv,
	loggedInUser,
	logInViaApi,
	registerViaApi,
	setCookie,
	uniqueEmail,
	uniqueIp,
	userOnDevices,
} from "../helpers";

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The test bindings, with a D1 that records where the worker's D1 sessions start. */
function recordingEnv() {
	const starts: (string | undefined)[] = [];
	return { starts, env: { ...env, DB: interceptD1(env.DB, { session: (start) => starts.push(start) }) } };
}

/** The value of the bookmark cookie an answer sets, or `null`. */
function bookmarkCookie(res: Response): string | null {
	return /^d1_bookmark=([^;]*)/.exec(setCookie(res, "d1_bookmark") ?? "")?.[1] ?? null;
}

describe("D1 sessions", () => {
	it("start at the primary for a request that writes, anywhere for a read without a bookmark", async () => {
		const email = uniqueEmail();
		const { starts, env: recording } = recordingEnv();
		await call("POST", "/users", { form: { email, password: "pwd" }, env: recording });
		const sessionId = await logInViaApi(email, "pwd");
		await call("GET", "/profile", { sessionId, env: recording });
		expect(starts).toEqual(["first-primary", "first-unconstrained"]);
	});

	it("start anywhere for HEAD, and at the primary for PUT and DELETE", async () => {
		const { sessionId } = await loggedInUser();
		const { starts, env: recording } = recordingEnv();
		await call("HEAD", "/profile", { sessionId, env: recording });
		await call("PUT", "/password", {
			sessionId,
			form: { password: "wrong", new_password: "n3w-password" },
			env: recording,
		});
		await call("DELETE", "/sessions", { sessionId, env: recording });
		expect(starts).toEqual(["first-unconstrained", "first-primary", "first-primary"]);
	});

	it("are not opened by a request that makes no query", async () => {
		const { starts, env: recording } = recordingEnv();
		expect((await call("GET", "/", { env: recording })).status).toBe(200);
		expect(starts).toEqual([]);
	});
});

describe("bookmarks", () => {
	it("come back after a login, in the header and in an HttpOnly, SameSite=Lax cookie", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/sessions", { form: { email, password: "pwd" } });
		expect(res.status).toBe(200);
		const bookmark = res.headers.get("x-d1-bookmark") ?? "";
		expect(bookmark).toMatch(BOOKMARK);
		expect(setCookie(res, "d1_bookmark")).toBe(
			`d1_bookmark=${bookmark}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax`,
		);
	});

	it("are Secure cookies over HTTPS", async () => {
		const email = uniqueEmail();
		const res = await call("POST", "/users", {
			form: { email, password: "pwd" },
			origin: "https://auth.example.com",
		});
		expect(setCookie(res, "d1_bookmark")).toMatch(/; Secure; SameSite=Lax$/);
	});

	it("are sent back: a read starts its D1 session at the bookmark of the cookie or of the header", async () => {
		const { sessionId } = await loggedInUser();
		const write = await call("DELETE", "/sessions?scope=others", { sessionId });
		const bookmark = bookmarkCookie(write) ?? "";
		expect(bookmark).toMatch(BOOKMARK);

		const { starts, env: recording } = recordingEnv();
		const viaCookie = await call("GET", "/profile", {
			headers: { Cookie: `session_id=${sessionId}; d1_bookmark=${bookmark}` },
			env: recording,
		});
		const viaHeader = await call("GET", "/profile", {
			sessionId,
			headers: { "x-d1-bookmark": bookmark },
			env: recording,
		});
		expect([viaCookie.status, viaHeader.status]).toEqual([200, 200]);
		expect(starts).toEqual([bookmark, bookmark]);
		// A read hands back the bookmark it read at (or later), in the header only.
		expect((viaHeader.headers.get("x-d1-bookmark") ?? "") >= bookmark).toBe(true);
		expect(setCookie(viaHeader, "d1_bookmark")).toBeNull();
	});

	it("of both kinds: the later one is used; a malformed one is ignored", async () => {
		const { sessionId } = await loggedInUser();
		const earlier = "00000000-00000001-00000000-00000000000000000000000000000000";
		const later = "00000000-00000002-00000000-00000000000000000000000000000000";
		const { starts, env: recording } = recordingEnv();
		await call("GET", "/profile", {
			headers: { Cookie: `session_id=${sessionId}; d1_bookmark=${later}`, "x-d1-bookmark": earlier },
			env: recording,
		});
		await call("GET", "/profile", {
			headers: { Cookie: `session_id=${sessionId}; d1_bookmark=${earlier}`, "x-d1-bookmark": later },
			env: recording,
		});
		await call("GET", "/profile", {
			sessionId,
			headers: { "x-d1-bookmark": "first-primary" },
			env: recording,
		});
		await call("GET", "/profile", { sessionId, headers: { "x-d1-bookmark": `${later}x` }, env: recording });
		expect(starts).toEqual([later, later, "first-unconstrained", "first-unconstrained"]);
	});

	it("are not sent with a refused request, which wrote at most a throttle counter", async () => {
		const { email } = await loggedInUser();
		const res = await call("POST", "/sessions", { form: { email, password: "wrong" } });
		expect(res.status).toBe(401);
		expect(res.headers.get("x-d1-bookmark")).toBeNull();
		expect(setCookie(res, "d1_bookmark")).toBeNull();
	});

	// A bookmark counts the writes a request did: a taken address's sign-up wrote less than a free one's.
	it.each([
		["POST", "/users", (email: string) => ({ email, password: "a long password" })],
		["POST", "/reset_password", (email: string) => ({ email })],
		["POST", "/users/verification", (email: string) => ({ email })],
	])(
		"are not sent in email mode with %s %s, whose answer must not tell whether an address is registered",
		async (method, path, form) => {
			const taken = uniqueEmail();
			await registerViaApi(taken, "a password");
			for (const email of [taken, uniqueEmail()]) {
				const res = await call(method, path, { form: form(email), env: emailModeEnv(), ip: uniqueIp() });
				expect(res.status).toBe(200);
				expect(res.headers.get("x-d1-bookmark")).toBeNull();
				expect(setCookie(res, "d1_bookmark")).toBeNull();
			}
		},
	);

	it("are set as a cookie by a read that renewed its session, a write sent to the primary", async () => {
		const { email, sessionId } = await loggedInUser();
		await ageSessions(email, 2 * 24 * 3600 * 1000);
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(200);
		expect(setCookie(res, "session_id")).not.toBeNull();
		expect(bookmarkCookie(res)).toBe(res.headers.get("x-d1-bookmark"));
	});

	it("let a client read its own write: a device it ended is gone from the list read at the bookmark", async () => {
		const {
			sessions: [mine, other],
		} = await userOnDevices(2);
		const listed = async (res: Response) =>
			(await res.json<{ sessions: { id: string; current: boolean }[] }>()).sessions;
		const otherId = (await listed(await call("GET", "/sessions", { sessionId: other }))).find(
			(s) => s.current,
		)?.id;
		const { starts, env: recording } = recordingEnv();
		const ended = await call("DELETE", `/sessions/${otherId}`, { sessionId: mine, env: recording });
		expect(ended.status).toBe(204);
		const bookmark = bookmarkCookie(ended) ?? "";
		expect(bookmark).toMatch(BOOKMARK);
		const after = await call("GET", "/sessions", {
			headers: { Cookie: `session_id=${mine}; d1_bookmark=${bookmark}` },
			env: recording,
		});
		expect(starts).toEqual(["first-primary", bookmark]);
		expect((await listed(after)).map((s) => s.current)).toEqual([true]);
	});
});
