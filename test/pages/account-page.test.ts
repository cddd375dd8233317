import { describe, expect, it, vi } from "vitest";
import { PAGE_CSP } from "../../src/web/render";
import {
	ageSessions,
	call,
	emailModeEnv,
	logInViaApi,
	profileStatuses,
	registerViaApi,
	sessionSetCookie,
	storedSessions,
	storedUser,
	uniqueEmail,
	userOnDevices,
} from "../helpers";
import { sessionCookieOf, submit, visit } from "./helpers";

/** Loads the account page until it matches `pattern` (security events are stored after each answer). */
async function waitForPage(sessionId: string, pattern: RegExp): Promise<string> {
	let html = "";
	await vi.waitUntil(
		async () => {
			html = await (await visit("/account", { sessionId })).text();
			return pattern.test(html);
		},
		{ timeout: 5000, interval: 50 },
	);
	return html;
}

/** The public ids of the sessions the page lists, in order. */
function listedSessions(html: string): string[] {
	return [...html.matchAll(/<input type="hidden" name="id" value="([^"]+)"\/>/g)].map((m) => m[1] ?? "");
}

describe("GET /account", () => {
	it("without a live session goes to the login page, which comes back here (303)", async () => {
		const res = await visit("/account");
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?next=%2Faccount");
	});

	it("with a dead session cookie goes to the login page, which says this device was logged out", async () => {
		const res = await visit("/account", { sessionId: crypto.randomUUID() });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?next=%2Faccount&notice=signed-out");
		const login = await (await visit("/login?next=%2Faccount&notice=signed-out")).text();
		expect(login).toContain("You were logged out on this device");
	});

	it("shows the address, whether it is verified, the sessions with this device marked, and the forms", async () => {
		const { email, sessions } = await userOnDevices(2);
		const res = await visit("/account", { sessionId: sessions[1] });
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Security-Policy")).toBe(PAGE_CSP);
		const html = await res.text();
		expect(html).toContain(`<strong>${email}</strong>`);
		expect(html).toContain("not verified");
		// Unknown user agents are named as such; the raw string is there on demand.
		expect(html).toContain("<summary>An unknown browser</summary><code>device-1</code>");
		expect(html).toContain("<summary>An unknown browser</summary><code>device-2</code>");
		expect(html.match(/this device/g)).toHaveLength(1);
		expect(listedSessions(html)).toHaveLength(2);
		expect(html).toContain("End all other sessions (1)");
		for (const action of ["/account/password", "/account/email", "/account/delete", "/logout"]) {
			expect(html).toContain(`action="${action}"`);
		}
		expect(html).toMatch(/autocomplete="current-password"/);
		expect(html).toMatch(/autocomplete="new-password"/);
	});

	it("lists recent activity in sentences, what strangers cause in the warning colour with its count", async () => {
		const { email, sessions } = await userOnDevices(1);
		for (const password of ["guess 1", "guess 2"]) {
			await call("POST", "/sessions", { form: { email, password } });
		}
		const html = await waitForPage(sessions[0] ?? "", /Someone entered a wrong password/);
		expect(html).toContain("Recent activity");
		expect(html).toContain('<li class="ok"><span class="sentence">You logged in on a new device</span>');
		expect(html).toContain('<li class="ok"><span class="sentence">You created your account</span>');
		expect(html).toContain(
			'<li class="warn"><span class="sentence">Someone entered a wrong password (2 times)</span>',
		);
		expect(html).not.toContain("device remembered");
	});

	it("names devices and says when in words, the exact time on hover", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const chrome =
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36";
		const sessionId = await logInViaApi(email, "pwd", { "User-Agent": chrome });
		await ageSessions(email, 3 * 24 * 3600 * 1000);
		const html = await (await visit("/account", { sessionId })).text();
		expect(html).toContain(`<summary>Chrome on Linux</summary><code>${chrome}</code>`);
		expect(html).toMatch(/<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d UTC">3 days ago<\/time>/);
	});
});

