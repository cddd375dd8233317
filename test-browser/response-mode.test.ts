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

		// The phone is told why it is on the login page.
		await phone.page.reload();
		expect(where(phone.page)).toBe("/login?next=%2Faccount&notice=signed-out");
		expect(await phone.page.getByRole("status").textContent()).toContain(
			"You were logged out on this device",
		);
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

describe("the pages, read as a product", () => {
	it("name the service, the device in words, when in words with the exact time on hover, on one line", async () => {
		const { page } = await device();
		const email = newEmail("product");
		await signUp(page, email);
		expect(await page.title()).toBe("Your account · Workers Auth");
		expect(await page.locator("header .brand").textContent()).toBe("Workers Auth");
		const row = page.getByRole("row").filter({ hasText: "this device" });
		expect(await row.locator("summary").textContent()).toBe("Chrome on Linux");
		// The raw user agent, on demand.
		await row.locator("summary").click();
		expect(await row.locator("details code").textContent()).toContain("HeadlessChrome/");
		const time = row.locator("td.time time").first();
		expect(await time.textContent()).toBe("just now");
		expect(await time.getAttribute("title")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
		// Each time cell is one line high, at a desktop's width and a phone's.
		for (const width of [1280, 375]) {
			await page.setViewportSize({ width, height: 900 });
			const lines = await row.locator("td.time").evaluateAll((cells) =>
				cells.map((cell) => {
					const time = cell.querySelector("time");
					const lineHeight = Number.parseFloat(getComputedStyle(cell).lineHeight);
					return time === null ? 0 : Math.round(time.getBoundingClientRect().height / lineHeight);
				}),
			);
			expect(lines).toEqual([1, 1]);
		}
		// Inputs in the page's font, not the browser's default for form controls.
		const fonts = await page.evaluate(() => [
			getComputedStyle(document.body).fontFamily,
			getComputedStyle(document.querySelector("input#new_email") as Element).fontFamily,
		]);
		expect(fonts[1]).toBe(fonts[0]);
	});

	it("tell the owner, in sentences, what strangers did, in the warning colour", async () => {
		const { page } = await device();
		const stranger = await device();
		const email = newEmail("watched");
		await signUp(page, email);
		await logIn(stranger.page, email, "not the password");
		await logIn(stranger.page, email, "still not it");
		// The events are stored after each answer: the page shows them once they are.
		const warning = page.locator(".activity li.warn .sentence");
		await expect
			.poll(async () => {
				await page.reload();
				return warning.count();
			})
			.toBeGreaterThan(0);
		expect(await warning.first().textContent()).toBe("Someone entered a wrong password (2 times)");
		const colours = await warning
			.first()
			.evaluate((element) => [
				getComputedStyle(element).color,
				getComputedStyle(document.documentElement).getPropertyValue("--warn").trim(),
			]);
		expect(colours[0]).toBe("rgb(138, 75, 0)");
		expect(colours[1]).toBe("#8a4b00");
		expect(await page.locator(".activity li.ok .sentence").allTextContents()).toContain(
			"You created your account",
		);
		expect(await review(page, "account-activity")).toEqual([]);
	});

	it("on sign-up, state the rule up front and name every field's problem at once; a taken address leads on", async () => {
		const { page } = await device();
		await page.goto("/signup");
		expect(await page.locator("#password-hint").textContent()).toContain(
			"not one of the most common passwords",
		);
		await page.getByLabel("Email address").fill("not an address");
		await page.getByLabel("Password").fill("password");
		await clickAndLoad(page.getByRole("button", { name: "Create account" }));
		const problems = page.getByRole("alert").getByRole("listitem");
		expect(await problems.allTextContents()).toEqual(["Email address is invalid", "Password is too common"]);
		expect(await review(page, "signup-problems")).toEqual([]);

		const email = newEmail("taken");
		await signUp(page, email);
		await page.context().clearCookies();
		await signUp(page, email);
		const summary = page.getByRole("alert");
		expect(await summary.textContent()).toContain(
			"Email address already has an account: log in or reset its password.",
		);
		await clickAndLoad(summary.getByRole("link", { name: "reset its password" }));
		expect(where(page)).toBe("/forgot-password");
	});

	it("answer a form with a redirect, so reloading the page it lands on sends nothing again", async () => {
		const { page } = await device();
		const email = newEmail("reload");
		await signUp(page, email);
		await page.context().clearCookies();
		await page.goto("/forgot-password");
		await page.getByLabel("Email address").fill(email);
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		expect(where(page)).toMatch(/^\/check-email\?for=reset&dev_link=/);
		const methods: string[] = [];
		page.on("request", (request) => methods.push(`${request.method()} ${new URL(request.url()).pathname}`));
		await page.reload();
		expect(methods).toContain("GET /check-email");
		expect(methods.filter((m) => m.startsWith("POST"))).toEqual([]);
		expect(await review(page, "check-email-development")).toEqual([]);
	});

	it("show a change of address waiting for its link, to send again or cancel, and link pages name the address", async () => {
		const { page } = await device();
		const email = newEmail("pending");
		const newAddress = newEmail("pending-new");
		await signUp(page, email);
		await page.getByLabel("New email address").fill(newAddress);
		await page.locator("#email-password").fill(PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		const pending = page.locator(".pending");
		expect(await pending.textContent()).toContain(`You asked to move your account to ${newAddress}`);
		expect(await review(page, "account-pending-change")).toEqual([]);
		await clickAndLoad(pending.getByRole("button", { name: "Send the link again" }));
		expect(where(page)).toMatch(/^\/account\?notice=email-change-sent&dev_link=/);
		await clickAndLoad(page.getByRole("link", { name: /\/confirm-email\?/ }));
		expect(await page.locator("main p").first().textContent()).toContain(
			`asked to move it to ${newAddress}.`,
		);
		await page.goBack();
		await page.waitForLoadState();
		await clickAndLoad(page.locator(".pending").getByRole("button", { name: "Cancel the change" }));
		expect(where(page)).toBe("/account?notice=email-change-cancelled");
		expect(await page.locator(".pending").count()).toBe(0);
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
