/** Integration tests of the password routes: `PUT /password`, `POST` and `PUT /reset_password`. */
import { describe, expect, it } from "vitest";
import {
	call,
	logInViaApi,
	profileStatuses,
	registerViaApi,
	sessionSetCookie,
	uniqueEmail,
	userOnDevices,
} from "../helpers";

/** Requests a reset token through the API and returns it. */
async function requestToken(email: string): Promise<string> {
	const res = await call("POST", "/reset_password", { form: { email } });
	const body = await res.json<{ reset_token: string }>();
	return body.reset_token;
}

describe("POST /reset_password", () => {
	it("answers 200 with the email and a 36-character UUID token", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/reset_password", { form: { email } });
		expect(res.status).toBe(200);
		const body = await res.json<Record<string, string>>();
		expect(Object.keys(body)).toEqual(["email", "reset_token"]);
		expect(body.email).toBe(email);
		expect(body.reset_token).toHaveLength(36);
		expect(body.reset_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
	});

	it("answers 403 for an email nobody registered", async () => {
		const res = await call("POST", "/reset_password", { form: { email: uniqueEmail() } });
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "email not registered" });
	});
});

describe("PUT /reset_password", () => {
	it("updates the password with a valid token: exact body, new password works, old one does not", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "b4l0u");
		const reset_token = await requestToken(email);
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token, new_password: "t4rt1fl3tt3" },
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`{"email":"${email}","message":"Password updated"}`);
		await expect(logInViaApi(email, "t4rt1fl3tt3")).resolves.toHaveLength(36);
		expect((await call("POST", "/sessions", { form: { email, password: "b4l0u" } })).status).toBe(401);
	});

	it("answers 403 for an invalid token", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token: crypto.randomUUID(), new_password: "new" },
		});
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid reset token" });
	});
});

describe("PUT /password", () => {
	/** Changes the password with the given session. */
	function changePassword(sessionId: string | undefined, current: string, next: string) {
		return call("PUT", "/password", { sessionId, form: { current_password: current, new_password: next } });
	}

	it("sets the new password, ends every other session, and keeps this device in with a new session id", async () => {
		const { email, sessions } = await userOnDevices(3, "old password");
		const res = await changePassword(sessions[1], "old password", "new password");
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('{"message":"Password updated"}');
		const renewed = /^session_id=([^;]+); Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/.exec(
			sessionSetCookie(res) ?? "",
		)?.[1];
		expect(renewed).toBeDefined();
		// A copy of the old cookie (stolen, say) stops working with the others.
		expect(await profileStatuses([...sessions, renewed ?? ""])).toEqual([403, 403, 403, 200]);
		expect((await call("POST", "/sessions", { form: { email, password: "old password" } })).status).toBe(401);
		expect((await call("POST", "/sessions", { form: { email, password: "new password" } })).status).toBe(200);
	});

	it("answers 403 for a wrong current password and changes nothing", async () => {
		const { email, sessions } = await userOnDevices(2, "old password");
		const res = await changePassword(sessions[0], "not it", "new password");
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "password is incorrect" });
		expect(await profileStatuses(sessions)).toEqual([200, 200]);
		expect((await call("POST", "/sessions", { form: { email, password: "old password" } })).status).toBe(200);
	});

	it("counts a wrong current password as a failed login of the account", async () => {
		const { email, sessions } = await userOnDevices(1, "right pwd");
		for (let i = 0; i < 10; i++) {
			expect((await changePassword(sessions[0], "wrong", "new password")).status).toBe(403);
		}
		expect((await changePassword(sessions[0], "right pwd", "new password")).status).toBe(429);
		expect((await call("POST", "/sessions", { form: { email, password: "right pwd" } })).status).toBe(429);
	});

	it("applies the policy of sign-up to the new password", async () => {
		const { sessions } = await userOnDevices(1, "old password");
		const res = await changePassword(sessions[0], "old password", "iloveyou");
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password is too common" });
	});

	it("voids a reset token issued before the change", async () => {
		const { email, sessions } = await userOnDevices(1, "old password");
		const token = await requestToken(email);
		expect((await changePassword(sessions[0], "old password", "new password")).status).toBe(200);
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token: token, new_password: "x" },
		});
		expect(res.status).toBe(403);
	});

	it("answers 403 without a live session", async () => {
		const res = await changePassword(undefined, "a", "b");
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
	});
});
