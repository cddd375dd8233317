/**
 * The pages in real Chromium against `wrangler dev --env production` (`email` mode, the queue and the
 * email binding simulated): sign up → "check your email" → the emailed verification link → log in →
 * forgot password → the emailed reset link → the new password logs in. Messages are read where the
 * local email binding writes them, as `npm run e2e:email` does.
 *
 * @module
 */

import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { Mailbox } from "../scripts/mailbox";
import {
	ARTIFACTS,
	accessibilityProblems,
	clickAndLoad,
	type Device,
	launch,
	newEmail,
	openDevice,
	review,
} from "./browser";

const BASE_URL = inject("emailBaseUrl");
const MAILBOX = new Mailbox(inject("mailDir"), Date.now() - 1000);
// Production asks for at least 8 characters.
const PASSWORD = "first horse battery";
const NEW_PASSWORD = "second horse battery";

let browser: Browser;
let opened: Device | undefined;

beforeAll(async () => {
	browser = await launch();
});

afterEach(async () => {
	if (opened !== undefined) {
		await opened.context.close();
		expect(opened.foreignRequests, "requests to other hosts").toEqual([]);
		expect(opened.consoleErrors, "console errors").toEqual([]);
		opened = undefined;
	}
});

afterAll(async () => {
	await browser?.close();
});

/** The pathname of the page's current URL, with its query. */
function where(page: Page): string {
	const url = new URL(page.url());
	return `${url.pathname}${url.search}`;
}

/** Opens the emailed link (the absolute URL the message holds) in the page. */
async function follow(page: Page, to: string, linkPath: string): Promise<void> {
	const link = await MAILBOX.link(to, new URL(linkPath, BASE_URL).href);
	await page.goto(link.href);
}

/**
 * Opens an email's HTML part, as the local email binding wrote it, in a phone-sized page, and returns the
 * problems a person would meet: wider than the screen, no visible button to the link, axe findings.
 */
async function reviewEmail(page: Page, html: string, name: string, button: string): Promise<string[]> {
	await page.setViewportSize({ width: 375, height: 812 });
	await page.setContent(html);
	const problems: string[] = [];
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	if (width > 375) {
		problems.push(`wider than 375 px: ${width} px`);
	}
	const action = page.getByRole("link", { name: button });
	if (!(await action.isVisible())) {
		problems.push(`no visible button "${button}"`);
	}
	const href = await action.getAttribute("href");
	// The raw link under the button, for clients that show none.
	if ((await page.getByRole("link", { name: href ?? "" }).count()) !== 1) {
		problems.push("the raw link is not written out under the button");
	}
	mkdirSync(path.join(ARTIFACTS, "screenshots"), { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, "screenshots", `${name}-375.png`), fullPage: true });
	return [...problems, ...(await accessibilityProblems(page, name))];
}

describe("a new user in email mode", () => {
	it("signs up, verifies the address from the email, logs in, and resets a forgotten password by email", async () => {
		opened = await openDevice(browser, BASE_URL);
		const { page } = opened;
		const email = newEmail("mail");

		await page.goto("/signup");
		await page.getByLabel("Email address").fill(email);
		await page.getByLabel("Password").fill(PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Create account" }));
		expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check your email");
		expect(await review(page, "check-email")).toEqual([]);

		// Before the address is verified, the right password gets the answer a wrong one gets (a sign-up
		// then a login must not tell whether the address was taken), which says to confirm the address
		// first and offers a new link.
		await page.goto("/login");
		await page.getByLabel("Email address").fill(email);
		await page.getByLabel("Password").fill(PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Log in" }));
		expect(await page.getByRole("alert").textContent()).toContain(
			"If you just signed up, confirm your address first",
		);
		expect(await page.getByRole("button", { name: "Send me a new confirmation link" }).count()).toBe(1);
		expect(await review(page, "login-unverified")).toEqual([]);

		// The message reads well on a phone: one column, a button, the raw link, the service's name.
		const verification = await MAILBOX.html(email, "Confirm your email address");
		expect(verification).toContain("Workers Auth");
		const reader = await openDevice(browser, BASE_URL);
		expect(await reviewEmail(reader.page, verification, "email-verification", "Confirm my address")).toEqual(
			[],
		);
		await reader.context.close();

		await follow(page, email, "/verify-email?");
		expect(await page.locator("main p").first().textContent()).toBe(`Confirm that ${email} is yours.`);
		await clickAndLoad(page.getByRole("button", { name: "Confirm my address" }));
		expect(where(page)).toBe("/login?notice=email-verified");

		await page.getByLabel("Email address").fill(email);
		await page.getByLabel("Password").fill(PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Log in" }));
		expect(where(page)).toBe("/account");
		expect(await page.locator(".badge.ok", { hasText: /^verified$/ }).count()).toBe(1);

		await clickAndLoad(page.getByRole("button", { name: "Log out", exact: true }).first());
		await page.goto("/forgot-password");
		await page.getByLabel("Email address").fill(email);
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check your email");
		expect(await page.locator("main a[href*='reset-password']").count()).toBe(0);

		const reset = await MAILBOX.html(email, "Reset your password");
		const reader2 = await openDevice(browser, BASE_URL);
		expect(await reviewEmail(reader2.page, reset, "email-reset", "Choose a new password")).toEqual([]);
		await reader2.context.close();

		await follow(page, email, "/reset-password?");
		expect(await page.getByLabel("Email address").inputValue()).toBe(email);
		await page.getByLabel("New password").fill(NEW_PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Change my password" }));
		expect(where(page)).toBe("/login?notice=password-reset");

		await page.getByLabel("Email address").fill(email);
		await page.getByLabel("Password").fill(NEW_PASSWORD);
		await clickAndLoad(page.getByRole("button", { name: "Log in" }));
		expect(where(page)).toBe("/account");
	});

	it("answers a reset request for an unknown address exactly like one for a registered address", async () => {
		opened = await openDevice(browser, BASE_URL);
		const { page } = opened;
		await page.goto("/forgot-password");
		await page.getByLabel("Email address").fill(newEmail("nobody"));
		await clickAndLoad(page.getByRole("button", { name: "Send the link" }));
		expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check your email");
		expect(await review(page, "forgot-password-sent")).toEqual([]);
	});
});
