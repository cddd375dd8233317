/**
 * The service's configuration: one table, {@link SETTINGS}, of every variable the Worker reads (its name,
 * default, range and what it is for), from which the {@link Config} type is derived. `loadConfig` reads
 * the table once per environment object and names every problem at once, so a misconfigured deployment
 * stops at start-up with all of them instead of running with a surprising policy. The app reads it once
 * per request into the context (`c.var.config`); nothing else reads `env`.
 *
 * docs/configuration.md lists the table; `test/config.test.ts` checks that it lists every row.
 *
 * @module
 */
import * as v from "valibot";
import { isLocalHost } from "./local-host";

/** A fixed-window limit: at most `max` attempts per `windowSeconds`. */
export interface Limit {
	readonly max: number;
	readonly windowSeconds: number;
}

/** The two limits of one kind of attempt. */
export interface Limits {
	readonly perAccount: Limit;
	readonly perIp: Limit;
}

/**
 * How tokens (password reset, email verification, change of address) reach their owner: in the JSON
 * answer (the original exercise; for local development) or by email through the queue (production).
 */
export type TokenDelivery = "response" | "email";

/** A variable's raw value: unset, or a string (blank counts as unset). */
type Raw = string | undefined;

/** One row of the table: the variable, its default and range as documented, what it is for, and its reading. */
interface Setting<T> {
	readonly variable: string;
	/** The default, as docs/configuration.md states it. */
	readonly default: string;
	/** The values it takes, as docs/configuration.md states them. */
	readonly range: string;
	readonly doc: string;
	/** Reads the raw value; an issue's message completes "<variable> …". */
	readonly schema: v.GenericSchema<Raw, T>;
}

/** Whether a raw value counts as unset. */
function blank(raw: Raw): raw is undefined {
	return raw === undefined || raw.trim() === "";
}

/** A schema that reads a raw value with `read`, whose thrown message becomes the issue's. */
function reading<T>(read: (raw: Raw) => T): v.GenericSchema<Raw, T> {
	return v.pipe(
		v.optional(v.string()),
		v.rawTransform(({ dataset, addIssue, NEVER }) => {
			try {
				return read(dataset.value);
			} catch (error) {
				addIssue({ message: error instanceof Error ? error.message : String(error) });
				return NEVER;
			}
		}),
	) as v.GenericSchema<Raw, T>;
}

/** An integer setting from `min` to `max`, `fallback` when unset. */
function integer(variable: string, fallback: number, min: number, max: number, doc: string): Setting<number> {
	return {
		variable,
		default: String(fallback),
		range: `${min}–${max}`,
		doc,
		schema: reading((raw) => {
			if (blank(raw)) {
				return fallback;
			}
			const value = Number(raw);
			if (!Number.isInteger(value) || value < min || value > max) {
				throw new Error(`must be an integer from ${min} to ${max}, got "${raw}"`);
			}
			return value;
		}),
	};
}

/** A `"true"`/`"false"` setting, false when unset. */
function boolean(variable: string, doc: string): Setting<boolean> {
	return {
		variable,
		default: "false",
		range: "true, false",
		doc,
		schema: reading((raw) => {
			const value = raw?.trim() ?? "";
			if (value === "" || value === "false" || value === "true") {
				return value === "true";
			}
			throw new Error(`must be "true" or "false", got "${raw}"`);
		}),
	};
}

/** A text setting read by `read` from its trimmed value, `null` when unset. */
function optional<T>(variable: string, range: string, doc: string, read: (value: string, raw: string) => T) {
	return {
		variable,
		default: "—",
		range,
		doc,
		schema: reading((raw) => (blank(raw) ? null : read(raw.trim(), raw))),
	} satisfies Setting<T | null>;
}

/** Shortest secret accepted: 32 characters. */
const SECRET_MIN_LENGTH = 32;

/** A secret, set with `wrangler secret put`; `null` when unset (see {@link DEVELOPMENT_SECRETS}). */
function secret(variable: "AUTH_SECRET" | "PASSWORD_PEPPER", doc: string): Setting<string | null> {
	return {
		variable,
		default: "— (development value in response mode)",
		range: `${SECRET_MIN_LENGTH}+ characters`,
		doc,
		schema: reading((raw) => {
			if (raw === undefined || raw === "") {
				return null;
			}
			if (raw.length < SECRET_MIN_LENGTH) {
				throw new Error(`must be at least ${SECRET_MIN_LENGTH} characters (set it with wrangler secret put)`);
			}
			return raw;
		}),
	};
}

