/**
 * HTTPS only off localhost: plain HTTP to any other host is redirected to HTTPS (308), so the session
 * cookie is only ever set `Secure` there. And when a request carries two `session_id` cookies (one planted
 * by another site of the same domain), neither is trusted over the other: the request has a session only
 * when exactly one of them is live.
 */
import { describe, expect, it } from "vitest";
import { call, logInViaApi, profileStatuses, registerViaApi, uniqueEmail } from "../helpers";

describe("plain HTTP", () => {
	it.each([
		["http://auth.example.com"],
		["http://203.0.113.9"],
		["http://172.32.0.1:5000"],
		["http://100.64.0.1"],
		["http://[2001:db8::1]:5000"],
		["http://localhost.example.com"],
		["http://127.0.0.1.nip.io:5000"],
	])("to %s is answered 308 to the same URL over HTTPS", async (origin) => {
		const res = await call("POST", "/sessions?next=%2Faccount", {
			origin,
			form: { email: "a@b.c", password: "x" },
		});
		expect(res.status).toBe(308);
		const location = new URL(res.headers.get("Location") ?? "");
		expect(location.protocol).toBe("https:");
		expect(location.hostname).toBe(new URL(origin).hostname);
		expect(location.port).toBe("");
		expect(`${location.pathname}${location.search}`).toBe("/sessions?next=%2Faccount");
		expect(res.headers.get("Set-Cookie")).toBeNull();
	});

	// Development hosts (src/local-host.ts): the exercise's clients call http://0.0.0.0:5000, a phone on the
	// LAN the laptop's address.
	it.each([
		["http://localhost:5000"],
		["http://127.0.0.1:5000"],
		["http://127.8.9.10"],
		["http://0.0.0.0:5000"],
		["http://[::1]:5000"],
		["http://[::]:5000"],
		["http://[::ffff:127.0.0.1]:5000"],
		["http://app.localhost:5000"],
		["http://192.168.1.20:5000"],
		["http://10.0.0.7:5000"],
		["http://172.16.5.4:5000"],
		["http://169.254.10.1:5000"],
		["http://[fd12:3456::1]:5000"],
		["http://[fe80::1]:5000"],
		["https://auth.example.com"],
	])("to %s is served", async (origin) => {
		expect((await call("GET", "/", { origin })).status).toBe(200);
	});
});

describe("two session_id cookies", () => {
	/** Asks for the profile with the given `session_id` values. */
	async function profileWith(...ids: string[]): Promise<number> {
		const cookie = ids.map((id) => `session_id=${id}`).join("; ");
		return (await call("GET", "/profile", { headers: { Cookie: cookie } })).status;
	}

	it("are accepted when exactly one of them is a live session, in either order", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		expect(await profileWith("planted", sessionId)).toBe(200);
		expect(await profileWith(sessionId, crypto.randomUUID())).toBe(200);
	});

	it("are refused when both are live, so an attacker's own session cannot be planted beside the victim's", async () => {
		const victim = uniqueEmail();
		const attacker = uniqueEmail();
		await registerViaApi(victim, "pwd");
		await registerViaApi(attacker, "pwd");
		const victimSession = await logInViaApi(victim, "pwd");
		const attackerSession = await logInViaApi(attacker, "pwd");
		expect(await profileWith(attackerSession, victimSession)).toBe(403);
		expect(await profileWith(victimSession, attackerSession)).toBe(403);
	});

	it("end the live one on logout, and only that one", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const [kept, ended] = [await logInViaApi(email, "pwd"), await logInViaApi(email, "pwd")];
		const res = await call("DELETE", "/sessions", {
			headers: { Cookie: `session_id=planted; session_id=${ended}` },
		});
		expect(res.status).toBe(302);
		expect(await profileStatuses([kept, ended])).toEqual([200, 403]);
	});

	it("count as none past three", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		expect(await profileWith("a", "b", "c", sessionId)).toBe(403);
	});
});
