/** Hono's typed `hc` client over the exported `AppType` drives the whole flow against the worker, in JSON. */
import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { AppType } from "../src/index";
import { ORIGIN, uniqueEmail } from "./helpers";

/** A typed client whose requests go to the worker under test. */
const client = hc<AppType>(ORIGIN, {
	fetch: (input: RequestInfo | URL, init?: RequestInit) =>
		exports.default.fetch(input, { ...init, redirect: "manual" }),
});

describe("the typed client", () => {
	it("registers, logs in, reads the profile and logs out with typed calls", async () => {
		const email = uniqueEmail();
		const registered = await client.users.$post({ json: { email, password: "b4l0u" } });
		expect(registered.status).toBe(200);
		const created = await registered.json();
		expectTypeOf(created).toEqualTypeOf<{ email: string; message: string }>();
		expect(created).toEqual({ email, message: "user created" });

		const login = await client.sessions.$post({ json: { email, password: "b4l0u" } });
		expect(login.status).toBe(200);
		const cookie = login.headers.get("Set-Cookie")?.split(";")[0] ?? "";
		expect(cookie).toMatch(/^session_id=/);

		const profile = await client.profile.$get(undefined, { headers: { Cookie: cookie } });
		expect(profile.status).toBe(200);
		if (profile.status === 200) {
			const body = await profile.json();
			expectTypeOf(body).toEqualTypeOf<{ email: string }>();
			expect(body).toEqual({ email });
		}

		const logout = await client.sessions.$delete({ query: {} }, { headers: { Cookie: cookie } });
		expect(logout.status).toBe(302);
		expect((await client.profile.$get(undefined, { headers: { Cookie: cookie } })).status).toBe(403);
	});
});
