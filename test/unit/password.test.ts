/** The password policy and the bcrypt helpers, as pure functions. */
import { describe, expect, it } from "vitest";
import { costOf, hashPassword, passwordPolicyViolation, verifyPassword } from "../../src/auth/password";

describe("passwordPolicyViolation", () => {
	it.each([
		["", 1, "password is required"],
		["a".repeat(73), 1, "password must be at most 72 bytes"],
		["é".repeat(37), 1, "password must be at most 72 bytes"],
		["b4l0u", 8, "password must be at least 8 characters"],
		["ééééééé", 8, "password must be at least 8 characters"],
	])("refuses %j with minimum %i: %s", (password, minLength, message) => {
		expect(passwordPolicyViolation(password, minLength)).toBe(message);
	});

	it.each([
		["b4l0u", 1],
		["a".repeat(72), 8],
		["é".repeat(36), 8],
		["🔑🔑🔑🔑🔑🔑🔑🔑", 8],
	])("accepts %j with minimum %i", (password, minLength) => {
		expect(passwordPolicyViolation(password, minLength)).toBeNull();
	});
});

describe("bcrypt helpers", () => {
	it("hash at the given cost and verify only the same password", () => {
		const hash = hashPassword("pwd", 4);
		expect(costOf(hash)).toBe(4);
		expect(verifyPassword("pwd", hash)).toBe(true);
		expect(verifyPassword("pwd!", hash)).toBe(false);
	});
});
