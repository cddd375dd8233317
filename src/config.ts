/**
 * Service configuration read from the Worker's variables, validated once per environment object so a
 * misconfigured deployment fails with a clear message instead of running with a surprising policy.
 *
 * @module
 */
import {
	DEFAULT_SERVICE_NAME,
	DEVELOPMENT_SECRETS,
	emailModeProblems,
	NUMERIC_SETTINGS,
	readBoolean,
	readEmailFrom,
	readInteger,
	readOrigins,
	readPublicBaseUrl,
	readSecret,
	readServiceName,
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
	/** What the service calls itself to people: in the pages' header and titles, and in its emails. */
	readonly serviceName: string;
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
	/**
	 * Whether the secrets are the built-in development ones (`response` mode without secrets set): such a
	 * Worker refuses to serve any host but a development one (`src/http/deployment-guard.ts`).
	 */
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
	readonly SERVICE_NAME?: string;
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

export { DEVELOPMENT_SECRETS, isReservedDomain, NUMERIC_SETTINGS } from "./config-readers";

/**
 * Collects what is wrong with the configuration, so start-up names every problem at once rather than the
 * first: each reading goes through {@link Problems.read}, which records a refusal and goes on with a
 * stand-in value.
 */
class Problems {
	readonly found: string[] = [];

	/** Returns what `reading` returns, or `fallback` after recording why it refused. */
	read<T>(reading: () => T, fallback: T): T {
		try {
			return reading();
		} catch (error) {
			this.found.push(error instanceof Error ? error.message : String(error));
			return fallback;
		}
	}
}

/** Reads a numeric setting, or its default after recording why it was refused. */
function integer(problems: Problems, vars: ConfigVars, name: keyof typeof NUMERIC_SETTINGS): number {
	return problems.read(() => readInteger(vars, name), NUMERIC_SETTINGS[name].default);
}

/** Reads the per-account and per-IP maximums that share one window, or their defaults. */
function limits(
	problems: Problems,
	vars: ConfigVars,
	perAccount: keyof typeof NUMERIC_SETTINGS,
	perIp: keyof typeof NUMERIC_SETTINGS,
	window: keyof typeof NUMERIC_SETTINGS,
): Limits {
	const windowSeconds = integer(problems, vars, window);
	return {
		perAccount: { max: integer(problems, vars, perAccount), windowSeconds },
		perIp: { max: integer(problems, vars, perIp), windowSeconds },
	};
}

/**
 * Parses and validates every setting.
 *
 * @throws {RangeError} naming every variable that holds a value out of its range, one per line.
 */
function parseConfig(vars: ConfigVars): Config {
	const problems = new Problems();
	const tokenDelivery = problems.read(() => readTokenDelivery(vars), "response");
	const authSecret = problems.read(() => readSecret(vars, "AUTH_SECRET", tokenDelivery), null);
	const passwordPepper = problems.read(() => readSecret(vars, "PASSWORD_PEPPER", tokenDelivery), null);
	const config: Config = {
		tokenDelivery,
		authSecret: authSecret ?? "",
		passwordPepper: passwordPepper ?? "",
		usesDevelopmentSecrets:
			authSecret === DEVELOPMENT_SECRETS.AUTH_SECRET ||
			passwordPepper === DEVELOPMENT_SECRETS.PASSWORD_PEPPER,
		serviceName: problems.read(() => readServiceName(vars.SERVICE_NAME), DEFAULT_SERVICE_NAME),
		signupLimit: {
			max: integer(problems, vars, "SIGNUP_MAX_PER_IP"),
			windowSeconds: integer(problems, vars, "SIGNUP_WINDOW_SECONDS"),
		},
		mailLimit: {
			max: integer(problems, vars, "MAIL_MAX_PER_ADDRESS"),
			windowSeconds: integer(problems, vars, "MAIL_WINDOW_SECONDS"),
		},
		noticeLimit: {
			max: integer(problems, vars, "NOTICE_MAX_PER_ADDRESS"),
			windowSeconds: integer(problems, vars, "NOTICE_WINDOW_SECONDS"),
		},
		allowTokenInResponse: problems.read(() => readBoolean(vars, "ALLOW_TOKEN_IN_RESPONSE"), false),
		publicBaseUrl: problems.read(() => readPublicBaseUrl(vars.PUBLIC_BASE_URL), null),
		emailFrom: problems.read(() => readEmailFrom(vars.EMAIL_FROM), null),
		verificationTokenTtlSeconds: integer(problems, vars, "VERIFICATION_TOKEN_TTL_SECONDS"),
		requireVerifiedEmail: problems.read(() => readBoolean(vars, "REQUIRE_VERIFIED_EMAIL"), false),
		bcryptCost: integer(problems, vars, "BCRYPT_COST"),
		passwordMinLength: integer(problems, vars, "PASSWORD_MIN_LENGTH"),
		sessionTtlSeconds: integer(problems, vars, "SESSION_TTL_SECONDS"),
		sessionMaxLifetimeSeconds: integer(problems, vars, "SESSION_MAX_LIFETIME_SECONDS"),
		sessionsPerUser: integer(problems, vars, "SESSIONS_PER_USER"),
		resetTokenTtlSeconds: integer(problems, vars, "RESET_TOKEN_TTL_SECONDS"),
		loginLimits: limits(
			problems,
			vars,
			"LOGIN_MAX_FAILURES_PER_ACCOUNT",
			"LOGIN_MAX_FAILURES_PER_IP",
			"LOGIN_WINDOW_SECONDS",
		),
		resetLimits: limits(
			problems,
			vars,
			"RESET_MAX_REQUESTS_PER_ACCOUNT",
			"RESET_MAX_REQUESTS_PER_IP",
			"RESET_WINDOW_SECONDS",
		),
		allowedOrigins: problems.read(() => readOrigins(vars.ALLOWED_ORIGINS), []),
	};
	if (config.tokenDelivery === "email") {
		problems.found.push(...emailModeProblems(config, vars));
	}
	if (problems.found.length > 0) {
		throw new RangeError(problems.found.join("\n"));
	}
	return config;
}

const cache = new WeakMap<ConfigVars, Config>();

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
