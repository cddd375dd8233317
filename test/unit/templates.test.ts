/** The email templates: both parts say the same, links are escaped in HTML, and expiry is stated. */
import { describe, expect, it } from "vitest";
import {
	addressInUseEmail,
	addressTakenEmail,
	changeEmailConfirmation,
	changeEmailNotice,
	emailChangedNotice,
	passwordResetEmail,
	verificationEmail,
} from "../../src/email/templates";

const NOW = new Date("2026-11-27T09:00:00Z");
const LINK = "https://auth.example.com/reset-password?email=bob%40me.com&token=abc";

describe("email templates", () => {
	it.each([
		["reset", passwordResetEmail("bob@me.com", LINK, new Date(NOW.getTime() + 3600_000), NOW)],
		["verification", verificationEmail("bob@me.com", LINK, new Date(NOW.getTime() + 86_400_000), NOW)],
		[
			"change of address",
			changeEmailConfirmation("bob@me.com", LINK, new Date(NOW.getTime() + 86_400_000), NOW),
		],
		["sign-up attempt", addressTakenEmail("bob@me.com", LINK, LINK)],
	])(
		"%s: the link in the text part, escaped in an anchor of the HTML part, and the footer",
		(_kind, email) => {
			expect(email.to).toBe("bob@me.com");
			expect(email.text).toContain(`\n${LINK}\n`);
			expect(email.html).toContain(`<a href="${LINK.replaceAll("&", "&#38;")}">`);
			expect(email.html).not.toContain("&token");
			expect(email.text).toContain("This message was sent to bob@me.com");
			expect(email.html.startsWith("<!doctype html>")).toBe(true);
		},
	);

	it("state when a link expires, in words and in UTC", () => {
		const reset = passwordResetEmail("bob@me.com", LINK, new Date(NOW.getTime() + 3600_000), NOW);
		expect(reset.text).toContain("expires in 1 hour (at 2026-11-27 10:00 UTC)");
		const verify = verificationEmail("bob@me.com", LINK, new Date(NOW.getTime() + 2 * 86_400_000), NOW);
		expect(verify.text).toContain("expires in 2 days (at 2026-11-29 09:00 UTC)");
		const short = passwordResetEmail("bob@me.com", LINK, new Date(NOW.getTime() + 90 * 60_000), NOW);
		expect(short.text).toContain("expires in 90 minutes");
	});

	it("escape what they quote in HTML", () => {
		const notice = changeEmailNotice("bob@me.com", "new@<script>.example");
		expect(notice.html).not.toContain("<script>");
		expect(notice.html).toContain("n\u2022\u2022\u2022@&#60;script&#62;.example");
		expect(notice.text).toContain("n\u2022\u2022\u2022@<script>.example");
	});

	it("mask the new address in the notices to the old one", () => {
		for (const notice of [
			changeEmailNotice("old@me.com", "newbie@example.com"),
			emailChangedNotice("old@me.com", "newbie@example.com"),
		]) {
			expect(notice.text).toContain("n\u2022\u2022\u2022@example.com");
			expect(notice.text).not.toContain("newbie");
			expect(notice.html).not.toContain("newbie");
		}
	});

	it("keep the notices free of links", () => {
		expect(addressInUseEmail("bob@me.com").text).not.toContain("http");
		expect(changeEmailNotice("bob@me.com", "new@me.com").text).not.toContain("http");
	});
});
