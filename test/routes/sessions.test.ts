/** Integration tests of the session routes: log in, log out (one, others, all), list, end one, profile. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	call,
	logInViaApi,
	ORIGIN,
	profileStatuses,
	registerViaApi,
	sessionSetCookie,
	setCookie,
	sha256Hex,
	uniqueEmail,
	userOnDevices,
} from "../helpers";

describe("POST /sessions", () => {
	it("logs in with the right password: exact body and a `session_id` cookie holding a UUID", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const res = await call("POST", "/sessions", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`{"email":"${email}","message":"logged in"}`);
		expect(setCookie(res, "session_id")).toMatch(
			/^session_id=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/,
		);
	});

	it.each([
		["a wrong password", "BlaBla", true],
		["an unknown email", "mySuperPwd", false],
	])("answers 401 without a cookie for %s", async (_case, password, register) => {
		const email = uniqueEmail("bob");
		if (register) {
			await registerViaApi(email, "mySuperPwd");
		}
		const res = await call("POST", "/sessions", { form: { email, password } });
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual({ message: "invalid email or password" });
		expect(sessionSetCookie(res)).toBeNull();
	});
});

describe("GET /profile", () => {
	it("answers 200 with the email for a valid session", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const sessionId = await logInViaApi(email, "mySuperPwd");
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`{"email":"${email}"}`);
	});

	it.each([
		["no cookie", undefined],
		["an unknown session id", "nope"],
		["an empty session id", ""],
	])("answers 403 for %s", async (_case, sessionId) => {
		const res = await call("GET", "/profile", { sessionId });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
	});
});

describe("DELETE /sessions", () => {
	it("ends the session and redirects with 302 to `/`, which answers Bienvenue", async () => {
		const email = uniqueEmail("bob");
		await registerViaApi(email, "mySuperPwd");
		const sessionId = await logInViaApi(email, "mySuperPwd");
		const res = await call("DELETE", "/sessions", { sessionId });
		expect(res.status).toBe(302);
		expect(res.headers.get("Location")).toBe("/");
		expect(sessionSetCookie(res)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");

		const followed = await call("GET", new URL(res.headers.get("Location") ?? "", "http://x").pathname);
		expect(await followed.json()).toEqual({ message: "Bienvenue" });
		expect((await call("GET", "/profile", { sessionId })).status).toBe(403);
	});

	it("lands on Bienvenue when a fetch client follows the redirect, which keeps the DELETE method", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await exports.default.fetch(`${ORIGIN}/sessions`, {
			method: "DELETE",
			headers: { Cookie: `session_id=${sessionId}` },
		});
		expect(res.redirected).toBe(true);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ message: "Bienvenue" });
	});

	it.each([
		["no cookie", undefined],
		["an unknown session id", crypto.randomUUID()],
	])("answers 403 for %s", async (_case, sessionId) => {
		const res = await call("DELETE", "/sessions", { sessionId });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
	});

	it("answers 403 for a session that was already ended", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(302);
		expect((await call("DELETE", "/sessions", { sessionId })).status).toBe(403);
	});
});

describe("sessions per device", () => {
	it("logging in on a second device leaves the first logged in", async () => {
		const { sessions } = await userOnDevices(2);
		expect(await profileStatuses(sessions)).toEqual([200, 200]);
	});

	it("DELETE /sessions ends only the current device's session", async () => {
		const { sessions } = await userOnDevices(2);
		expect((await call("DELETE", "/sessions", { sessionId: sessions[0] })).status).toBe(302);
		expect(await profileStatuses(sessions)).toEqual([403, 200]);
	});
});

describe("GET /sessions", () => {
	it("lists the user's live sessions, newest first, with one marked current", async () => {
		const { sessions } = await userOnDevices(2);
		const res = await call("GET", "/sessions", { sessionId: sessions[0] });
		expect(res.status).toBe(200);
		const body = await res.json<{ sessions: Record<string, unknown>[] }>();
		expect(body.sessions.map((s) => [s.user_agent, s.current])).toEqual([
			["device-2", false],
			["device-1", true],
		]);
		for (const session of body.sessions) {
			expect(Object.keys(session)).toEqual([
				"id",
				"created_at",
				"last_used_at",
				"expires_at",
				"user_agent",
				"current",
			]);
			expect(session.id).toMatch(/^[0-9a-f]{32}$/);
			for (const field of ["created_at", "last_used_at", "expires_at"]) {
				expect(new Date(String(session[field])).toISOString()).toBe(session[field]);
			}
		}
	});

	it("shows neither the session ids nor their digests", async () => {
		const { sessions } = await userOnDevices(2);
		const text = await (await call("GET", "/sessions", { sessionId: sessions[0] })).text();
		for (const sessionId of sessions) {
			expect(text).not.toContain(sessionId);
			expect(text).not.toContain(await sha256Hex(sessionId));
		}
	});

	it("keeps at most 256 characters of the user agent", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd", { "User-Agent": "x".repeat(1000) });
		const { sessions } = await (await call("GET", "/sessions", { sessionId })).json<{
			sessions: { user_agent: string }[];
		}>();
		expect(sessions[0]?.user_agent).toBe("x".repeat(256));
	});

	it("answers 403 without a live session", async () => {
		expect((await call("GET", "/sessions")).status).toBe(403);
		expect((await call("GET", "/sessions", { sessionId: crypto.randomUUID() })).status).toBe(403);
	});
});

describe("DELETE /sessions/{id}", () => {
	/** The public ids of the sessions listed to `sessionId`, in the list's order (newest first). */
	async function listedIds(sessionId: string | undefined): Promise<string[]> {
		const { sessions } = await (await call("GET", "/sessions", { sessionId })).json<{
			sessions: { id: string }[];
		}>();
		return sessions.map((session) => session.id);
	}

	it("ends another device's session with 204: that device gets 403, this one goes on", async () => {
		const { sessions } = await userOnDevices(2);
		const [second] = await listedIds(sessions[0]);
		const res = await call("DELETE", `/sessions/${second}`, { sessionId: sessions[0] });
		expect(res.status).toBe(204);
		expect(await res.text()).toBe("");
		expect(sessionSetCookie(res)).toBeNull();
		expect(await profileStatuses(sessions)).toEqual([200, 403]);
	});

	it("ends the current session too, clearing its cookie", async () => {
		const { sessions } = await userOnDevices(1);
		const [current] = await listedIds(sessions[0]);
		const res = await call("DELETE", `/sessions/${current}`, { sessionId: sessions[0] });
		expect(res.status).toBe(204);
		expect(sessionSetCookie(res)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
		expect(await profileStatuses(sessions)).toEqual([403]);
	});

	it("answers 404 for another user's session, which goes on, and for an unknown id", async () => {
		const alice = await userOnDevices(1);
		const bob = await userOnDevices(1);
		const [bobsSession] = await listedIds(bob.sessions[0]);
		for (const id of [bobsSession, "0".repeat(32), "nope"]) {
			const res = await call("DELETE", `/sessions/${id}`, { sessionId: alice.sessions[0] });
			expect(res.status).toBe(404);
			expect(await res.json()).toEqual({ message: "session not found" });
		}
		expect(await profileStatuses([...alice.sessions, ...bob.sessions])).toEqual([200, 200]);
	});

	it("answers 404 for a session of the user's that has expired, as the list does not show it", async () => {
		const { sessions } = await userOnDevices(2);
		const [, oldest] = await listedIds(sessions[1]);
		await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE public_id = ?")
			.bind(Date.now() - 1, oldest)
			.run();
		expect((await call("DELETE", `/sessions/${oldest}`, { sessionId: sessions[1] })).status).toBe(404);
	});

	it("answers 403 without a live session", async () => {
		expect((await call("DELETE", `/sessions/${"0".repeat(32)}`)).status).toBe(403);
	});
});

