/**
 * The pages in real Chromium against `wrangler dev` in its development configuration (`response` mode:
 * links that would be emailed are shown on the page): sign up, account, log out, log in, change the
 * password; a second device ended from the first; forgot → reset; a wrong password; verifying the
 * address; the API reference. Every page is checked with axe-core and photographed at two widths; no
 * page may load anything from another host or log a console error.
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { clickAndLoad, type Device, launch, newEmail, openDevice, review } from "./browser";

const BASE_URL = inject("baseUrl");
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "another horse battery";

let browser: Browser;
const devices: Device[] = [];

/** A new device (browser context) for this test; checked and closed after it. */
async function device(options: { javaScriptEnabled?: boolean; userAgent?: string } = {}): Promise<Device> {
	const opened = await openDevice(browser, BASE_URL, options);
	devices.push(opened);
	return opened;
}

beforeAll(async () => {
	browser = await launch();
});

afterEach(async () => {
	for (const { context, foreignRequests, consoleErrors } of devices.splice(0)) {
		await context.close();
		expect(foreignRequests, "requests to other hosts").toEqual([]);
		expect(consoleErrors, "console errors").toEqual([]);
	}
});

afterAll(async () => {
	await browser?.close();
});

/** Fills the sign-up form and submits it. */
async function signUp(page: Page, email: string, password = PASSWORD): Promise<void> {
	await page.goto("/signup");
	await page.getByLabel("Email address").fill(email);
	await page.getByLabel("Password").fill(password);
	await clickAndLoad(page.getByRole("button", { name: "Create account" }));
}

/** Fills the login form and submits it. */
async function logIn(page: Page, email: string, password: string, path = "/login"): Promise<void> {
	await page.goto(path);
	await page.getByLabel("Email address").fill(email);
	await page.getByLabel("Password").fill(password);
	await clickAndLoad(page.getByRole("button", { name: "Log in" }));
}

/** The pathname of the page's current URL, with its query. */
function where(page: Page): string {
	const url = new URL(page.url());
	return `${url.pathname}${url.search}`;
}

