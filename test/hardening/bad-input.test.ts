/** No input makes a 5xx: malformed, oversized or random requests get a 4xx with a JSON body. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { call, HEAVY_TEST_TIMEOUT_MS, logInViaApi, registerViaApi, uniqueEmail } from "../helpers";

/** Every documented route as `[method, path]`, read from the served OpenAPI document. */
async function documentedRoutes(): Promise<[string, string][]> {
	const { paths } = await (await call("GET", "/openapi.json")).json<{ paths: Record<string, object> }>();
	return Object.entries(paths).flatMap(([path, operations]) =>
		Object.keys(operations).map((method): [string, string] => [method.toUpperCase(), path]),
	);
}

describe("oversized bodies", () => {
	it("answer 413 JSON when Content-Length is over 16 KiB", async () => {
		const res = await call("POST", "/users", {
			form: { email: uniqueEmail(), password: "pwd", padding: "x".repeat(16 * 1024) },
		});
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual({ message: "request body too large" });
	});

	it("answer 413 JSON when a streamed body without Content-Length grows over 16 KiB", async () => {
		const chunk = new TextEncoder().encode(`email=a%40example.com&password=${"x".repeat(1024)}`);
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < 20; i++) {
					controller.enqueue(chunk);
				}
				controller.close();
			},
		});
		const res = await call("POST", "/users", {
			form: undefined,
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body,
		});
		expect(res.status).toBe(413);
	});

	it("are fine just under the limit", async () => {
		const res = await call("POST", "/users", {
			form: { email: uniqueEmail(), password: "pwd", padding: "x".repeat(15 * 1024) },
		});
		expect(res.status).toBe(200);
	});
});

describe("malformed bodies", () => {
	it.each([
		["application/json", "", "malformed request body"],
		["application/json", "{not json", "malformed request body"],
		["application/json", "[1, 2]", "email is required"],
		["application/json", "null", "the body must be form fields or a JSON object"],
		["application/json", '{"email": 42, "password": "x"}', "email must be text"],
		["application/x-www-form-urlencoded", "%%%&&&===", "email is required"],
		[
			"multipart/form-data; boundary=zz",
			"--zz\r\nContent-Disposition: form-data\r\n\r\nbroken",
			"malformed request body",
		],
		["multipart/form-data", "no boundary at all", "malformed request body"],
		["multipart/form-data; boundary=x", "", "malformed request body"],
	])("answer 400 JSON for Content-Type %s with %j", async (contentType, raw, message) => {
		const res = await call("POST", "/users", { headers: { "Content-Type": contentType }, body: raw });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message });
	});

	it.each(["text/plain", "application/xml", "application/octet-stream"])(
		"answer 415 JSON for Content-Type %s",
		async (contentType) => {
			const res = await call("POST", "/users", { headers: { "Content-Type": contentType }, body: "email=a" });
			expect(res.status).toBe(415);
			expect(await res.json()).toEqual({ message: "unsupported media type" });
		},
	);

	it("answer 400 for a repeated field instead of picking one", async () => {
		const body = new URLSearchParams([
			["email", uniqueEmail()],
			["password", "one"],
			["password", "two"],
		]);
		const res = await call("POST", "/users", { body });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ message: "password must be given once" });
	});
});

describe("random input", () => {
	const fieldNames = fc.constantFrom(
		"email",
		"password",
		"reset_token",
		"new_password",
		"current_password",
		"new_email",
		"token",
		"other",
	);
	const fieldValue = fc.oneof(
		fc.string({ unit: "binary", maxLength: 120 }),
		fc.emailAddress(),
		fc.uuid(),
		fc.constant(""),
	);
	const headers = fc.record(
		{
			"Content-Type": fc.constantFrom(
				"application/x-www-form-urlencoded",
				"multipart/form-data; boundary=x",
				"application/json",
				"text/plain",
				"",
			),
			Cookie: fc.oneof(
				fc.string({ maxLength: 80 }).map((v) => `session_id=${v}`),
				fc.uuid().map((v) => `session_id=${v}`),
				fc.constant("session_id=%E0%A4%A"),
			),
			"CF-Connecting-IP": fc.ipV4(),
			Origin: fc.constantFrom("http://localhost:5000", "https://evil.example", "null"),
			"Sec-Fetch-Site": fc.constantFrom("same-origin", "cross-site", "none"),
		},
		{ requiredKeys: [] },
	);
	/** A path parameter: text of any kind, a well-formed identifier, or one made to look like a path. */
	const parameter = fc.oneof(fc.string({ maxLength: 40 }), fc.uuid(), fc.constant("..%2F..%2Fusers"));

	it(
		"never answers 5xx, and always answers JSON, on any documented route",
		async () => {
			const routes = await documentedRoutes();
			expect(routes.length).toBeGreaterThanOrEqual(9);
			const request = fc.record({
				route: fc.constantFrom(...routes),
				parameter,
				fields: fc.dictionary(fieldNames, fieldValue, { maxKeys: 5 }),
				headers,
				asForm: fc.boolean(),
				withSession: fc.boolean(),
			});
			const email = uniqueEmail();
			await registerViaApi(email, "pwd");
			// Half the runs carry a live session, so the routes behind one have their bodies fuzzed too.
			const sessionId = await logInViaApi(email, "pwd");
			await fc.assert(
				fc.asyncProperty(request, async ({ route, parameter, fields, headers, asForm, withSession }) => {
					const [method, template] = route;
					const path = template.replace(/\{[^}]+\}/g, encodeURIComponent(parameter));
					const sent = new Headers(withSession ? { Cookie: `session_id=${sessionId}` } : {});
					for (const [name, value] of Object.entries(headers)) {
						if (value !== undefined && value !== "") {
							sent.set(name, value);
						}
					}
					const body = asForm ? new URLSearchParams(fields) : JSON.stringify(fields);
					const res = await call(method, path, {
						headers: Object.fromEntries(sent),
						body: method === "GET" ? undefined : body,
					});
					const text = await res.text();
					expect(res.status, `${method} ${path} → ${res.status} ${text}`).toBeLessThan(500);
					if (res.status !== 302 && res.status !== 204) {
						expect(() => JSON.parse(text)).not.toThrow();
					}
				}),
				{ numRuns: 300 },
			);
		},
		HEAVY_TEST_TIMEOUT_MS,
	);
});
