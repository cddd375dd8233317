/**
 * Service configuration read from the Worker's variables, validated once per environment object so a
 * misconfigured deployment fails with a clear message instead of running with a surprising policy.
 *
 * @module
 */
import {
	checkEmailMode,
	DEVELOPMENT_SECRETS,
	readBoolean,
	readEmailFrom,
	readInteger,
	readLimits,
	readOrigins,
	readPublicBaseUrl,
	readSecret,
	readTokenDelivery,
} from "./config-readers";

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
	/** Emails its owner may have asked for, sent to one address within one window; past it, the consumer drops them (logged). */
	readonly mailLimit: Limit;
	/** Notices of one kind its owner did not ask for, sent to one address within one window (see `Deliveries`). */
	readonly noticeLimit: Limit;
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
	readonly MAIL_MAX_PER_ADDRESS?: string;
	readonly MAIL_WINDOW_SECONDS?: string;
	readonly NOTICE_MAX_PER_ADDRESS?: string;
	readonly NOTICE_WINDOW_SECONDS?: string;
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

export { DEVELOPMENT_SECRETS, NUMERIC_SETTINGS } from "./config-readers";

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
		mailLimit: {
			max: readInteger(vars, "MAIL_MAX_PER_ADDRESS"),
			windowSeconds: readInteger(vars, "MAIL_WINDOW_SECONDS"),
		},
		noticeLimit: {
			max: readInteger(vars, "NOTICE_MAX_PER_ADDRESS"),
			windowSeconds: readInteger(vars, "NOTICE_WINDOW_SECONDS"),
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
