/**
 * Service configuration read from the Worker's variables, validated once per environment object so a
 * misconfigured deployment fails with a clear message instead of running with a surprising policy.
 *
 * @module
 */

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

/** Every setting of the service; tests build their own with a low bcrypt cost. */
export interface Config {
	/** How tokens reach their owner; see {@link TokenDelivery}. */
	readonly tokenDelivery: TokenDelivery;
	/** In `response` mode, whether tokens may be answered over HTTPS to a host other than localhost. */
	readonly allowTokenInResponse: boolean;
	/** The public URL of the service, which links in emails start with (no trailing slash). */
	readonly publicBaseUrl: string | null;
	/** The sender address of the service's emails. */
	readonly emailFrom: string | null;
	/** How long an email-verification or change-of-address link stays valid. */
	readonly verificationTokenTtlSeconds: number;
	/** Whether a right password of an account whose email is not verified is refused (403). */
	readonly requireVerifiedEmail: boolean;
	/**
	 * Keys device cookies' signatures and the digests that stand for an account in throttle counters, logs
	 * and security events. Changing it only forgets devices and counters.
	 */
	readonly authSecret: string;
	/**
	 * Keys the pre-hash of passwords longer than bcrypt takes. It must never change once such passwords are
	 * stored: they would stop working.
	 */
	readonly passwordPepper: string;
	/** Whether the secrets are the built-in development ones (`response` mode without secrets set). */
	readonly usesDevelopmentSecrets: boolean;
	/** Sign-ups allowed per client IP (IPv6: per /64) within one window, before any bcrypt work. */
	readonly signupLimit: Limit;
	/** bcrypt work factor (log2 of the number of rounds) for new password hashes. */
	readonly bcryptCost: number;
	/** Fewest characters (Unicode code points) a new password may have. */
	readonly passwordMinLength: number;
	/** How long a session lasts without use; using it pushes its expiry back (at most once a day). */
	readonly sessionTtlSeconds: number;
	/** How long a session lasts after the login however much it is used; then the user logs in again. */
	readonly sessionMaxLifetimeSeconds: number;
	/** Live sessions one user may have; a new login ends the oldest beyond it. */
	readonly sessionsPerUser: number;
	/** How long a password-reset token stays valid. */
	readonly resetTokenTtlSeconds: number;
	/** Failed logins allowed per account, and per client IP (IPv6: per /64), within one window. */
	readonly loginLimits: Limits;
	/** Reset-token requests allowed per account, and per client IP (IPv6: per /64), within one window. */
	readonly resetLimits: Limits;
	/** Origins besides the service's own that may send state-changing requests (e.g. a web front end). */
	readonly allowedOrigins: readonly string[];
}

/**
 * The Worker variables the configuration is read from (all optional strings), and the bindings that
 * `email` mode needs, whose presence is checked.
 */
export interface ConfigVars {
	readonly TOKEN_DELIVERY?: string;
	readonly ALLOW_TOKEN_IN_RESPONSE?: string;
	readonly PUBLIC_BASE_URL?: string;
	readonly EMAIL_FROM?: string;
	readonly VERIFICATION_TOKEN_TTL_SECONDS?: string;
	readonly REQUIRE_VERIFIED_EMAIL?: string;
	readonly AUTH_SECRET?: string;
	readonly PASSWORD_PEPPER?: string;
	readonly SIGNUP_MAX_PER_IP?: string;
	readonly SIGNUP_WINDOW_SECONDS?: string;
	readonly EMAIL_QUEUE?: unknown;
	readonly EMAIL?: unknown;
	readonly BCRYPT_COST?: string;
	readonly PASSWORD_MIN_LENGTH?: string;
	readonly SESSION_TTL_SECONDS?: string;
	readonly SESSION_MAX_LIFETIME_SECONDS?: string;
	readonly SESSIONS_PER_USER?: string;
	readonly RESET_TOKEN_TTL_SECONDS?: string;
	readonly LOGIN_MAX_FAILURES_PER_ACCOUNT?: string;
	readonly LOGIN_MAX_FAILURES_PER_IP?: string;
	readonly LOGIN_WINDOW_SECONDS?: string;
	readonly RESET_MAX_REQUESTS_PER_ACCOUNT?: string;
	readonly RESET_MAX_REQUESTS_PER_IP?: string;
	readonly RESET_WINDOW_SECONDS?: string;
	readonly ALLOWED_ORIGINS?: string;
}

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
} as const satisfies Record<string, { default: number; min: number; max: number }>;

