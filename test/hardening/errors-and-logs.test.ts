/**
 * Unexpected failures answer a generic JSON 500 and are logged as one structured line that holds no
 * password, token, cookie or query parameter. The database is broken on purpose here, so this file keeps
 * its own storage.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorCatalog } from "../../src/errors";
import { type CapturedLogs, call, captureLogs, logInViaApi, registerViaApi, uniqueEmail } from "../helpers";

/** Runs `action` while the `users` table is renamed away, so every query on it fails. */
async function withUsersTableMissing<T>(action: () => Promise<T>): Promise<T> {
	await env.DB.prepare("ALTER TABLE users RENAME TO users_away").run();
	try {
		return await action();
	} finally {
		await env.DB.prepare("ALTER TABLE users_away RENAME TO users").run();
	}
}

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("unexpected errors", () => {
	it("answer a generic JSON 500 without stack or SQL, and log one structured line", async () => {
		const res = await withUsersTableMissing(() =>
			call("POST", "/sessions", { form: { email: uniqueEmail(), password: "hunter2-secret" } }),
		);
		expect(res.status).toBe(500);
		expect(await res.text()).toBe('{"message":"internal server error"}');
		expect(logs.error).toHaveLength(1);
		const line = JSON.parse(logs.error[0] ?? "");
		expect(line).toMatchObject({ level: "error", method: "POST", path: "/sessions" });
		expect(JSON.stringify(line.error)).toContain("no such table: users");
	});

	it("never log the password, the email, the session cookie or query parameters", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "old-password-secret");
		const sessionId = await logInViaApi(email, "old-password-secret");
		const secrets = ["old-password-secret", "new-password-secret", email, sessionId];

		await withUsersTableMissing(async () => {
			await call("POST", "/users", { form: { email, password: "new-password-secret" } });
			await call("POST", "/sessions", { form: { email, password: "old-password-secret" } });
			await call("GET", "/profile", { sessionId });
			await call("PUT", "/reset_password", {
				form: { email, reset_token: sessionId, new_password: "new-password-secret" },
			});
		});
		expect(logs.error).toHaveLength(4);
		for (const line of logs.error) {
			for (const secret of secrets) {
				expect(line).not.toContain(secret);
			}
			expect(line).not.toContain("params");
		}
	});
});

describe("the error catalog", () => {
	it("gives every code a 4xx or 5xx status and a lower-case public message", () => {
		for (const [code, { status, message }] of Object.entries(errorCatalog)) {
			expect(status, code).toBeGreaterThanOrEqual(400);
			expect(message, code).toMatch(/^[a-z]/);
		}
	});
});
