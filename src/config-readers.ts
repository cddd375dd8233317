/**
 * How each kind of setting is read from the Worker's variables and checked: integers within their range,
 * booleans, secrets (with development defaults in `response` mode), URLs, addresses, origins, and what
 * `email` mode needs before it may start.
 *
 * @module
 */
import type { Config, ConfigVars, TokenDelivery } from "./config";
import { isLocalHost } from "./local-host";

/** The range bcryptjs accepts for the work factor. */
const BCRYPT_COST_RANGE = { min: 4, max: 31 } as const;

/** Default of each numeric variable, and the range it must fall in. */
export const NUMERIC_SETTINGS = {
	BCRYPT_COST: { default: 10, ...BCRYPT_COST_RANGE },
	// 1 keeps the original exercise's examples working; see the README for the production recommendation.
	PASSWORD_MIN_LENGTH: { default: 1, min: 1, max: 72 },
	SESSION_TTL_SECONDS: { default: 7 * 24 * 3600, min: 60, max: 400 * 24 * 3600 },
	SESSION_MAX_LIFETIME_SECONDS: { default: 30 * 24 * 3600, min: 60, max: 400 * 24 * 3600 },
	SESSIONS_PER_USER: { default: 20, min: 1, max: 1000 },
	RESET_TOKEN_TTL_SECONDS: { default: 3600, min: 60, max: 24 * 3600 },
	VERIFICATION_TOKEN_TTL_SECONDS: { default: 24 * 3600, min: 60, max: 7 * 24 * 3600 },
	LOGIN_MAX_FAILURES_PER_ACCOUNT: { default: 10, min: 1, max: 1_000_000 },
	LOGIN_MAX_FAILURES_PER_IP: { default: 100, min: 1, max: 1_000_000 },
	LOGIN_WINDOW_SECONDS: { default: 15 * 60, min: 1, max: 24 * 3600 },
	RESET_MAX_REQUESTS_PER_ACCOUNT: { default: 5, min: 1, max: 1_000_000 },
	RESET_MAX_REQUESTS_PER_IP: { default: 50, min: 1, max: 1_000_000 },
	RESET_WINDOW_SECONDS: { default: 3600, min: 1, max: 24 * 3600 },
	// Generous: a test suite registering a hundred users a minute from one address is served.
	SIGNUP_MAX_PER_IP: { default: 300, min: 1, max: 1_000_000 },
	SIGNUP_WINDOW_SECONDS: { default: 600, min: 1, max: 24 * 3600 },
	// Enough for a reset, a verification and a change of address in an hour; not enough to flood a mailbox.
	MAIL_MAX_PER_ADDRESS: { default: 10, min: 1, max: 1_000_000 },
	MAIL_WINDOW_SECONDS: { default: 3600, min: 1, max: 24 * 3600 },
	// One "someone tried to sign up with your address" a day is enough to tell the owner; more is a nuisance.
	NOTICE_MAX_PER_ADDRESS: { default: 1, min: 1, max: 1_000_000 },
	NOTICE_WINDOW_SECONDS: { default: 24 * 3600, min: 1, max: 7 * 24 * 3600 },
} as const satisfies Record<string, { default: number; min: number; max: number }>;

/** Reads an integer variable, or its default when unset or blank, refusing anything out of range. */
export function readInteger(vars: ConfigVars, name: keyof typeof NUMERIC_SETTINGS): number {
	const raw = vars[name];
	const setting = NUMERIC_SETTINGS[name];
	if (raw === undefined || raw.trim() === "") {
		return setting.default;
	}
	const value = Number(raw);
	if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
		throw new RangeError(`${name} must be an integer from ${setting.min} to ${setting.max}, got "${raw}"`);
	}
	return value;
}

/** Reads `"true"` or `"false"`, or the default when unset or blank. */
export function readBoolean(
	vars: ConfigVars,
	name: "ALLOW_TOKEN_IN_RESPONSE" | "REQUIRE_VERIFIED_EMAIL",
): boolean {
	const raw = vars[name]?.trim() ?? "";
	if (raw === "" || raw === "false") {
		return false;
	}
	if (raw === "true") {
		return true;
	}
	throw new RangeError(`${name} must be "true" or "false", got "${vars[name]}"`);
}

/**
 * The secrets of local development, used in `response` mode when none is set, so `npm run dev` works on a
 * fresh clone. They are public (they are in this file): `email` mode, production's, refuses to start
 * without real ones.
 */
export const DEVELOPMENT_SECRETS = {
	AUTH_SECRET: "development-only-auth-secret-not-for-deployment",
	PASSWORD_PEPPER: "development-only-password-pepper-not-for-deployment",
} as const;

/** Shortest secret accepted: 32 characters. */
const SECRET_MIN_LENGTH = 32;

/** Reads a secret, or the development one in `response` mode when it is unset. */
export function readSecret(
	vars: ConfigVars,
	name: keyof typeof DEVELOPMENT_SECRETS,
	delivery: TokenDelivery,
): string | null {
	const value = vars[name] ?? "";
	if (value === "") {
		return delivery === "response" ? DEVELOPMENT_SECRETS[name] : null;
	}
	if (value.length < SECRET_MIN_LENGTH) {
		throw new RangeError(
			`${name} must be at least ${SECRET_MIN_LENGTH} characters (set it with wrangler secret put)`,
		);
	}
	return value;
}

