/**
 * The email template: the service's name in the subject and above the heading, the one thing to do as a
 * button with the raw link below it, why the recipient got it; a viewport for phones; both parts saying
 * the same; what is quoted escaped; expiry stated; the new address masked in notices to the old one.
 */
import { describe, expect, it } from "vitest";
import {
	addressInUseEmail,
	addressTakenEmail,
	changeEmailConfirmation,
	changeEmailNotice,
	emailChangedNotice,
	passwordResetEmail,
	verificationEmail,
} from "../../src/queue/templates";

const NOW = new Date("2026-11-27T09:00:00Z");
const LINK = "https://auth.example.com/reset-password?email=bob%40me.com&token=abc";
const SENDER = { serviceName: "Acme Accounts" };

describe("email templates", () => {
	it.each([
		["reset", passwordResetEmail(SENDER, "bob@me.com", LINK, new Date(NOW.getTime() + 3600_000), NOW)],
		[
			"verification",
			verificationEmail(SENDER, "bob@me.com", LINK, new Date(NOW.getTime() + 86_400_000), NOW),
		],
		[
			"change of address",
			changeEmailConfirmation(SENDER, "bob@me.com", LINK, new Date(NOW.getTime() + 86_400_000), NOW),
		],
		["sign-up attempt", addressTakenEmail(SENDER, "bob@me.com", LINK, LINK)],
	])(
		"%s: a button and the raw link, in both parts, escaped in HTML; the service's name and why it came",
		(_kind, email) => {
			expect(email.to).toBe("bob@me.com");
			expect(email.subject).toMatch(/^Acme Accounts: /);
			expect(email.text).toContain(`:\n${LINK}\n`);
			const href = `href="${LINK.replaceAll("&", "&#38;")}"`;
			// The button, then the same link written out for clients that show no button.
			expect(email.html).toContain(`<a ${href} style="display:inline-block;`);
			expect(email.html).toContain("If the button does not work, copy this address into your browser:");
			expect(email.html).toContain(`${LINK.replaceAll("&", "&#38;")}</a>`);
			expect(email.html).not.toContain("&token");
			expect(email.text).toMatch(
				/You got this email because .+\. It was sent to bob@me\.com by Acme Accounts;/,
			);
			expect(email.html.startsWith('<!doctype html><html lang="en">')).toBe(true);
			expect(email.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
			expect(email.html).toContain(`<title>${email.subject}</title>`);
			expect(email.html).toContain('<p style="margin:0 0 12px;font-weight:700;">Acme Accounts</p>');
		},
	);

	it("state when a link expires, in words and in UTC", () => {
		const reset = passwordResetEmail(SENDER, "bob@me.com", LINK, new Date(NOW.getTime() + 3600_000), NOW);
		expect(reset.text).toContain("expires in 1 hour (at 2026-11-27 10:00 UTC)");
		const verify = verificationEmail(
			SENDER,
			"bob@me.com",
			LINK,
			new Date(NOW.getTime() + 2 * 86_400_000),
			NOW,
		);
		expect(verify.text).toContain("expires in 2 days (at 2026-11-29 09:00 UTC)");
		const short = passwordResetEmail(SENDER, "bob@me.com", LINK, new Date(NOW.getTime() + 90 * 60_000), NOW);
		expect(short.text).toContain("expires in 90 minutes");
	});

	it("escape what they quote in HTML", () => {
		const notice = changeEmailNotice(
			{ serviceName: "Acme <Accounts>" },
			"bob@me.com",
			"new@<script>.example",
		);
		expect(notice.html).not.toContain("<script>");
		expect(notice.html).not.toContain("<Accounts>");
		expect(notice.html).toContain("n\u2022\u2022\u2022@&#60;script&#62;.example");
		expect(notice.text).toContain("n\u2022\u2022\u2022@<script>.example");
	});

	it("mask the new address in the notices to the old one", () => {
		for (const notice of [
			changeEmailNotice(SENDER, "old@me.com", "newbie@example.com"),
			emailChangedNotice(SENDER, "old@me.com", "newbie@example.com"),
		]) {
			expect(notice.text).toContain("n\u2022\u2022\u2022@example.com");
			expect(notice.text).not.toContain("newbie");
			expect(notice.html).not.toContain("newbie");
		}
	});

	it("keep the notices free of links and buttons", () => {
		for (const notice of [
			addressInUseEmail(SENDER, "bob@me.com"),
			changeEmailNotice(SENDER, "bob@me.com", "new@me.com"),
			emailChangedNotice(SENDER, "bob@me.com", "new@me.com"),
		]) {
			expect(notice.text).not.toContain("http");
			expect(notice.html).not.toContain("<a ");
		}
	});
});
