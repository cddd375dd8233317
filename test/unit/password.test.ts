/** The password policy and the stored-hash schemes, as functions. */
import { describe, expect, it } from "vitest";
import { keysOf } from "../../src/auth/keys";
import {
	costOf,
	hashPassword,
	isCommonPassword,
	matchesStored,
	needsRehash,
	passwordPolicyViolation,
	storedHashOf,
	verifyPassword,
} from "../../src/auth/password";
import { loadConfig } from "../../src/config";

const keys = keysOf(loadConfig({}));

/** The address the policy is checked for, unless a case names another. */
const EMAIL = "guillaume@holberton.io";

describe("passwordPolicyViolation", () => {
	it.each([
		["", 1, "password is required"],
		["a".repeat(129), 1, "password must be at most 128 characters"],
		["b4l0u", 8, "password must be at least 8 characters"],
		["ééééééé", 8, "password must be at least 8 characters"],
		["Password1", 1, "password is too common"],
	])("refuses %j with minimum %i: %s", (password, minLength, message) => {
		expect(passwordPolicyViolation(password, minLength, EMAIL)).toBe(message);
	});

	// ASVS 6.2.11: nothing a form shows as blank, nothing no keyboard types, not the address.
	it.each([
		[" ".repeat(8), "password must not be only spaces"],
		["\t\n \u00a0\u3000\u2003  ", "password must not be only spaces"],
		["\u0000".repeat(8), "password must not contain control characters"],
		["correct\u0007horse", "password must not contain control characters"],
		["correct horse\u0085", "password must not contain control characters"],
		["guillaume@holberton.io", "password must not be your email address"],
		["Guillaume@Holberton.IO", "password must not be your email address"],
		["guillaume", "password must not be your email address"],
		["guillaumeguillaume", "password must not be your email address"],
		["GUILLAUMEGUILLAUME", "password must not be your email address"],
	])("refuses %j for guillaume@holberton.io: %s", (password, message) => {
		expect(passwordPolicyViolation(password, 8, EMAIL)).toBe(message);
	});

	it("refuses the local part of a tagged address, with or without its tag", () => {
		const tagged = "bob.smith+auth@example.com";
		expect(passwordPolicyViolation("bob.smith+auth", 8, tagged)).toBe(
			"password must not be your email address",
		);
		expect(passwordPolicyViolation("bob.smithbob.smith", 8, tagged)).toBe(
			"password must not be your email address",
		);
		expect(passwordPolicyViolation("bob.smith rocks", 8, tagged)).toBeNull();
	});

	it.each([
		["b4l0u", 1],
		["a".repeat(128), 8],
		["é".repeat(64), 8],
		["🔑🔑🔑🔑🔑🔑🔑🔑", 8],
		// Seven characters composed, eight decomposed: counted after NFC.
		["cafe\u0301-au", 7],
		// Spaces inside a passphrase are fine; the address inside a longer one too.
		["correct horse battery", 8],
		["guillaume-at-home-2026", 8],
	])("accepts %j with minimum %i", (password, minLength) => {
		expect(passwordPolicyViolation(password, minLength, EMAIL)).toBeNull();
	});
});

describe("isCommonPassword", () => {
	it("finds the list's entries whatever their case, and not others", () => {
		expect(isCommonPassword("qwerty123")).toBe(true);
		expect(isCommonPassword("QWERTY123")).toBe(true);
		expect(isCommonPassword("correct horse battery staple")).toBe(false);
	});
});

describe("stored hashes", () => {
	it("mark the NFC scheme, or the pre-hashed one past 72 bytes", async () => {
		expect(await storedHashOf("cafe\u0301", 4, keys)).toMatch(/^nfc\$\$2b\$04\$/);
		expect(await storedHashOf("é".repeat(37), 4, keys)).toMatch(/^nfc-hmac\$\$2b\$04\$/);
	});

	it("match the password in either normal form, one comparison each", async () => {
		const stored = await storedHashOf("caf\u00e9", 4, keys);
		expect(await matchesStored("cafe\u0301", stored, keys)).toBe(true);
		expect(await matchesStored("cafe", stored, keys)).toBe(false);
	});

	it("of the old scheme match the password as typed, and ask to be made anew", async () => {
		const legacy = hashPassword("cafe\u0301", 4);
		expect(await matchesStored("cafe\u0301", legacy, keys)).toBe(true);
		expect(await matchesStored("caf\u00e9", legacy, keys)).toBe(false);
		expect(needsRehash(legacy, 4)).toBe(true);
		expect(needsRehash(await storedHashOf("pwd", 4, keys), 4)).toBe(false);
		expect(needsRehash(await storedHashOf("pwd", 4, keys), 5)).toBe(true);
	});

	it("report the cost they were made at", async () => {
		expect(costOf(await storedHashOf("pwd", 5, keys))).toBe(5);
		expect(costOf(hashPassword("pwd", 4))).toBe(4);
	});

	it("leave the exercise's hashPassword a plain, salted bcrypt hash", () => {
		const hash = hashPassword("pwd", 4);
		expect(hash).toMatch(/^\$2b\$04\$/);
		expect(verifyPassword("pwd", hash)).toBe(true);
	});
});