// The pages need no script: the journey runs with JavaScript on (checked with axe-core, which needs it)
// and off.
describe.each([
	["on", true],
	["off", false],
])("a new user, with JavaScript %s", (_label, javaScriptEnabled) => {
	it("signs up, sees the account, logs out, logs in, changes the password and logs in with it", async () => {
		const { page } = await device({ javaScriptEnabled });
		/** Checks the page with axe-core and photographs it, when scripts run. */
		const check = async (name: string) => {
			if (javaScriptEnabled) {
				expect(await review(page, name)).toEqual([]);
			}
		};
		const email = newEmail("journey");
		await page.goto("/signup");
		await check("signup");
		await signUp(page, email);
		expect(where(page)).toBe("/account");
		expect(await page.getByRole("heading", { name: "Your account", level: 1 }).isVisible()).toBe(true);
		expect(await page.locator("main").textContent()).toContain(email);
		expect(await page.getByText("this device").count()).toBe(1);
		await check("account");

		await clickAndLoad(page.getByRole("button", { name: "Log out", exact: true }).first());
		expect(where(page)).toBe("/login?notice=logged-out");
		expect(await page.getByRole("status").textContent()).toContain("You are logged out.");
		await check("login");

		await logIn(page, email, PASSWORD);
		expect(where(page)).toBe("/account");

		await page.getByLabel("Current password").fill(PASSWORD);
		await page.getByLabel("New password").fill(NEW_PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Change password" }));
		expect(where(page)).toBe("/account?notice=password-changed");
		expect(await page.getByRole("status").textContent()).toContain("Your password was changed.");

		await clickAndLoad(page.getByRole("button", { name: "Log out", exact: true }).first());
		await logIn(page, email, PASSWORD);
		expect(where(page)).toBe("/login");
		await logIn(page, email, NEW_PASSWORD);
		expect(where(page)).toBe("/account");
	});
});

describe("a wrong password", () => {
	it("shows the error, focused, with the email kept and the password field empty", async () => {
		const { page } = await device();
		const email = newEmail("wrong");
		await signUp(page, email);
		await page.context().clearCookies();
		await logIn(page, email, "not the password");
		expect(where(page)).toBe("/login");
		const summary = page.getByRole("alert");
		expect(await summary.textContent()).toContain("The email address or the password is wrong.");
		// `autofocus` moves the focus once the page has loaded.
		await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
		expect(await page.getByLabel("Email address").inputValue()).toBe(email);
		expect(await page.getByLabel("Password").inputValue()).toBe("");
		expect(await review(page, "login-error")).toEqual([]);
	});

	it("on sign-up, a common password is named on its field", async () => {
		const { page } = await device();
		await signUp(page, newEmail("common"), "password");
		expect(await page.getByRole("alert").textContent()).toContain("Password is too common");
		expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
		expect(await review(page, "signup-error")).toEqual([]);
	});
});

describe("a second device", () => {
	it("is ended from the first, and is then sent to the login page", async () => {
		const email = newEmail("devices");
		const laptop = await device({ userAgent: "Laptop browser" });
		const phone = await device({ userAgent: "Phone browser" });
		await signUp(laptop.page, email);
		await logIn(phone.page, email, PASSWORD);
		expect(where(phone.page)).toBe("/account");

		await laptop.page.reload();
		const phoneRow = laptop.page.getByRole("row").filter({ hasText: "Phone browser" });
		expect(await phoneRow.count()).toBe(1);
		expect(await review(laptop.page, "account-two-devices")).toEqual([]);
		await clickAndLoad(phoneRow.getByRole("button", { name: /End/ }));
		expect(where(laptop.page)).toBe("/account?notice=session-ended");
		expect(await laptop.page.getByRole("row").filter({ hasText: "Phone browser" }).count()).toBe(0);

		await phone.page.reload();
		expect(where(phone.page)).toBe("/login?next=%2Faccount");
		await logIn(phone.page, email, PASSWORD, where(phone.page));
		expect(where(phone.page)).toBe("/account");
	});
});

describe("a forgotten password", () => {
	it("is reset from the link shown in local development, and the new one logs in", async () => {
		const { page } = await device();
		const email = newEmail("forgot");
		await signUp(page, email);
		await page.context().clearCookies();

		await page.goto("/login");
		await clickAndLoad(page.getByRole("link", { name: "Forgot your password?" }));
		expect(await review(page, "forgot-password")).toEqual([]);
		await page.getByLabel("Email address").fill(email);
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		expect(await page.getByRole("note").textContent()).toContain("Local development");
		expect(await review(page, "reset-link-development")).toEqual([]);

		await clickAndLoad(page.getByRole("link", { name: /\/reset-password\?/ }));
		expect(await page.getByLabel("Email address").inputValue()).toBe(email);
		expect(await review(page, "reset-password")).toEqual([]);
		await page.getByLabel("New password").fill(NEW_PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Change my password" }));
		expect(where(page)).toBe("/login?notice=password-reset");

		await logIn(page, email, NEW_PASSWORD);
		expect(where(page)).toBe("/account");
	});
});

describe("verifying the address", () => {
	it("from the account page: the link's page asks for a click, then the account shows it verified", async () => {
		const { page } = await device();
		await signUp(page, newEmail("verify"));
		expect(await page.getByText("not verified").count()).toBe(1);
		await clickAndLoad(page.getByRole("button", { name: "Send me a verification link" }));
		await clickAndLoad(page.getByRole("link", { name: /\/verify-email\?/ }));
		expect(await review(page, "verify-email")).toEqual([]);
		await clickAndLoad(page.getByRole("button", { name: "Confirm my address" }));
		expect(where(page)).toBe("/account?notice=email-verified");
		expect(await page.locator(".badge.ok", { hasText: /^verified$/ }).count()).toBe(1);
	});
});

describe("changing the address", () => {
	it("from the account page: a wrong password is shown on that form, then the link moves the account", async () => {
		const { page } = await device();
		const email = newEmail("move");
		const newAddress = newEmail("moved");
		await signUp(page, email);
		await page.getByLabel("New email address").fill(newAddress);
		await page.locator("#email-password").fill("not the password");
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		expect(await page.getByRole("alert").textContent()).toContain("Password is incorrect");
		expect(await page.getByLabel("New email address").inputValue()).toBe(newAddress);
		expect(await review(page, "account-error")).toEqual([]);

		await page.locator("#email-password").fill(PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		await clickAndLoad(page.getByRole("link", { name: /\/confirm-email\?/ }));
		expect(await review(page, "confirm-email")).toEqual([]);
		await clickAndLoad(page.getByRole("button", { name: "Move my account to this address" }));
		expect(where(page)).toBe("/account?notice=email-changed");
		expect(await page.locator("main").textContent()).toContain(newAddress);
	});
});

describe("the API reference", () => {
	it("renders at /doc from the Worker's own files, with every other host cut off", async () => {
		const { page } = await device();
		await page.goto("/doc");
		expect(where(page)).toBe("/doc/");
		await page.locator(".opblock").first().waitFor();
		expect(await page.locator(".opblock").count()).toBeGreaterThanOrEqual(15);
		expect(await page.getByText("/reset_password").count()).toBeGreaterThan(0);
		expect(await review(page, "doc")).toEqual([]);
	});
});