/** The public URL of the service: an absolute http(s) URL without query or fragment, kept without its trailing slash. */
function readUrl(value: string, raw: string): string {
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		// Reported below.
	}
	if (url === null || !/^https?:$/.test(url.protocol) || url.search !== "" || url.hash !== "") {
		throw new Error(`must be an http(s) URL like https://auth.example.com, got "${raw}"`);
	}
	return url.href.replace(/\/+$/, "");
}

/** A plain address (the display name comes from the message, not from here). */
function readAddress(value: string, raw: string): string {
	if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value)) {
		throw new Error(`must be an email address like no-reply@example.com, got "${raw}"`);
	}
	return value;
}

/** The name of the service shown to people: one line of at most 60 characters. */
function readName(raw: Raw): string {
	const value = raw?.trim() ?? "";
	if (value === "") {
		return DEFAULT_SERVICE_NAME;
	}
	if ([...value].length > 60 || /\p{Cc}/u.test(value)) {
		throw new Error(`must be one line of at most 60 characters, got "${raw}"`);
	}
	return value;
}

/** A comma-separated list of bare origins (`scheme://host[:port]`). */
function readOrigins(raw: Raw): readonly string[] {
	const entries = (raw ?? "")
		.split(",")
		.map((entry) => entry.trim())
		.filter((entry) => entry !== "");
	for (const entry of entries) {
		let origin: string | null = null;
		try {
			origin = new URL(entry).origin;
		} catch {
			// Reported below.
		}
		if (origin !== entry) {
			throw new Error(`entries must be origins like https://app.example.com, got "${entry}"`);
		}
	}
	return entries;
}

/** What the service calls itself when `SERVICE_NAME` is not set. */
export const DEFAULT_SERVICE_NAME = "Workers Auth";

/**
 * Every setting of the service, one row each: the variable, its default and range, what it is for, and
 * how it is read. The {@link Config} type is derived from it.
 */