describe("a session due for renewal", () => {
	it.each([
		["GET", "/account", 200],
		["POST", "/account/sessions/end-others", 303],
		// A link that no longer works says so (403), still with the visitor's session renewed.
		["GET", "/verify-email?token=t", 403],
		["GET", "/login", 303],
	])("%s %s renews it and sends the cookie again", async (method, path, status) => {
		const { email, sessions } = await userOnDevices(1);
		await ageSessions(email, 2 * 24 * 3600 * 1000);
		const res =
			method === "GET"
				? await visit(path, { sessionId: sessions[0] })
				: await submit(path, {}, { sessionId: sessions[0] });
		expect(res.status).toBe(status);
		expect(sessionCookieOf(res)).toBe(sessions[0]);
		expect(sessionSetCookie(res)).toMatch(/Max-Age=604800/);
	});
});

describe("pages for someone logged out, visited logged in", () => {
	it("the login and sign-up pages go to the account page, or to a local `next`", async () => {
		const { sessions } = await userOnDevices(1);
		expect((await visit("/login", { sessionId: sessions[0] })).headers.get("Location")).toBe("/account");
		expect((await visit("/signup", { sessionId: sessions[0] })).headers.get("Location")).toBe("/account");
		const next = await visit("/login?next=%2Faccount%3Fnotice%3Demail-verified", { sessionId: sessions[0] });
		expect(next.headers.get("Location")).toBe("/account?notice=email-verified");
		for (const next of ["//evil.example", "/.//evil.example", "/%2e%2e//evil.example"]) {
			const away = await visit(`/login?next=${encodeURIComponent(next)}`, { sessionId: sessions[0] });
			expect(away.headers.get("Location")).toBe("/account");
		}
	});
});

describe("ending sessions from the account page", () => {
	it("ends another device's session; that device is then sent to the login page", async () => {
		const { sessions } = await userOnDevices(2);
		const [mine, other] = sessions as [string, string];
		const html = await (await visit("/account", { sessionId: mine })).text();
		const page = await (await visit("/account", { sessionId: other })).text();
		const otherId =
			/<code>device-2<\/code><\/details><strong class="badge ok">this device<\/strong>.*?name="id" value="([^"]+)"/s.exec(
				page,
			)?.[1];
		expect(listedSessions(html)).toContain(otherId);
		const res = await submit("/account/sessions/end", { id: otherId ?? "" }, { sessionId: mine });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account?notice=session-ended");
		expect(await profileStatuses([mine, other])).toEqual([200, 403]);
		expect((await visit("/account", { sessionId: other })).headers.get("Location")).toBe(
			"/login?next=%2Faccount&notice=signed-out",
		);
	});

	it("ending this device's own session logs it out", async () => {
		const { sessions } = await userOnDevices(1);
		const [mine] = sessions as [string];
		const [id] = listedSessions(await (await visit("/account", { sessionId: mine })).text());
		const res = await submit("/account/sessions/end", { id: id ?? "" }, { sessionId: mine });
		expect(res.headers.get("Location")).toBe("/login?notice=logged-out");
		expect(sessionCookieOf(res)).toBe("");
		expect(await profileStatuses([mine])).toEqual([403]);
	});

	it("a session that is not the user's is not found (404), and nothing ends", async () => {
		const { sessions } = await userOnDevices(1);
		const stranger = await userOnDevices(1);
		const [theirs] = listedSessions(
			await (await visit("/account", { sessionId: stranger.sessions[0] })).text(),
		);
		const res = await submit("/account/sessions/end", { id: theirs ?? "" }, { sessionId: sessions[0] });
		expect(res.status).toBe(404);
		expect(await res.text()).toContain("Session not found");
		expect(await profileStatuses([stranger.sessions[0] ?? ""])).toEqual([200]);
	});

	it("ends every other session at once", async () => {
		const { sessions } = await userOnDevices(3);
		const res = await submit("/account/sessions/end-others", {}, { sessionId: sessions[2] });
		expect(res.headers.get("Location")).toBe("/account?notice=others-ended");
		expect(await profileStatuses(sessions)).toEqual([403, 403, 200]);
	});

	it("a form posted without a live session goes to the login page and changes nothing", async () => {
		const res = await submit("/account/sessions/end-others", {}, { sessionId: crypto.randomUUID() });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?next=%2Faccount&notice=signed-out");
	});
});