/** Reads an integer variable, or its default when unset or blank, refusing anything out of range. */
function readInteger(vars: ConfigVars, name: keyof typeof NUMERIC_SETTINGS): number {
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
function readBoolean(vars: ConfigVars, name: "ALLOW_TOKEN_IN_RESPONSE" | "REQUIRE_VERIFIED_EMAIL"): boolean {
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
function readSecret(
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
function readTokenDelivery(vars: ConfigVars): TokenDelivery {
	const raw = vars.TOKEN_DELIVERY?.trim() || "response";
	if (raw !== "response" && raw !== "email") {
		throw new RangeError(`TOKEN_DELIVERY must be "response" or "email", got "${vars.TOKEN_DELIVERY}"`);
	}
	return raw;
}

/** Reads the public URL links start with: an absolute http(s) URL without query or fragment. */
function readPublicBaseUrl(raw: string | undefined): string | null {
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
function readEmailFrom(raw: string | undefined): string | null {
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

/**
 * Checks that `email` mode has what it needs to send links, so a deployment missing one stops at start-up
 * instead of accepting requests whose emails can never go out.
 */
function checkEmailMode(config: Config, vars: ConfigVars): void {
	const missing = [
		vars.AUTH_SECRET ? null : "the secret AUTH_SECRET",
		vars.PASSWORD_PEPPER ? null : "the secret PASSWORD_PEPPER",
		config.publicBaseUrl === null ? "the variable PUBLIC_BASE_URL" : null,
		config.emailFrom === null ? "the variable EMAIL_FROM" : null,
		vars.EMAIL_QUEUE === undefined ? "the queue producer binding EMAIL_QUEUE" : null,
		vars.EMAIL === undefined ? "the send_email binding EMAIL" : null,
	].filter((what) => what !== null);
	if (missing.length > 0) {
		throw new RangeError(
			`TOKEN_DELIVERY = "email" needs ${missing.join(", ")} (see [env.production] in wrangler.toml)`,
		);
	}
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
function readOrigins(raw: string | undefined): string[] {
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

/** Reads the per-account and per-IP maximums that share one window. */
function readLimits(
	vars: ConfigVars,
	perAccount: keyof typeof NUMERIC_SETTINGS,
	perIp: keyof typeof NUMERIC_SETTINGS,
	window: keyof typeof NUMERIC_SETTINGS,
): Limits {
	const windowSeconds = readInteger(vars, window);
	return {
		perAccount: { max: readInteger(vars, perAccount), windowSeconds },
		perIp: { max: readInteger(vars, perIp), windowSeconds },
	};
}

/** Parses and validates every setting. */
function parseConfig(vars: ConfigVars): Config {
	const tokenDelivery = readTokenDelivery(vars);
	const authSecret = readSecret(vars, "AUTH_SECRET", tokenDelivery);
	const passwordPepper = readSecret(vars, "PASSWORD_PEPPER", tokenDelivery);
	const config: Config = {
		tokenDelivery,
		authSecret: authSecret ?? "",
		passwordPepper: passwordPepper ?? "",
		usesDevelopmentSecrets:
			authSecret === DEVELOPMENT_SECRETS.AUTH_SECRET ||
			passwordPepper === DEVELOPMENT_SECRETS.PASSWORD_PEPPER,
		signupLimit: {
			max: readInteger(vars, "SIGNUP_MAX_PER_IP"),
			windowSeconds: readInteger(vars, "SIGNUP_WINDOW_SECONDS"),
		},
		allowTokenInResponse: readBoolean(vars, "ALLOW_TOKEN_IN_RESPONSE"),
		publicBaseUrl: readPublicBaseUrl(vars.PUBLIC_BASE_URL),
		emailFrom: readEmailFrom(vars.EMAIL_FROM),
		verificationTokenTtlSeconds: readInteger(vars, "VERIFICATION_TOKEN_TTL_SECONDS"),
		requireVerifiedEmail: readBoolean(vars, "REQUIRE_VERIFIED_EMAIL"),
		bcryptCost: readInteger(vars, "BCRYPT_COST"),
		passwordMinLength: readInteger(vars, "PASSWORD_MIN_LENGTH"),
		sessionTtlSeconds: readInteger(vars, "SESSION_TTL_SECONDS"),
		sessionMaxLifetimeSeconds: readInteger(vars, "SESSION_MAX_LIFETIME_SECONDS"),
		sessionsPerUser: readInteger(vars, "SESSIONS_PER_USER"),
		resetTokenTtlSeconds: readInteger(vars, "RESET_TOKEN_TTL_SECONDS"),
		loginLimits: readLimits(
			vars,
			"LOGIN_MAX_FAILURES_PER_ACCOUNT",
			"LOGIN_MAX_FAILURES_PER_IP",
			"LOGIN_WINDOW_SECONDS",
		),
		resetLimits: readLimits(
			vars,
			"RESET_MAX_REQUESTS_PER_ACCOUNT",
			"RESET_MAX_REQUESTS_PER_IP",
			"RESET_WINDOW_SECONDS",
		),
		allowedOrigins: readOrigins(vars.ALLOWED_ORIGINS),
	};
	if (config.tokenDelivery === "email") {
		checkEmailMode(config, vars);
	}
	return config;
}

const cache = new WeakMap<ConfigVars, Config>();

/**
 * Returns the validated configuration for a Worker environment, parsing it on first use only.
 *
 * @throws {RangeError} naming the variable, when one holds a value out of its range.
 */
export function loadConfig(vars: ConfigVars): Config {
	let config = cache.get(vars);
	if (config === undefined) {
		config = parseConfig(vars);
		cache.set(vars, config);
	}
	return config;
}
