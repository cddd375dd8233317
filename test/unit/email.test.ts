/** The email normal form and validity rules, as pure functions. */
import { describe, expect, it } from "vitest";
import { EMAIL_MAX_LENGTH, isValidEmail, normalizeEmail } from "../../src/auth/email";

describe("normalizeEmail", () => {
	it.each([
		["  Bob@Example.COM ", "bob@example.com"],
		["\tbob@example.com\n", "bob@example.com"],
		["bob@example.com", "bob@example.com"],
	])("turns %j into %j", (raw, normal) => {
		expect(normalizeEmail(raw)).toBe(normal);
	});
});

describe("isValidEmail", () => {
	it.each([
		"bob@example.com",
		"b.o+b@sub.example.co",
		"x@localhost",
		`${"a".repeat(EMAIL_MAX_LENGTH - 12)}@example.com`,
	])("accepts %s", (email) => {
		expect(isValidEmail(email)).toBe(true);
	});

	it.each([
		"",
		"bob",
		"bob@",
		"@example.com",
		"bob smith@example.com",
		"bob@example..com",
		"bob@@example.com",
		"bob@-example.com",
		`${"a".repeat(EMAIL_MAX_LENGTH - 11)}@example.com`,
	])("refuses %j", (email) => {
		expect(isValidEmail(email)).toBe(false);
	});
});