export const SETTINGS = {
	tokenDelivery: {
		variable: "TOKEN_DELIVERY",
		default: "response",
		range: "response, email",
		doc: "Where tokens go: the JSON answer (`response`: the exercise's, for local development) or an email (`email`: production).",
		schema: reading((raw): TokenDelivery => {
			const value = blank(raw) ? "response" : raw.trim();
			if (value !== "response" && value !== "email") {
				throw new Error(`must be "response" or "email", got "${raw}"`);
			}
			return value;
		}),
	},
	allowTokenInResponse: boolean(
		"ALLOW_TOKEN_IN_RESPONSE",
		"In `response` mode, answer tokens to hosts other than development ones anyway.",
	),
	publicBaseUrl: optional(
		"PUBLIC_BASE_URL",
		"an http(s) URL",
		"The service's public URL; emailed links start with it (production: required, https).",
		readUrl,
	),
	emailFrom: optional(
		"EMAIL_FROM",
		"an address",
		"Sender address of the emails, on a domain onboarded to Email Service (production: required).",
		readAddress,
	),
	serviceName: {
		variable: "SERVICE_NAME",
		default: DEFAULT_SERVICE_NAME,
		range: "one line, 60 characters",
		doc: "What the pages (header, titles) and the emails (subject, body) call the service.",
		schema: reading(readName),
	},
	authSecret: secret(
		"AUTH_SECRET",
		"Keys device cookies and the digests that stand for an account in throttle counters, logs and security events. Changing it only forgets devices and counters.",
	),
	passwordPepper: secret(
		"PASSWORD_PEPPER",
		"Keys the pre-hash of passwords longer than bcrypt takes; it must never change once such passwords are stored.",
	),
	verificationTokenTtlSeconds: integer(
		"VERIFICATION_TOKEN_TTL_SECONDS",
		24 * 3600,
		60,
		7 * 24 * 3600,
		"How long verification and change-of-address links work.",
	),
	requireVerifiedEmail: boolean(
		"REQUIRE_VERIFIED_EMAIL",
		"Refuse logins of accounts whose address is not verified: 403 in `response` mode; in `email` mode the answer of a wrong password (401), and a fresh link goes to the address (production: true).",
	),
	bcryptCost: integer("BCRYPT_COST", 10, 4, 31, "bcrypt work factor for new hashes (log2 of the rounds)."),
	// 1 keeps the original exercise's examples working; production sets 8.
	passwordMinLength: integer(
		"PASSWORD_MIN_LENGTH",
		1,
		1,
		72,
		"Fewest characters (code points, after NFC) in a new password; at most 128 are accepted (production: 8).",
	),
	sessionTtlSeconds: integer(
		"SESSION_TTL_SECONDS",
		7 * 24 * 3600,
		60,
		400 * 24 * 3600,
		"How long a session lasts unused; use pushes it back (recorded at most once a day).",
	),
	sessionMaxLifetimeSeconds: integer(
		"SESSION_MAX_LIFETIME_SECONDS",
		30 * 24 * 3600,
		60,
		400 * 24 * 3600,
		"How long a session lasts after the login, however much it is used.",
	),
	sessionsPerUser: integer(
		"SESSIONS_PER_USER",
		20,
		1,
		1000,
		"Live sessions a user may keep; a new login ends the oldest beyond it.",
	),
	resetTokenTtlSeconds: integer(
		"RESET_TOKEN_TTL_SECONDS",
		3600,
		60,
		24 * 3600,
		"How long a reset token is valid.",
	),
	loginMaxFailuresPerAccount: integer(
		"LOGIN_MAX_FAILURES_PER_ACCOUNT",
		10,
		1,
		1_000_000,
		"Failed logins per account (or remembered device) per window before 429.",
	),
	loginMaxFailuresPerIp: integer(
		"LOGIN_MAX_FAILURES_PER_IP",
		100,
		1,
		1_000_000,
		"Failed logins per client IP (IPv6: /64) per window before 429.",
	),
	loginWindowSeconds: integer(
		"LOGIN_WINDOW_SECONDS",
		15 * 60,
		1,
		24 * 3600,
		"Window of the two login limits.",
	),
	resetMaxRequestsPerAccount: integer(
		"RESET_MAX_REQUESTS_PER_ACCOUNT",
		5,
		1,
		1_000_000,
		"Reset and verification requests per account and client network (or remembered device) per window before 429.",
	),
	resetMaxRequestsPerIp: integer(
		"RESET_MAX_REQUESTS_PER_IP",
		50,
		1,
		1_000_000,
		"Reset and verification requests per client IP per window before 429.",
	),
	resetWindowSeconds: integer("RESET_WINDOW_SECONDS", 3600, 1, 24 * 3600, "Window of the two reset limits."),
	// Generous: a test suite registering a hundred users a minute from one address is served.
	signupMaxPerIp: integer(
		"SIGNUP_MAX_PER_IP",
		300,
		1,
		1_000_000,
		"Sign-ups per client IP (IPv6: /64) per window before 429, counted before any bcrypt work.",
	),
	signupWindowSeconds: integer("SIGNUP_WINDOW_SECONDS", 600, 1, 24 * 3600, "Window of the sign-up limit."),
	// Enough for a reset, a verification and a change of address in an hour; not enough to flood a mailbox.
	mailMaxPerAddress: integer(
		"MAIL_MAX_PER_ADDRESS",
		10,
		1,
		1_000_000,
		"Emails its owner may have asked for (links, notices of changes), sent to one address per window; past it the consumer drops them without issuing their tokens.",
	),
	mailWindowSeconds: integer("MAIL_WINDOW_SECONDS", 3600, 1, 24 * 3600, "Window of the mail limit."),
	// One "someone tried to sign up with your address" a day is enough to tell the owner; more is a nuisance.
	noticeMaxPerAddress: integer(
		"NOTICE_MAX_PER_ADDRESS",
		1,
		1,
		1_000_000,
		"Notices of one kind its owner did not ask for (someone signed up with the address, another account asked to move to it), per address per window, counted apart.",
	),
	noticeWindowSeconds: integer(
		"NOTICE_WINDOW_SECONDS",
		24 * 3600,
		1,
		7 * 24 * 3600,
		"Window of the notice limit.",
	),
	allowedOrigins: {
		variable: "ALLOWED_ORIGINS",
		default: "empty",
		range: "comma-separated origins",
		doc: "Origins (e.g. `https://app.example.com`) that may send writes cross-site.",
		schema: reading(readOrigins),
	},
} as const satisfies Record<string, Setting<unknown>>;

