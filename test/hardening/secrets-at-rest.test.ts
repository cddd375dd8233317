/** Session ids and reset tokens are stored only as SHA-256 digests; the raw values live with the client. */
import { describe, expect, it } from "vitest";
import {
	call,
	logInViaApi,
	registerViaApi,
	sha256Hex,
	storedSessions,
	storedUser,
	uniqueEmail,
} from "../helpers";

describe("secrets at rest", () => {
	it("stores the SHA-256 of the session id as its key, and the raw id nowhere in the row", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const [row, ...others] = await storedSessions(email);
		expect(others).toEqual([]);
		expect(row?.id).toBe(await sha256Hex(sessionId));
		expect(JSON.stringify(row)).not.toContain(sessionId);
		expect(JSON.stringify(await storedUser(email))).not.toContain(sessionId);
	});

	it("stores the SHA-256 of the reset token, and the raw token nowhere in the row", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await call("POST", "/reset_password", { form: { email } });
		const { reset_token } = await res.json<{ reset_token: string }>();
		const row = await storedUser(email);
		expect(row?.reset_token).toBe(await sha256Hex(reset_token));
		expect(JSON.stringify(row)).not.toContain(reset_token);
	});

	it("hashes the presented value on lookup, so the stored digest itself is not a valid session", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		await logInViaApi(email, "pwd");
		const digest = (await storedSessions(email))[0]?.id ?? "";
		expect((await call("GET", "/profile", { sessionId: digest })).status).toBe(403);
	});

	it("hashes the presented reset token, so the stored digest cannot reset the password", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		await call("POST", "/reset_password", { form: { email } });
		const digest = (await storedUser(email))?.reset_token ?? "";
		const res = await call("PUT", "/reset_password", {
			form: { email, reset_token: digest, new_password: "new" },
		});
		expect(res.status).toBe(403);
	});
});
