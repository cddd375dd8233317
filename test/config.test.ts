/** Unit tests of configuration parsing: defaults, valid values, and clear refusals. */
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SECRETS, loadConfig, SETTINGS } from "../src/config";

/** The integer settings, with the least value each takes. */
const NUMERIC = Object.values(SETTINGS).flatMap((setting) => {
	const min = /^(\d+)–/.exec(setting.range)?.[1];
	return min === undefined ? [] : [[setting.variable, Number(min)] as const];
});

describe("loadConfig", () => {
	it("uses the documented defaults when nothing is set", () => {
		expect(loadConfig({})).toEqual({
			tokenDelivery: "response",
			allowTokenInResponse: false,
			publicBaseUrl: null,
			serviceName: "Workers Auth",
			emailFrom: null,
			verificationTokenTtlSeconds: 86400,
			requireVerifiedEmail: false,
			authSecret: DEVELOPMENT_SECRETS.AUTH_SECRET,
			passwordPepper: DEVELOPMENT_SECRETS.PASSWORD_PEPPER,
			usesDevelopmentSecrets: true,
			signupLimit: { max: 300, windowSeconds: 600 },
			mailLimit: { max: 10, windowSeconds: 3600 },
			noticeLimit: { max: 1, windowSeconds: 86400 },
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

	it("names every problem at once, one per line, rather than the first", () => {
		const vars = {
			TOKEN_DELIVERY: "email",
			BCRYPT_COST: "3",
			REQUIRE_VERIFIED_EMAIL: "yes",
			PUBLIC_BASE_URL: "https://auth.example.com",
			EMAIL_FROM: "no-reply@auth.example.com",
			SERVICE_NAME: "x".repeat(61),
		};
		const thrown = (() => {
			try {
				loadConfig(vars);
			} catch (error) {
				return error instanceof RangeError ? error.message.split("\n") : [];
			}
			return [];
		})();
		expect(thrown).toEqual([
			expect.stringMatching(/^SERVICE_NAME must be one line of at most 60 characters/),
			expect.stringMatching(/^REQUIRE_VERIFIED_EMAIL must be "true" or "false"/),
			expect.stringMatching(/^BCRYPT_COST must be an integer from 4 to 31/),
			expect.stringMatching(
				/^TOKEN_DELIVERY = "email" needs the secret AUTH_SECRET, the secret PASSWORD_PEPPER, the queue producer binding EMAIL_QUEUE, the send_email binding EMAIL/,
			),
			expect.stringMatching(/^PUBLIC_BASE_URL still names a placeholder domain \(auth\.example\.com\)/),
			expect.stringMatching(/^EMAIL_FROM still names a placeholder domain \(auth\.example\.com\)/),
		]);
	});

	it("reads the service's name, shown to people", () => {
		expect(loadConfig({ SERVICE_NAME: "  Acme Accounts " }).serviceName).toBe("Acme Accounts");
		expect(() => loadConfig({ SERVICE_NAME: "two\nlines" })).toThrow(/SERVICE_NAME must be one line/);
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

	it.each(NUMERIC)("refuses %s below its minimum", (name, min) => {
		expect(() => loadConfig({ [name]: String(min - 1) })).toThrow(new RegExp(`^${name} must be an integer`));
	});

	it.each(["app.example.com", "https://app.example.com/", "https://app.example.com/path", "*"])(
		"refuses ALLOWED_ORIGINS entry %j that is not a bare origin",
		(entry) => {
			expect(() => loadConfig({ ALLOWED_ORIGINS: entry })).toThrow(/ALLOWED_ORIGINS entries must be origins/);
		},
	);

	describe("TOKEN_DELIVERY", () => {
		const emailMode = {
			TOKEN_DELIVERY: "email",
			PUBLIC_BASE_URL: "https://auth.acme.dev/",
			EMAIL_FROM: "no-reply@acme.dev",
			EMAIL_QUEUE: {},
			EMAIL: {},
			AUTH_SECRET: "a".repeat(32),
			PASSWORD_PEPPER: "p".repeat(32),
		};

		it("reads email mode with its settings, the URL without its trailing slash", () => {
			expect(loadConfig(emailMode)).toMatchObject({
				tokenDelivery: "email",
				publicBaseUrl: "https://auth.acme.dev",
				emailFrom: "no-reply@acme.dev",
			});
		});

		it.each([
			["AUTH_SECRET", "the secret AUTH_SECRET"],
			["PASSWORD_PEPPER", "the secret PASSWORD_PEPPER"],
			["PUBLIC_BASE_URL", "the variable PUBLIC_BASE_URL"],
			["EMAIL_FROM", "the variable EMAIL_FROM"],
			["EMAIL_QUEUE", "the queue producer binding EMAIL_QUEUE"],
			["EMAIL", "the send_email binding EMAIL"],
		])("refuses email mode without %s, naming it", (name, what) => {
			const { [name as keyof typeof emailMode]: _left, ...rest } = emailMode;
			expect(() => loadConfig(rest)).toThrow(`TOKEN_DELIVERY = "email" needs ${what}`);
		});

		it.each([
			[{ TOKEN_DELIVERY: "sms" }, /TOKEN_DELIVERY must be "response" or "email"/],
			[{ PUBLIC_BASE_URL: "auth.example.com" }, /PUBLIC_BASE_URL must be an http\(s\) URL/],
			[{ PUBLIC_BASE_URL: "https://auth.example.com/?x=1" }, /PUBLIC_BASE_URL must be/],
			[{ PUBLIC_BASE_URL: "ftp://auth.example.com" }, /PUBLIC_BASE_URL must be/],
			[{ EMAIL_FROM: "Auth <no-reply@example.com>" }, /EMAIL_FROM must be an email address/],
			[{ REQUIRE_VERIFIED_EMAIL: "yes" }, /REQUIRE_VERIFIED_EMAIL must be "true" or "false"/],
			[{ ALLOW_TOKEN_IN_RESPONSE: "1" }, /ALLOW_TOKEN_IN_RESPONSE must be "true" or "false"/],
		])("refuses %j", (vars, message) => {
			expect(() => loadConfig(vars)).toThrow(message);
		});

		it("refuses a secret shorter than 32 characters, and uses no development secret once both are set", () => {
			expect(() => loadConfig({ AUTH_SECRET: "short" })).toThrow(
				/AUTH_SECRET must be at least 32 characters/,
			);
			expect(
				loadConfig({ AUTH_SECRET: "a".repeat(32), PASSWORD_PEPPER: "p".repeat(32) }).usesDevelopmentSecrets,
			).toBe(false);
		});

		it.each([
			[{ PUBLIC_BASE_URL: "http://auth.acme.dev" }, /PUBLIC_BASE_URL must use https/],
			[{ PUBLIC_BASE_URL: "https://auth.example.com" }, /PUBLIC_BASE_URL still names a placeholder domain/],
			[{ EMAIL_FROM: "no-reply@auth.example.com" }, /EMAIL_FROM still names a placeholder domain/],
			[{ EMAIL_FROM: "no-reply@mail.test" }, /EMAIL_FROM still names a placeholder domain/],
		])("refuses email mode with %j", (vars, message) => {
			expect(() => loadConfig({ ...emailMode, ...vars })).toThrow(message);
		});

		it("lets email mode link to localhost over http with placeholders, as npm run dev:email does", () => {
			const local = {
				...emailMode,
				PUBLIC_BASE_URL: "http://localhost:5000",
				EMAIL_FROM: "no-reply@auth.example.com",
			};
			expect(loadConfig(local).publicBaseUrl).toBe("http://localhost:5000");
		});

		it("reads the booleans", () => {
			expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: "true", ALLOW_TOKEN_IN_RESPONSE: "false" })).toMatchObject({
				requireVerifiedEmail: true,
				allowTokenInResponse: false,
			});
		});
	});
});
