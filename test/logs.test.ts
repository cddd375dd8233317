/** One structured JSON line per request, tagged with the request id echoed in `X-Request-Id`. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CapturedLogs, call, captureLogs, logInViaApi, registerViaApi, uniqueEmail } from "./helpers";

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The request log lines written so far, parsed. */
function requestLines(): Record<string, unknown>[] {
	return logs.entries().filter((entry) => entry.msg === "request");
}

describe("request logs", () => {
	it("write one JSON line per request with id, method, path, status and duration", async () => {
		const res = await call("GET", "/profile?debug=1");
		const [entry, ...rest] = requestLines();
		expect(rest).toEqual([]);
		expect(entry).toEqual({
			level: "info",
			msg: "request",
			requestId: res.headers.get("X-Request-Id"),
			method: "GET",
			path: "/profile",
			status: 403,
			durationMs: expect.any(Number),
		});
		expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("echo a well-formed X-Request-Id from the caller", async () => {
		const res = await call("GET", "/nope", { headers: { "X-Request-Id": "trace-42" } });
		expect(res.headers.get("X-Request-Id")).toBe("trace-42");
		expect(requestLines()[0]?.requestId).toBe("trace-42");
	});

	it("are written for every request that may write and every answer but a success, not for a successful read", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		logs = captureLogs();
		await call("GET", "/");
		await call("GET", "/openapi.json");
		await call("GET", "/login");
		await call("GET", "/nope");
		await call("GET", "/doc");
		await call("GET", "/profile", { sessionId });
		await call("GET", "/profile");
		await call("DELETE", "/sessions", { sessionId });
		expect(requestLines().map((line) => [line.method, line.path, line.status])).toEqual([
			["GET", "/nope", 404],
			["GET", "/doc", 301],
			["GET", "/profile", 403],
			["DELETE", "/sessions", 302],
		]);
	});

	it("never carry passwords, tokens, cookies or emails", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "s3cret-password");
		const sessionId = await logInViaApi(email, "s3cret-password");
		await call("GET", "/profile", { sessionId });
		const reset = await call("POST", "/reset_password", { form: { email } });
		const { reset_token } = await reset.json<{ reset_token: string }>();
		await call("PUT", "/reset_password", { form: { email, reset_token, new_password: "n3w-password" } });

		// Sign-up, login, reset request and reset; the successful profile read writes no line.
		expect(requestLines()).toHaveLength(4);
		for (const line of [...logs.info, ...logs.error]) {
			for (const secret of ["s3cret-password", "n3w-password", sessionId, reset_token, email]) {
				expect(line).not.toContain(secret);
			}
		}
	});
});
