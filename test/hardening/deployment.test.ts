/**
 * A deployment that cannot be safe refuses to serve: the development configuration (the top level of
 * wrangler.toml, what a bare `wrangler deploy` puts online) runs with the public development secrets, and
 * on any host but a development one every request answers 503 naming the fix, logged as an error.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CapturedLogs, call, captureLogs } from "../helpers";

let logs: CapturedLogs;

beforeEach(() => {
	logs = captureLogs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** The test bindings without the two secrets: the development configuration as deployed bare. */
function bareDeployment(): Env {
	const bare: Record<string, unknown> = { ...env };
	delete bare.AUTH_SECRET;
	delete bare.PASSWORD_PEPPER;
	return bare as unknown as Env;
}

describe("the development configuration", () => {
	it.each([
		["GET", "/"],
		["GET", "/login"],
		["POST", "/users"],
	])("refuses %s %s on a public host with 503, and an error line naming the fix", async (method, path) => {
		const res = await call(method, path, {
			origin: "https://auth.example.com",
			env: bareDeployment(),
			form: method === "POST" ? { email: "a@example.com", password: "pwd" } : undefined,
		});
		expect(res.status).toBe(503);
		const message = "this service runs its development configuration: it is not configured for this host";
		if (path === "/login") {
			// A page's path answers a page, as every refusal on it does.
			expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
			expect(await res.text()).toContain("This service runs its development configuration");
		} else {
			expect(await res.json()).toEqual({ message });
		}
		const [line] = logs.entries().filter((entry) => entry.level === "error");
		expect(line?.msg).toBe("refused to serve the development configuration on a public host");
		expect(String(line?.fix)).toContain("npm run deploy");
	});

	it.each(["http://localhost:5000", "http://0.0.0.0:5000", "http://192.168.1.20:5000"])(
		"serves %s, a development host",
		async (origin) => {
			expect((await call("GET", "/", { origin, env: bareDeployment() })).status).toBe(200);
		},
	);

	it("serves a public host once both secrets are set", async () => {
		expect((await call("GET", "/", { origin: "https://auth.example.com" })).status).toBe(200);
	});
});