/** The value of each setting, as the table reads it. */
type Settings = { readonly [Key in keyof typeof SETTINGS]: v.InferOutput<(typeof SETTINGS)[Key]["schema"]> };

/** What is worked out from the settings, under the names the service uses. */
interface Derived {
	/** The secrets, the development ones in `response` mode when unset (`email` mode refuses to start so). */
	readonly authSecret: string;
	readonly passwordPepper: string;
	/** Whether a secret is a built-in development one: such a Worker serves development hosts only. */
	readonly usesDevelopmentSecrets: boolean;
	/** Failed logins allowed per account, and per client network, within one window. */
	readonly loginLimits: Limits;
	/** Reset and verification requests allowed per account and network, and per client network. */
	readonly resetLimits: Limits;
	/** Sign-ups allowed per client network within one window. */
	readonly signupLimit: Limit;
	/** Emails its owner may have asked for, to one address within one window. */
	readonly mailLimit: Limit;
	/** Notices of one kind its owner did not ask for, to one address within one window. */
	readonly noticeLimit: Limit;
}

/** The rows that only go into a {@link Derived} limit, which the service reads instead. */
type LimitParts =
	| "loginMaxFailuresPerAccount"
	| "loginMaxFailuresPerIp"
	| "loginWindowSeconds"
	| "resetMaxRequestsPerAccount"
	| "resetMaxRequestsPerIp"
	| "resetWindowSeconds"
	| "signupMaxPerIp"
	| "signupWindowSeconds"
	| "mailMaxPerAddress"
	| "mailWindowSeconds"
	| "noticeMaxPerAddress"
	| "noticeWindowSeconds";

/** Every setting of the service; tests build their own with a low bcrypt cost. */
export type Config = Omit<Settings, keyof Derived | LimitParts> & Derived;

/**
 * What the configuration is read from: the Worker's environment, its variables (optional strings, by
 * {@link SETTINGS}' names) and the bindings `email` mode needs, whose presence is checked.
 */
export type ConfigVars = object;

/** Returns the value `vars` holds under `name`. */
function variable(vars: ConfigVars, name: string): unknown {
	return (vars as Record<string, unknown>)[name];
}

/**
 * The secrets of local development, used in `response` mode when none is set, so `npm run dev` works on a
 * fresh clone. They are public (they are in this file): `email` mode, production's, refuses to start
 * without real ones, and a Worker that uses them serves development hosts only.
 */
export const DEVELOPMENT_SECRETS = {
	AUTH_SECRET: "development-only-auth-secret-not-for-deployment",
	PASSWORD_PEPPER: "development-only-password-pepper-not-for-deployment",
} as const;

/** Tells whether a domain is reserved for examples and tests (RFC 2606, 6761), so cannot be a real one. */
export function isReservedDomain(domain: string): boolean {
	const name = domain.toLowerCase();
	return /(^|\.)example\.(com|net|org)$/.test(name) || /(^|\.)(example|test|invalid|localhost)$/.test(name);
}

/**
 * Returns what `email` mode lacks to send links, so a deployment missing any of it stops at start-up,
 * naming all of it, instead of accepting requests whose emails can never go out.
 */