/** Reads the token delivery mode. */
export function readTokenDelivery(vars: ConfigVars): TokenDelivery {
	const raw = vars.TOKEN_DELIVERY?.trim() || "response";
	if (raw !== "response" && raw !== "email") {
		throw new RangeError(`TOKEN_DELIVERY must be "response" or "email", got "${vars.TOKEN_DELIVERY}"`);
	}
	return raw;
}

/** Reads the public URL links start with: an absolute http(s) URL without query or fragment. */
export function readPublicBaseUrl(raw: string | undefined): string | null {
	const value = raw?.trim() ?? "";
	if (value === "") {
		return null;
	}
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		// Reported below.
	}
	if (url === null || !/^https?:$/.test(url.protocol) || url.search !== "" || url.hash !== "") {
		throw new RangeError(
			`PUBLIC_BASE_URL must be an http(s) URL like https://auth.example.com, got "${raw}"`,
		);
	}
	return url.href.replace(/\/+$/, "");
}

/** Reads the sender address of emails. */
export function readEmailFrom(raw: string | undefined): string | null {
	const value = raw?.trim() ?? "";
	if (value === "") {
		return null;
	}
	// A plain address: the display name comes from the message, not from here.
	if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value)) {
		throw new RangeError(`EMAIL_FROM must be an email address like no-reply@example.com, got "${raw}"`);
	}
	return value;
}

/** Tells whether a domain is reserved for examples and tests (RFC 2606, 6761), so cannot be a real one. */
export function isReservedDomain(domain: string): boolean {
	const name = domain.toLowerCase();
	return /(^|\.)example\.(com|net|org)$/.test(name) || /(^|\.)(example|test|invalid|localhost)$/.test(name);
}

/** What the service calls itself when `SERVICE_NAME` is not set. */
export const DEFAULT_SERVICE_NAME = "Workers Auth";

/** Reads the service's name: one line of at most 60 characters, shown to people. */
export function readServiceName(raw: string | undefined): string {
	const value = raw?.trim() ?? "";
	if (value === "") {
		return DEFAULT_SERVICE_NAME;
	}
	if ([...value].length > 60 || /\p{Cc}/u.test(value)) {
		throw new RangeError(`SERVICE_NAME must be one line of at most 60 characters, got "${raw}"`);
	}
	return value;
}

/**
 * Returns what `email` mode lacks to send links, so a deployment missing any of it stops at start-up,
 * naming all of it, instead of accepting requests whose emails can never go out.
 */
export function emailModeProblems(config: Config, vars: ConfigVars): string[] {
	const missing = [
		vars.AUTH_SECRET ? null : "the secret AUTH_SECRET",
		vars.PASSWORD_PEPPER ? null : "the secret PASSWORD_PEPPER",
		config.publicBaseUrl === null ? "the variable PUBLIC_BASE_URL" : null,
		config.emailFrom === null ? "the variable EMAIL_FROM" : null,
		vars.EMAIL_QUEUE === undefined ? "the queue producer binding EMAIL_QUEUE" : null,
		vars.EMAIL === undefined ? "the send_email binding EMAIL" : null,
	].filter((what) => what !== null);
	const problems =
		missing.length > 0
			? [`TOKEN_DELIVERY = "email" needs ${missing.join(", ")} (see [env.production] in wrangler.toml)`]
			: [];
	if (config.publicBaseUrl === null) {
		return problems;
	}
	const base = new URL(config.publicBaseUrl);
	// Links to a development host are local development (`npm run dev:email`), where nothing leaves the
	// machine or the LAN.
	if (isLocalHost(base.hostname)) {
		return problems;
	}
	if (base.protocol !== "https:") {
		problems.push(
			`PUBLIC_BASE_URL must use https: emailed links carry live tokens, got "${config.publicBaseUrl}"`,
		);
	}
	for (const [name, domain] of [
		["PUBLIC_BASE_URL", base.hostname],
		["EMAIL_FROM", config.emailFrom?.split("@").pop() ?? ""],
	] as const) {
		if (domain !== "" && isReservedDomain(domain)) {
			problems.push(
				`${name} still names a placeholder domain (${domain}): set the service's own (see docs/deploy.md)`,
			);
		}
	}
	return problems;
}

/** Returns the origin of a URL, or `null` when it is not a URL. */
function originOf(url: string): string | null {
	try {
		return new URL(url).origin;
	} catch {
		return null;
	}
}

/**
 * Reads a comma-separated list of origins, refusing anything that is not a bare `scheme://host[:port]`.
 */
export function readOrigins(raw: string | undefined): string[] {
	const entries = (raw ?? "")
		.split(",")
		.map((entry) => entry.trim())
		.filter((entry) => entry !== "");
	for (const entry of entries) {
		if (originOf(entry) !== entry) {
			throw new RangeError(
				`ALLOWED_ORIGINS entries must be origins like https://app.example.com, got "${entry}"`,
			);
		}
	}
	return entries;
}
