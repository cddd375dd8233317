/** Integration tests of `POST /reset_password` and `PUT /reset_password`. */
import { describe, expect, it } from "vitest";
import { call, logInViaApi, registerViaApi, uniqueEmail } from "../helpers";

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
