/**
 * The pages of someone not logged in, through the worker's fetch handler: each renders with the pages'
 * CSP, each form answers 303 on success and re-renders with the error, the email kept and never the
 * password, and the right status on a refusal; `next` only ever leads to a path of the service.
 *
 * @module
 */
import { describe, expect, it } from "vitest";
import { PAGE_CSP } from "../../src/web/render";
import {
	emailModeEnv,
	logInViaApi,
	profileStatuses,
	registerViaApi,
	storedSessions,
	storedUser,
	uniqueEmail,
	uniqueIp,
	verificationTokenViaApi,
} from "../helpers";
import { developmentLinkOf, fieldValue, sessionCookieOf, submit, visit } from "./helpers";

/** Registers a user, logs it in, and returns the session id. */
async function loggedInSession(): Promise<string> {
	const email = uniqueEmail();
	await registerViaApi(email, "pwd");
	return logInViaApi(email, "pwd");
}

describe("every page", () => {
	it.each([
		"/signup",
		"/login",
		"/forgot-password",
		"/reset-password?email=a%40example.com&token=t",
		"/verify-email?token=t",
		"/confirm-email?token=t",
		"/check-email?for=reset",
	])("GET %s is an HTML page with the pages' CSP, no inline script or style, not cached", async (path) => {
		const res = await visit(path);
		// A link page of a token that no longer works says so with 403.
		expect(res.status).toBe(path.includes("-email?token=t") ? 403 : 200);
		expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
		expect(res.headers.get("Content-Security-Policy")).toBe(PAGE_CSP);
		expect(PAGE_CSP).not.toMatch(/unsafe-inline|https?:/);
		expect(res.headers.get("Cache-Control")).toBe("no-store");
		// Under the API's `no-referrer`, a browser would post the page's forms with `Origin: null`.
		expect(res.headers.get("Referrer-Policy")).toBe("strict-origin");
		const html = await res.text();
		expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
		expect(html).toContain('<link rel="stylesheet" href="/assets/style.css"/>');
		expect(html).toContain('<link rel="icon" href="/assets/icon.svg" type="image/svg+xml"/>');
		expect(html).not.toMatch(/<script|style=|https?:\/\//);
	});

	it("every input has a label and the right autocomplete", async () => {
		const html = await (await visit("/signup")).text();
		expect(html).toContain('<label for="email">Email address</label>');
		expect(html).toMatch(/<input id="email" name="email" type="email" autocomplete="email"/);
		expect(html).toMatch(/<input id="password" name="password" type="password" autocomplete="new-password"/);
		const login = await (await visit("/login")).text();
		expect(login).toMatch(/name="password" type="password" autocomplete="current-password"/);
	});

	it("what a form cannot show answers an HTML page with the catalog's status, not JSON", async () => {
		const malformed = await submit(
			"/login",
			{},
			{
				body: "--x\r\nbroken",
				headers: { "Content-Type": "multipart/form-data; boundary=x" },
			},
		);
		expect(malformed.status).toBe(400);
		expect(malformed.headers.get("Content-Type")).toMatch(/^text\/html/);
		expect(malformed.headers.get("Content-Security-Policy")).toBe(PAGE_CSP);
		expect(await malformed.text()).toContain("Malformed request body.");
		const publicHost = await submit(
			"/forgot-password",
			{ email: uniqueEmail() },
			{ origin: "https://auth.example.com", headers: { Origin: "https://auth.example.com" } },
		);
		expect(publicHost.status).toBe(503);
		expect(await publicHost.text()).toContain("Token delivery is not configured for this host.");
	});

	it.each([
		[
			"a cross-site form",
			{ headers: { Origin: "https://evil.example" } },
			403,
			"Cross-site request refused.",
		],
		["a form too large to read", { body: `email=${"a".repeat(17 * 1024)}` }, 413, "Request body too large."],
	])(
		"refuses %s before its route with an HTML page, not the API's JSON",
		async (_case, options, status, message) => {
			const res = await submit("/login", {}, options);
			expect(res.status).toBe(status);
			expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
			expect(res.headers.get("Content-Security-Policy")).toBe(PAGE_CSP);
			expect(await res.text()).toContain(message);
			// The API's paths keep answering JSON for the same refusal.
			const api = await submit("/sessions", {}, options);
			expect(api.status).toBe(status);
			expect(await api.json()).toHaveProperty("message");
		},
	);

	it("a notice comes from a fixed list, never from the URL", async () => {
		const shown = await (await visit("/login?notice=logged-out")).text();
		expect(shown).toContain("You are logged out.");
		const made = await (await visit("/login?notice=%3Cb%3Egive%20us%20your%20password")).text();
		expect(made).not.toMatch(/give us|<b>/);
	});
});

describe("sign-up page", () => {
	it("creates the account, logs in on this device and goes to the account page (303)", async () => {
		const email = uniqueEmail();
		const res = await submit("/signup", { email, password: "a good passphrase" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account");
		const sessionId = sessionCookieOf(res);
		expect(sessionId).toBeTruthy();
		expect(await profileStatuses([sessionId ?? ""])).toEqual([200]);
		expect(await storedSessions(email)).toHaveLength(1);
	});

	it("re-renders with the error, the email kept and the password dropped, for a taken email (400), with the ways on", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await submit("/signup", { email, password: "secret-never-echoed" });
		expect(res.status).toBe(400);
		expect(sessionCookieOf(res)).toBeNull();
		const html = await res.text();
		expect(html).toContain("There is a problem");
		expect(html).toContain(
			'<a href="#email">Email address already has an account:</a> <a href="/login">log in</a> or <a href="/forgot-password">reset its password</a>.',
		);
		expect(fieldValue(html, "email")).toBe(email);
		expect(fieldValue(html, "password")).toBeNull();
		expect(html).not.toContain("secret-never-echoed");
	});

	it("names the field of a malformed email, linked from the summary, and marks it invalid", async () => {
		const res = await submit("/signup", { email: "not-an-email", password: "pwd" });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('<a href="#email">Email address is invalid</a>');
		expect(html).toMatch(/<input id="email"[^>]*aria-invalid="true" aria-describedby="email-error"/);
		expect(fieldValue(html, "email")).toBe("not-an-email");
	});

	it("names every field's problem at once", async () => {
		const res = await submit("/signup", { email: "not-an-email", password: "password" });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain("There are problems");
		expect(html).toContain('<a href="#email">Email address is invalid</a>');
		expect(html).toContain('<a href="#password">Password is too common</a>');
		expect(html).toMatch(/<input id="email"[^>]*aria-invalid="true"/);
		expect(html).toMatch(/<input id="password"[^>]*aria-invalid="true"/);
	});

	it("states the password rule up front, with the configured minimum", async () => {
		expect(await (await visit("/signup")).text()).toContain(
			"Up to 128 characters; not one of the most common passwords, nor your email address.",
		);
		const production = await (
			await visit("/signup", { env: emailModeEnv({ PASSWORD_MIN_LENGTH: "8" }) })
		).text();
		expect(production).toContain("8 to 128 characters; not one of the most common passwords");
	});

	it("refuses a common password with the policy's own message", async () => {
		const res = await submit("/signup", { email: uniqueEmail(), password: "password" });
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/Password is too common/);
	});

	it("an empty form names the missing field (400)", async () => {
		const res = await submit("/signup", {});
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("Email address");
	});

	it("escapes what it echoes", async () => {
		const res = await submit("/signup", { email: '"><script>alert(1)</script>', password: "pwd" });
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).not.toContain("<script>");
		expect(fieldValue(html, "email")).toBe("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
	});

	it("logs in as a login does: the login event, and a device cookie", async () => {
		const email = uniqueEmail();
		const res = await submit("/signup", { email, password: "a good passphrase" });
		expect(res.headers.get("Set-Cookie")).toMatch(/device=/);
		const page = await (await visit("/account", { sessionId: sessionCookieOf(res) ?? "" })).text();
		expect(page).toContain('<span class="sentence">You logged in</span>');
	});

	it("when a verified address is required, shows the verification link instead of logging in", async () => {
		const env = { ...emailModeEnv(), TOKEN_DELIVERY: "response", REQUIRE_VERIFIED_EMAIL: "true" };
		const email = uniqueEmail();
		const res = await submit("/signup", { email, password: "a good passphrase" }, { env });
		expect(res.status).toBe(303);
		expect(sessionCookieOf(res)).toBeNull();
		const sent = await visit(res.headers.get("Location") ?? "", { env });
		const href = /<a href="(\/verify-email\?token=[^"]+)">/.exec(await sent.text())?.[1];
		const token = new URL(href ?? "", "http://x").searchParams.get("token") ?? "";
		expect((await submit("/verify-email", { token }, { env })).status).toBe(303);
		expect((await storedUser(email))?.email_verified_at).not.toBeNull();
	});

	it("on a public host, in response mode with a verified address required, hands out no link and creates nothing (503)", async () => {
		const env = { ...emailModeEnv(), TOKEN_DELIVERY: "response", REQUIRE_VERIFIED_EMAIL: "true" };
		const email = uniqueEmail();
		const res = await submit(
			"/signup",
			{ email, password: "a good passphrase" },
			{ env, origin: "https://auth.example.com", headers: { Origin: "https://auth.example.com" } },
		);
		expect(res.status).toBe(503);
		expect(await res.text()).not.toMatch(/token=/);
		expect(await storedUser(email)).toBeNull();
	});

	it("in email mode shows the same page whether the address is free or taken", async () => {
		const env = emailModeEnv();
		const taken = uniqueEmail();
		await registerViaApi(taken, "pwd");
		const bodies = [];
		for (const email of [uniqueEmail(), taken]) {
			const res = await submit("/signup", { email, password: "a good passphrase" }, { env });
			expect(res.status).toBe(303);
			expect(sessionCookieOf(res)).toBeNull();
			bodies.push(`${res.headers.get("Location")}\n${await res.text()}`);
		}
		expect(bodies[0]).toMatch(/^\/check-email\?for=signup\n/);
		expect(bodies[1]).toBe(bodies[0]);
		const page = await (await visit("/check-email?for=signup", { env })).text();
		expect(page).toContain("Check your email");
	});
});

