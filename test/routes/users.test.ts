/** Integration tests of the account routes: `POST /users` and `DELETE /users/me`. */
import { describe, expect, it } from "vitest";
import {
	call,
	profileStatuses,
	sessionSetCookie,
	storedSessions,
	storedUser,
	uniqueEmail,
	userOnDevices,
} from "../helpers";

describe("POST /users", () => {
	it("registers a new user with the exact body of the original transcript", async () => {
		const email = uniqueEmail("bob");
		const res = await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await res.text()).toBe(`{"email":"${email}","message":"user created"}`);
	});

	it("answers 400 `email already registered` for an email that is taken", async () => {
		const email = uniqueEmail("bob");
		await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		const res = await call("POST", "/users", { form: { email, password: "mySuperPwd" } });
		expect(res.status).toBe(400);
		expect(await res.text()).toBe('{"message":"email already registered"}');
	});

	it("accepts multipart form data as well", async () => {
		const email = uniqueEmail();
		const body = new FormData();
		body.set("email", email);
		body.set("password", "pwd");
		const res = await call("POST", "/users", { form: body });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ email, message: "user created" });
	});
});

describe("DELETE /users/me", () => {
	/** Deletes the account of the session's user. */
	function deleteAccount(sessionId: string | undefined, password: string) {
		return call("DELETE", "/users/me", { sessionId, form: { password } });
	}

	it("deletes the user, its sessions and its reset token, and clears the cookie", async () => {
		const { email, sessions } = await userOnDevices(2);
		await call("POST", "/reset_password", { form: { email } });
		const res = await deleteAccount(sessions[0], "pwd");
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('{"message":"user deleted"}');
		expect(sessionSetCookie(res)).toBe("session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
		expect(await profileStatuses(sessions)).toEqual([403, 403]);
		expect(await storedUser(email)).toBeNull();
		expect(await storedSessions(email)).toEqual([]);
		expect((await call("POST", "/sessions", { form: { email, password: "pwd" } })).status).toBe(401);
		expect((await call("POST", "/reset_password", { form: { email } })).status).toBe(403);
	});

	it("frees the email for a new sign-up", async () => {
		const { email, sessions } = await userOnDevices(1);
		expect((await deleteAccount(sessions[0], "pwd")).status).toBe(200);
		expect((await call("POST", "/users", { form: { email, password: "again pwd" } })).status).toBe(200);
	});

	it("answers 403 for a wrong password and deletes nothing; failures count as failed logins", async () => {
		const { email, sessions } = await userOnDevices(1, "right pwd");
		const res = await deleteAccount(sessions[0], "wrong");
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "password is incorrect" });
		expect(await storedUser(email)).not.toBeNull();
		for (let i = 0; i < 9; i++) {
			expect((await deleteAccount(sessions[0], "wrong")).status).toBe(403);
		}
		expect((await deleteAccount(sessions[0], "right pwd")).status).toBe(429);
		expect(await storedUser(email)).not.toBeNull();
	});

	it("answers 403 without a live session, 400 without a password", async () => {
		expect((await deleteAccount(undefined, "pwd")).status).toBe(403);
		const { sessions } = await userOnDevices(1);
		const res = await call("DELETE", "/users/me", { sessionId: sessions[0], form: {} });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password is required" });
	});
});
