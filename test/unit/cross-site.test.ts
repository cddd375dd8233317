/** `refuseCrossSite` on a bare Hono app: which header combinations pass, for which methods. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { refuseCrossSite } from "../../src/http/cross-site";

const ALLOWED = "https://app.example.com";

/** A bare app behind the middleware that answers 200 "ok", and 403 for the middleware's refusals. */
function appBehindMiddleware() {
	const app = new Hono<{ Bindings: Env }>();
	app.use(refuseCrossSite(() => [ALLOWED]));
	app.all("/", (c) => c.text("ok"));
	app.onError((error, c) =>
		error instanceof AppError ? c.text(error.code, error.status) : c.text("bug", 500),
	);
	return app;
}

/** The status of a request with the given method and headers. */
async function statusOf(method: string, headers: Record<string, string>): Promise<number> {
	const res = await appBehindMiddleware().request("http://svc.example/", { method, headers });
	return res.status;
}

describe("refuseCrossSite", () => {
	it.each(["GET", "HEAD", "OPTIONS"])("lets %s through whatever the headers say", async (method) => {
		expect(await statusOf(method, { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" })).toBe(
			200,
		);
	});

	it.each([
		[{}, 200],
		[{ Origin: "http://svc.example" }, 200],
		[{ Origin: ALLOWED, "Sec-Fetch-Site": "cross-site" }, 200],
		[{ "Sec-Fetch-Site": "same-origin" }, 200],
		[{ "Sec-Fetch-Site": "none" }, 200],
		[{ Origin: "https://evil.example" }, 403],
		[{ Origin: "https://svc.example" }, 403],
		[{ Origin: "null" }, 403],
		[{ Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" }, 403],
		[{ "Sec-Fetch-Site": "same-site" }, 403],
		[{ "Sec-Fetch-Site": "cross-site" }, 403],
	])("answers a POST with %j: %i", async (headers, status) => {
		expect(await statusOf("POST", headers)).toBe(status);
	});

	it.each(["PUT", "DELETE", "PATCH"])("judges %s like POST", async (method) => {
		expect(await statusOf(method, { "Sec-Fetch-Site": "cross-site" })).toBe(403);
		expect(await statusOf(method, {})).toBe(200);
	});
});