describe("login page", () => {
	it("logs in and goes to the account page (303) with the session and device cookies", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await submit("/login", { email, password: "pwd" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account");
		expect(await profileStatuses([sessionCookieOf(res) ?? ""])).toEqual([200]);
		expect(res.headers.get("Set-Cookie")).toMatch(/device=/);
	});

	it("a wrong password re-renders with one message for both fields, the email kept (401)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		for (const [address, password] of [
			[email, "wrong-password"],
			[uniqueEmail(), "pwd"],
		] as const) {
			const res = await submit("/login", { email: address, password });
			expect(res.status).toBe(401);
			expect(sessionCookieOf(res)).toBeNull();
			const html = await res.text();
			expect(html).toContain("The email address or the password is wrong.");
			expect(fieldValue(html, "email")).toBe(address);
			expect(html).not.toContain(password);
		}
	});

	it("too many failures re-render with 429 and Retry-After", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const ip = uniqueIp();
		let res = await submit("/login", { email, password: "wrong" }, { ip });
		for (let i = 0; i < 12 && res.status !== 429; i++) {
			res = await submit("/login", { email, password: "wrong" }, { ip });
		}
		expect(res.status).toBe(429);
		expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
		const html = await res.text();
		expect(html).toContain("Too many attempts");
		expect(fieldValue(html, "email")).toBe(email);
	});

	it("goes to a local `next` after the login, kept in the form's action", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const page = await (await visit("/login?next=%2Faccount%3Fnotice%3Demail-verified")).text();
		expect(page).toContain('action="/login?next=%2Faccount%3Fnotice%3Demail-verified"');
		const res = await submit("/login?next=%2Faccount%3Fnotice%3Demail-verified", { email, password: "pwd" });
		expect(res.headers.get("Location")).toBe("/account?notice=email-verified");
	});

	it.each([
		"https://evil.example/",
		"//evil.example/",
		"/\\evil.example",
		"http:/evil.example",
		"javascript:alert(1)",
		"account",
		// Dot segments that resolve to `//evil.example`.
		"/.//evil.example",
		"/..//evil.example/x",
		"/%2e//evil.example",
	])("refuses `next` = %s: the login goes to the account page instead", async (next) => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const page = await (await visit(`/login?next=${encodeURIComponent(next)}`)).text();
		expect(page).toContain('action="/login"');
		const res = await submit(`/login?next=${encodeURIComponent(next)}`, { email, password: "pwd" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account");
	});

	it("while logged in as someone, ends that session before starting the new one", async () => {
		const first = uniqueEmail();
		const second = uniqueEmail();
		await registerViaApi(first, "pwd");
		await registerViaApi(second, "pwd");
		const old = await logInViaApi(first, "pwd");
		const res = await submit("/login", { email: second, password: "pwd" }, { sessionId: old });
		expect(res.status).toBe(303);
		expect(await profileStatuses([old, sessionCookieOf(res) ?? ""])).toEqual([403, 200]);
	});

	it("clears a session cookie that names no live session", async () => {
		const res = await visit("/login", { sessionId: crypto.randomUUID() });
		expect(res.status).toBe(200);
		expect(sessionCookieOf(res)).toBe("");
	});

	// Cookie tossing: a sibling subdomain plants its own live session_id beside ours. Clearing would delete
	// the service's host-only cookie and keep the planted one: the next page would be the attacker's account.
	it.each(["/login", "/account", "/signup", "/verify-email?token=t"])(
		"%s clears no cookie when several session cookies arrived, and the login page says why none was used",
		async (path) => {
			const victim = await loggedInSession();
			const attacker = await loggedInSession();
			const res = await visit(path, { headers: { Cookie: `session_id=${attacker}; session_id=${victim}` } });
			expect(res.headers.get("Set-Cookie") ?? "").not.toContain("session_id=");
			const login = await visit("/login", {
				headers: { Cookie: `session_id=${attacker}; session_id=${victim}` },
			});
			expect(await login.text()).toContain("more than one session cookie");
			expect(await profileStatuses([victim, attacker])).toEqual([200, 200]);
		},
	);

	it("logging out with several session cookies clears none", async () => {
		const victim = await loggedInSession();
		const res = await submit(
			"/logout",
			{},
			{ headers: { Cookie: `session_id=planted; session_id=${victim}` } },
		);
		expect(res.status).toBe(303);
		expect(res.headers.get("Set-Cookie") ?? "").not.toContain("session_id=");
		expect(await profileStatuses([victim])).toEqual([403]);
	});

	it("a form posted from another site is refused before any work (403)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await submit(
			"/login",
			{ email, password: "pwd" },
			{ headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } },
		);
		expect(res.status).toBe(403);
		expect(sessionCookieOf(res)).toBeNull();
		const opaque = await submit("/login", { email, password: "pwd" }, { headers: { Origin: "null" } });
		expect(opaque.status).toBe(403);
	});

	it("an unverified address is told so when verification is required (403)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const env = { ...emailModeEnv(), TOKEN_DELIVERY: "response", REQUIRE_VERIFIED_EMAIL: "true" };
		const res = await submit("/login", { email, password: "pwd" }, { env });
		expect(res.status).toBe(403);
		expect(sessionCookieOf(res)).toBeNull();
		const html = await res.text();
		expect(html).toContain("Your email address is not verified yet.");
		expect(html).toContain('action="/verify-email/send"');
		const empty = await submit("/verify-email/send", { email: "" }, { env });
		expect(empty.status).toBe(400);
		// The page's "new link" form: in response mode, the link itself, which verifies the address.
		const sent = await submit("/verify-email/send", { email }, { env });
		expect(sent.status).toBe(303);
		const token = developmentLinkOf(sent).searchParams.get("token") ?? "";
		expect((await submit("/verify-email", { token }, { env })).status).toBe(303);
		expect((await submit("/login", { email, password: "pwd" }, { env })).status).toBe(303);
	});

	it("in email mode, a right password of an unverified address gets the very page a wrong one gets (401)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "the right pwd");
		const env = emailModeEnv({ REQUIRE_VERIFIED_EMAIL: "true" });
		const pages = [];
		for (const password of ["the right pwd", "a wrong pwd"]) {
			const res = await submit("/login", { email, password }, { env, ip: uniqueIp() });
			expect(res.status).toBe(401);
			expect(sessionCookieOf(res)).toBeNull();
			pages.push(await res.text());
		}
		expect(pages[0]).toBe(pages[1]);
		expect(pages[0]).toContain("If you just signed up, confirm your address first");
		expect(pages[0]).toContain('action="/verify-email/send"');
	});

	it("a wrong password of an unverified address is only told the password is wrong (401)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const env = { ...emailModeEnv(), TOKEN_DELIVERY: "response", REQUIRE_VERIFIED_EMAIL: "true" };
		const res = await submit("/login", { email, password: "wrong" }, { env });
		expect(res.status).toBe(401);
		expect(await res.text()).not.toContain("verify-email/send");
	});
});