describe("changing the password from the account page", () => {
	it("a wrong current password re-renders the page with the error in that form (403)", async () => {
		const { sessions } = await userOnDevices(1);
		const res = await submit(
			"/account/password",
			{ current_password: "wrong", new_password: "new pwd" },
			{ sessionId: sessions[0] },
		);
		expect(res.status).toBe(403);
		const html = await res.text();
		expect(html).toContain("There is a problem");
		expect(html).toContain('<a href="#current_password">Current password is incorrect</a>');
		expect(html).not.toMatch(/value="(wrong|new pwd)"/);
	});

	it("a new password the policy refuses is named on its field (400)", async () => {
		const { sessions } = await userOnDevices(1);
		const res = await submit(
			"/account/password",
			{ current_password: "pwd", new_password: "password" },
			{ sessionId: sessions[0] },
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/<a href="#new_password">New password is too common/);
	});

	it("changes it, keeps this device logged in with a new session id and ends the others", async () => {
		const { email, sessions } = await userOnDevices(2);
		const res = await submit(
			"/account/password",
			{ current_password: "pwd", new_password: "new pwd" },
			{ sessionId: sessions[1] },
		);
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account?notice=password-changed");
		const renewed = sessionCookieOf(res);
		expect(renewed).toBeTruthy();
		expect(await profileStatuses([...sessions, renewed ?? ""])).toEqual([403, 403, 200]);
		expect(await storedSessions(email)).toHaveLength(1);
		const page = await (await visit("/account?notice=password-changed", { sessionId: renewed ?? "" })).text();
		expect(page).toContain("Your password was changed.");
	});
});

describe("changing the address from the account page", () => {
	it("in response mode comes back (303) showing the confirmation link, marked as local development", async () => {
		const { sessions } = await userOnDevices(1);
		const res = await submit(
			"/account/email",
			{ new_email: uniqueEmail("new"), password: "pwd" },
			{ sessionId: sessions[0] },
		);
		expect(res.status).toBe(303);
		const back = res.headers.get("Location") ?? "";
		expect(back).toMatch(/^\/account\?notice=email-change-sent&dev_link=%2Fconfirm-email%3Ftoken%3D/);
		const html = await (await visit(back, { sessionId: sessions[0] })).text();
		expect(html).toContain("Local development");
		expect(html).toMatch(/<a href="\/confirm-email\?token=[^"]+">/);
	});

	it("shows the change waiting for its link, which can be sent again or cancelled", async () => {
		const { sessions } = await userOnDevices(1);
		const sessionId = sessions[0] ?? "";
		const newEmail = uniqueEmail("new");
		const asked = await submit("/account/email", { new_email: newEmail, password: "pwd" }, { sessionId });
		const firstLink = new URLSearchParams((asked.headers.get("Location") ?? "").split("?")[1]).get(
			"dev_link",
		);
		const page = await (await visit("/account", { sessionId })).text();
		expect(page).toContain(`You asked to move your account to <strong>${newEmail}</strong>`);
		expect(page).toContain('action="/account/email/resend"');
		expect(page).toContain('action="/account/email/cancel"');

		const again = await submit("/account/email/resend", {}, { sessionId });
		expect(again.status).toBe(303);
		const secondLink = new URLSearchParams((again.headers.get("Location") ?? "").split("?")[1]).get(
			"dev_link",
		);
		expect(secondLink).toMatch(/^\/confirm-email\?token=/);
		expect(secondLink).not.toBe(firstLink);

		const cancelled = await submit("/account/email/cancel", {}, { sessionId });
		expect(cancelled.headers.get("Location")).toBe("/account?notice=email-change-cancelled");
		const after = await (await visit("/account?notice=email-change-cancelled", { sessionId })).text();
		expect(after).not.toContain("You asked to move your account");
		expect(after).toContain("The change of address is cancelled");
		const token = new URL(secondLink ?? "", "http://x").searchParams.get("token") ?? "";
		expect((await submit("/confirm-email", { token })).status).toBe(403);
	});

	it("in email mode comes back with a notice and shows no link", async () => {
		const env = emailModeEnv();
		const { sessions } = await userOnDevices(1);
		const res = await submit(
			"/account/email",
			{ new_email: uniqueEmail("new"), password: "pwd" },
			{ sessionId: sessions[0], env },
		);
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account?notice=email-change-sent");
	});

	it("a wrong password is shown on that form's password field, the new address kept (403)", async () => {
		const { sessions } = await userOnDevices(1);
		const newEmail = uniqueEmail("new");
		const res = await submit(
			"/account/email",
			{ new_email: newEmail, password: "wrong" },
			{ sessionId: sessions[0] },
		);
		expect(res.status).toBe(403);
		const html = await res.text();
		expect(html).toContain('<a href="#email-password">Password is incorrect</a>');
		expect(html).toContain(`value="${newEmail}"`);
	});
});

