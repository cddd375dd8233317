/**
 * `response` mode hands tokens to whoever asks, which is only safe on a developer's machine: over HTTPS
 * on any other host, the routes that would answer a token refuse with 503 and log how to fix the
 * deployment, unless the operator opted in. `email` mode is not affected.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CapturedLogs, call, captureLogs, emailModeEnv, loggedInUser, uniqueEmail } from "../helpers";

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The three requests that answer a token in `response` mode, sent to `origin`. */
async function tokenRequests(origin: string, testEnv?: Env): Promise<number[]> {
	const { email, sessionId } = await loggedInUser("a password");
	const statuses = [];
	for (const [method, path, form] of [
		["POST", "/reset_password", { email }],
		["POST", "/users/verification", { email }],
		["PUT", "/users/me/email", { password: "a password", new_email: uniqueEmail() }],
	] as const) {
		statuses.push((await call(method, path, { origin, form, sessionId, env: testEnv })).status);
	}
	return statuses;
}

describe("tokens in responses", () => {
	it("are refused over HTTPS on a public host, with 503 JSON and an error line naming the fix", async () => {
		const { email } = await loggedInUser("a password");
		const res = await call("POST", "/reset_password", {
			origin: "https://auth.example.com",
			form: { email },
		});
		expect(res.status).toBe(503);
		expect(await res.json()).toEqual({ message: "token delivery is not configured for this host" });
		const [line, ...others] = logs.entries().filter((entry) => entry.level === "error");
		expect(others).toEqual([]);
		expect(line?.msg).toBe("refused to answer a token in a response on a public host");
		expect(String(line?.fix)).toContain("npm run deploy");
		expect(String(line?.fix)).toContain('ALLOW_TOKEN_IN_RESPONSE = "true"');
	});

	it("are refused on every route that would answer one", async () => {
		expect(await tokenRequests("https://auth.example.com")).toEqual([503, 503, 503]);
	});

	it("are never answered over plain HTTP to a public host either: it is redirected to HTTPS first", async () => {
		expect(await tokenRequests("http://auth.example.com")).toEqual([308, 308, 308]);
	});

	it.each([["https://localhost:5000"], ["https://127.0.0.1:5000"], ["http://127.0.0.1:5000"]])(
		"are answered at %s",
		async (origin) => {
			expect(await tokenRequests(origin)).toEqual([200, 200, 200]);
		},
	);

	it("are answered on a public host when the operator opts in with ALLOW_TOKEN_IN_RESPONSE", async () => {
		expect(
			await tokenRequests("https://auth.example.com", { ...env, ALLOW_TOKEN_IN_RESPONSE: "true" } as Env),
		).toEqual([200, 200, 200]);
	});

	it("never arise in email mode, which serves public hosts", async () => {
		expect(await tokenRequests("https://auth.example.com", emailModeEnv())).toEqual([200, 200, 202]);
	});
});