describe("DELETE /sessions?scope=", () => {
	it("others: ends every other session, keeps this one, and says how many", async () => {
		const { sessions } = await userOnDevices(3);
		const res = await call("DELETE", "/sessions?scope=others", { sessionId: sessions[1] });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('{"message":"other sessions ended","ended":2}');
		expect(sessionSetCookie(res)).toBeNull();
		expect(await profileStatuses(sessions)).toEqual([403, 200, 403]);
	});

	it("global: ends every session, this one included, and answers like a plain logout", async () => {
		const { sessions } = await userOnDevices(2);
		const res = await call("DELETE", "/sessions?scope=global", { sessionId: sessions[0] });
		expect(res.status).toBe(302);
		expect(res.headers.get("Location")).toBe("/");
		expect(sessionSetCookie(res)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
		expect(await profileStatuses(sessions)).toEqual([403, 403]);
	});

	it("current: the same as no scope", async () => {
		const { sessions } = await userOnDevices(2);
		expect((await call("DELETE", "/sessions?scope=current", { sessionId: sessions[0] })).status).toBe(302);
		expect(await profileStatuses(sessions)).toEqual([403, 200]);
	});

	it.each(["others", "global"])("%s: answers 403 without a live session", async (scope) => {
		expect((await call("DELETE", `/sessions?scope=${scope}`)).status).toBe(403);
	});

	it("answers 400 for an unknown scope", async () => {
		const { sessions } = await userOnDevices(1);
		const res = await call("DELETE", "/sessions?scope=everything", { sessionId: sessions[0] });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "scope must be current, others or global" });
		expect(await profileStatuses(sessions)).toEqual([200]);
	});
});