describe("verifying the address from the account page", () => {
	it("in response mode shows the verification link, which verifies the address", async () => {
		const { email, sessions } = await userOnDevices(1);
		const res = await submit("/account/verification", {}, { sessionId: sessions[0] });
		expect(res.status).toBe(303);
		const back = await visit(res.headers.get("Location") ?? "", { sessionId: sessions[0] });
		const href = /<a href="(\/verify-email\?token=[^"]+)">/.exec(await back.text())?.[1];
		const token = new URL(href ?? "", "http://x").searchParams.get("token") ?? "";
		const done = await submit("/verify-email", { token }, { sessionId: sessions[0] });
		expect(done.headers.get("Location")).toBe("/account?notice=email-verified");
		expect((await storedUser(email))?.email_verified_at).not.toBeNull();
		const page = await (await visit("/account", { sessionId: sessions[0] })).text();
		expect(page).toContain('<span class="badge ok">verified</span>');
		expect(page).not.toContain('action="/account/verification"');
	});
});

describe("deleting the account from the account page", () => {
	it("a wrong password re-renders with the error on the deletion form (403); the account stays", async () => {
		const { email, sessions } = await userOnDevices(1);
		const res = await submit("/account/delete", { password: "wrong" }, { sessionId: sessions[0] });
		expect(res.status).toBe(403);
		expect(await res.text()).toContain('<a href="#delete-password">Password is incorrect</a>');
		expect(await storedUser(email)).not.toBeNull();
	});

	it("the right password deletes the account and logs out", async () => {
		const { email, sessions } = await userOnDevices(2);
		const res = await submit("/account/delete", { password: "pwd" }, { sessionId: sessions[0] });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/login?notice=account-deleted");
		expect(sessionCookieOf(res)).toBe("");
		expect(await storedUser(email)).toBeNull();
		expect(await profileStatuses(sessions)).toEqual([403, 403]);
	});

	it("a deletion posted from another site is refused (403) and the account stays", async () => {
		const { email, sessions } = await userOnDevices(1);
		const res = await call("POST", "/account/delete", {
			sessionId: sessions[0],
			form: { password: "pwd" },
			headers: { Origin: "https://evil.example" },
		});
		expect(res.status).toBe(403);
		expect(await storedUser(email)).not.toBeNull();
	});
});