describe("logout", () => {
	it("with a planted session_id beside the real one, ends the real one", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await submit(
			"/logout",
			{},
			{ headers: { Cookie: `session_id=${sessionId}; session_id=planted` } },
		);
		expect(res.status).toBe(303);
		expect(await profileStatuses([sessionId])).toEqual([403]);
	});

	it("ends the session, clears the cookie and goes to the login page (303)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const res = await submit("/logout", {}, { sessionId });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?notice=logged-out");
		expect(sessionCookieOf(res)).toBe("");
		expect(await profileStatuses([sessionId])).toEqual([403]);
	});

	it("without a session still lands on the login page", async () => {
		const res = await submit("/logout", {});
		expect(res.status).toBe(303);
	});
});

describe("forgot and reset password", () => {
	it("in response mode shows the reset link, marked as local development, which resets the password", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "old pwd");
		const other = await logInViaApi(email, "old pwd");
		const res = await submit("/forgot-password", { email: email.toUpperCase() });
		// After a redirect, so a reload of the page it lands on asks for nothing again.
		expect(res.status).toBe(303);
		const html = await (await visit(res.headers.get("Location") ?? "")).text();
		expect(html).toContain("Local development");
		const href = /<a href="(\/reset-password\?[^"]+)">/.exec(html)?.[1]?.replaceAll("&amp;", "&");
		expect(href).toBeDefined();
		const link = new URL(href ?? "", "http://x");
		expect(link.searchParams.get("email")).toBe(email);

		const page = await (await visit(`${link.pathname}${link.search}`)).text();
		expect(fieldValue(page, "email")).toBe(email);
		expect(fieldValue(page, "token")).toBe(link.searchParams.get("token"));

		const done = await submit("/reset-password", {
			email,
			token: link.searchParams.get("token") ?? "",
			new_password: "new pwd",
		});
		expect(done.status).toBe(303);
		expect(done.headers.get("Location")).toBe("/login?notice=password-reset");
		expect(await profileStatuses([other])).toEqual([403]);
		expect((await submit("/login", { email, password: "new pwd" })).status).toBe(303);
	});

	it("a used or wrong token re-renders the form, asking for a new link (403)", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const res = await submit("/reset-password", { email, token: "not-a-token", new_password: "new pwd" });
		expect(res.status).toBe(403);
		const html = await res.text();
		expect(html).toContain("This link is no longer valid: ask for a new one.");
		expect(html).not.toContain("new pwd");
		expect(fieldValue(html, "email")).toBe(email);
	});

	it("a link without its token says so (400)", async () => {
		const res = await visit("/reset-password?email=a%40example.com");
		expect(res.status).toBe(400);
		expect(await res.text()).toContain("This link is incomplete");
	});

	it("in response mode, an unknown address is named on the form (403)", async () => {
		const res = await submit("/forgot-password", { email: uniqueEmail() });
		expect(res.status).toBe(403);
		expect(await res.text()).toContain("Email address not registered");
	});

	it("in email mode answers 'check your email' whatever the address, and shows no link", async () => {
		const env = emailModeEnv();
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const bodies = [];
		for (const address of [email, uniqueEmail()]) {
			const res = await submit("/forgot-password", { email: address }, { env });
			expect(res.status).toBe(303);
			bodies.push(`${res.headers.get("Location")}\n${await res.text()}`);
		}
		expect(bodies[0]).toMatch(/^\/check-email\?for=reset\n/);
		expect(bodies[1]).toBe(bodies[0]);
		const page = await (await visit("/check-email?for=reset", { env })).text();
		expect(page).toContain("Check your email");
		expect(page).not.toMatch(/reset-password\?/);
		// A development link is only ever shown in response mode.
		const forged = await visit("/check-email?for=reset&dev_link=%2Freset-password%3Ftoken%3Dx", { env });
		expect(await forged.text()).not.toMatch(/reset-password\?/);
		expect((await storedUser(email))?.reset_token).toBeNull();
	});
});

