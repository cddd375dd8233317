/** Unit tests of configuration parsing: defaults, valid values, and clear refusals. */
import { describe, expect, it } from "vitest";
import { loadConfig, NUMERIC_SETTINGS } from "../src/config";

describe("loadConfig", () => {
	it("uses the documented defaults when nothing is set", () => {
		expect(loadConfig({})).toEqual({
			tokenDelivery: "response",
			allowTokenInResponse: false,
			publicBaseUrl: null,
			emailFrom: null,
			verificationTokenTtlSeconds: 86400,
			requireVerifiedEmail: false,
			bcryptCost: 10,
			passwordMinLength: 1,
			sessionTtlSeconds: 604800,
			sessionMaxLifetimeSeconds: 2592000,
			sessionsPerUser: 20,
			resetTokenTtlSeconds: 3600,
			loginLimits: { perAccount: { max: 10, windowSeconds: 900 }, perIp: { max: 100, windowSeconds: 900 } },
			resetLimits: { perAccount: { max: 5, windowSeconds: 3600 }, perIp: { max: 50, windowSeconds: 3600 } },
			allowedOrigins: [],
		});
	});

	it("treats a blank value as unset", () => {
		expect(loadConfig({ BCRYPT_COST: " " }).bcryptCost).toBe(10);
	});

	it("reads valid values", () => {
		const config = loadConfig({
			BCRYPT_COST: "12",
			PASSWORD_MIN_LENGTH: "8",
			LOGIN_WINDOW_SECONDS: "60",
			ALLOWED_ORIGINS: " https://app.example.com , http://localhost:3000 ",
		});
		expect(config.bcryptCost).toBe(12);
		expect(config.passwordMinLength).toBe(8);
		expect(config.loginLimits.perIp.windowSeconds).toBe(60);
		expect(config.allowedOrigins).toEqual(["https://app.example.com", "http://localhost:3000"]);
	});

	it.each(["3", "32", "ten", "10.5", "-1"])("refuses BCRYPT_COST=%j with a clear error", (value) => {
		expect(() => loadConfig({ BCRYPT_COST: value })).toThrow(/BCRYPT_COST must be an integer from 4 to 31/);
	});

	it.each(Object.entries(NUMERIC_SETTINGS))("refuses %s below its minimum", (name, { min }) => {
		expect(() => loadConfig({ [name]: String(min - 1) })).toThrow(new RegExp(`^${name} must be an integer`));
	});

	it.each(["app.example.com", "https://app.example.com/", "https://app.example.com/path", "*"])(
		"refuses ALLOWED_ORIGINS entry %j that is not a bare origin",
		(entry) => {
			expect(() => loadConfig({ ALLOWED_ORIGINS: entry })).toThrow(/ALLOWED_ORIGINS entries must be origins/);
		},
	);
});