function emailModeProblems(settings: Settings, vars: ConfigVars): string[] {
	const missing = [
		settings.authSecret === null ? "the secret AUTH_SECRET" : null,
		settings.passwordPepper === null ? "the secret PASSWORD_PEPPER" : null,
		settings.publicBaseUrl === null ? "the variable PUBLIC_BASE_URL" : null,
		settings.emailFrom === null ? "the variable EMAIL_FROM" : null,
		variable(vars, "EMAIL_QUEUE") === undefined ? "the queue producer binding EMAIL_QUEUE" : null,
		variable(vars, "EMAIL") === undefined ? "the send_email binding EMAIL" : null,
	].filter((what) => what !== null);
	const problems =
		missing.length > 0
			? [`TOKEN_DELIVERY = "email" needs ${missing.join(", ")} (see [env.production] in wrangler.toml)`]
			: [];
	if (settings.publicBaseUrl === null) {
		return problems;
	}
	const base = new URL(settings.publicBaseUrl);
	// Links to a development host are local development (`npm run dev:email`), where nothing leaves the
	// machine or the LAN.
	if (isLocalHost(base.hostname)) {
		return problems;
	}
	if (base.protocol !== "https:") {
		problems.push(
			`PUBLIC_BASE_URL must use https: emailed links carry live tokens, got "${settings.publicBaseUrl}"`,
		);
	}
	for (const [name, domain] of [
		["PUBLIC_BASE_URL", base.hostname],
		["EMAIL_FROM", settings.emailFrom?.split("@").pop() ?? ""],
	] as const) {
		if (domain !== "" && isReservedDomain(domain)) {
			problems.push(
				`${name} still names a placeholder domain (${domain}): set the service's own (see docs/deploy.md)`,
			);
		}
	}
	return problems;
}

/**
 * Reads every row of the table, then works out the rest.
 *
 * @throws {RangeError} naming every variable that holds a value out of its range, one per line.
 */
function parseConfig(vars: ConfigVars): Config {
	const problems: string[] = [];
	const read: Record<string, unknown> = {};
	for (const [key, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
		const raw = variable(vars, setting.variable);
		const result = v.safeParse(setting.schema, typeof raw === "string" ? raw : undefined);
		if (result.success) {
			read[key] = result.output;
		} else {
			problems.push(`${setting.variable} ${result.issues[0]?.message ?? "is invalid"}`);
			// A stand-in, so the checks below can go on: the default.
			read[key] = v.safeParse(setting.schema, undefined).output;
		}
	}
	const settings = read as Settings;
	if (settings.tokenDelivery === "email") {
		problems.push(...emailModeProblems(settings, vars));
	}
	if (problems.length > 0) {
		throw new RangeError(problems.join("\n"));
	}
	const development = settings.tokenDelivery === "response";
	const authSecret = settings.authSecret ?? (development ? DEVELOPMENT_SECRETS.AUTH_SECRET : "");
	const passwordPepper = settings.passwordPepper ?? (development ? DEVELOPMENT_SECRETS.PASSWORD_PEPPER : "");
	const limit = (max: number, windowSeconds: number): Limit => ({ max, windowSeconds });
	const {
		loginMaxFailuresPerAccount,
		loginMaxFailuresPerIp,
		loginWindowSeconds,
		resetMaxRequestsPerAccount,
		resetMaxRequestsPerIp,
		resetWindowSeconds,
		signupMaxPerIp,
		signupWindowSeconds,
		mailMaxPerAddress,
		mailWindowSeconds,
		noticeMaxPerAddress,
		noticeWindowSeconds,
		...rest
	} = settings;
	return {
		...rest,
		authSecret,
		passwordPepper,
		usesDevelopmentSecrets:
			authSecret === DEVELOPMENT_SECRETS.AUTH_SECRET ||
			passwordPepper === DEVELOPMENT_SECRETS.PASSWORD_PEPPER,
		loginLimits: {
			perAccount: limit(loginMaxFailuresPerAccount, loginWindowSeconds),
			perIp: limit(loginMaxFailuresPerIp, loginWindowSeconds),
		},
		resetLimits: {
			perAccount: limit(resetMaxRequestsPerAccount, resetWindowSeconds),
			perIp: limit(resetMaxRequestsPerIp, resetWindowSeconds),
		},
		signupLimit: limit(signupMaxPerIp, signupWindowSeconds),
		mailLimit: limit(mailMaxPerAddress, mailWindowSeconds),
		noticeLimit: limit(noticeMaxPerAddress, noticeWindowSeconds),
	};
}

const cache = new WeakMap<object, Config>();

/**
 * Returns the validated configuration for a Worker environment, parsing it on first use only.
 *
 * @throws {RangeError} naming every variable that holds a value out of its range, one per line.
 */
export function loadConfig(vars: ConfigVars): Config {
	let config = cache.get(vars);
	if (config === undefined) {
		config = parseConfig(vars);
		cache.set(vars, config);
	}
	return config;
}