describe("links that prove an address", () => {
	it("opening the verification link spends nothing; its button verifies the address", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const token = await verificationTokenViaApi(email);
		const opened = await visit(`/verify-email?token=${token}`);
		expect(opened.status).toBe(200);
		// The page names the address the link is for.
		expect(await opened.text()).toContain(`Confirm that ${email} is yours.`);
		expect((await storedUser(email))?.email_verified_at).toBeNull();
		const res = await submit("/verify-email", { token });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?notice=email-verified");
		expect((await storedUser(email))?.email_verified_at).not.toBeNull();
		const again = await submit("/verify-email", { token });
		expect(again.status).toBe(403);
		expect(await again.text()).toContain("This link is no longer valid");
	});

	it("a link that came without its token says so (400), and spends nothing", async () => {
		for (const path of ["/verify-email", "/confirm-email"]) {
			expect((await visit(path)).status).toBe(400);
			const res = await submit(path, {});
			expect(res.status).toBe(400);
			expect(await res.text()).toContain("This link is incomplete");
		}
	});

	it("verified while logged in to another account, goes to the login page, not that account", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const token = await verificationTokenViaApi(email);
		const other = uniqueEmail();
		await registerViaApi(other, "pwd");
		const sessionId = await logInViaApi(other, "pwd");
		const res = await submit("/verify-email", { token }, { sessionId });
		expect(res.headers.get("Location")).toBe("/login?notice=email-verified");
	});

	it("a change of address confirmed while logged out says so on the login page", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const asked = await submit(
			"/account/email",
			{ new_email: uniqueEmail("new"), password: "pwd" },
			{ sessionId },
		);
		const token = developmentLinkOf(asked).searchParams.get("token") ?? "";
		const res = await submit("/confirm-email", { token });
		expect(res.headers.get("Location")).toBe("/login?notice=email-changed");
		expect(await (await visit("/login?notice=email-changed")).text()).toContain("email address was changed");
	});

	it("a change-of-address link moves the account when confirmed", async () => {
		const email = uniqueEmail();
		const newEmail = uniqueEmail("new");
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const asked = await submit("/account/email", { new_email: newEmail, password: "pwd" }, { sessionId });
		expect(asked.status).toBe(303);
		const link = developmentLinkOf(asked);
		expect(await (await visit(`${link.pathname}${link.search}`, { sessionId })).text()).toContain(
			`asked to move it to ${newEmail}.`,
		);
		const token = link.searchParams.get("token") ?? "";
		const res = await submit("/confirm-email", { token }, { sessionId });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account?notice=email-changed");
		expect(await storedUser(newEmail)).not.toBeNull();
		expect(await storedUser(email)).toBeNull();
	});
});
