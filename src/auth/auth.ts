/**
 * Authentication use cases: registration, credential checks, sessions and password resets. The HTTP layer
 * talks to {@link Auth} only; {@link Db} stays behind it.
 *
 * Session ids and reset tokens are random UUIDs handed to the client; only their SHA-256 digests are
 * stored, so a copy of the database does not let anyone act as a user.
 *
 * @module
 */
import type { Config, Limits } from "../config";
import { Db } from "../db/db";
import { IntegrityError } from "../db/errors";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { isValidEmail, normalizeEmail } from "./email";
import {
	costOf,
	dummyHash,
	hashPassword,
	isTooLongForBcrypt,
	passwordPolicyViolation,
	verifyPassword,
} from "./password";
import { type AttemptRules, attemptRules, countAttempt, retryAfterSeconds } from "./throttle";

/** Returns the string form of a new random (version 4) UUID; private to this module. */
function generateUuid(): string {
	return crypto.randomUUID();
}

const encoder = new TextEncoder();

/** Returns the SHA-256 digest of `secret` in lower-case hex: the form in which secrets are stored. */
async function digestSecret(secret: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A new secret for the client, the digest to store, and when it expires. */
interface IssuedSecret {
	readonly secret: string;
	readonly digest: string;
	readonly expiresAt: Date;
}

/** Facts about the request an {@link Auth} serves. */
export interface RequestContext {
	/** The client's IP address (`CF-Connecting-IP`), or `null` when unknown; used for throttling. */
	readonly clientIp?: string | null;
	/** The clock; tests replace it to reach expiry without waiting. */
	readonly now?: () => Date;
}

/** A live session as the HTTP layer needs it: whose it is and when it expires. */
export interface Session {
	readonly user: User;
	readonly expiresAt: Date;
	/** Whether the expiry was just pushed back, so the cookie must be sent again. */
	readonly renewed: boolean;
}

/** A session just started by {@link Auth.logIn}, with the raw id for the cookie. */
export interface NewSession extends Session {
	readonly sessionId: string;
}

/** Registers users, checks credentials and manages their sessions and reset tokens. */
export class Auth {
	/** The data access this service runs on; {@link SeedAuth} reads it too. */
	protected readonly db: Db;
	readonly #config: Config;
	readonly #clientIp: string | null;
	readonly #now: () => Date;

	/** Builds the service over a data-access object, the validated configuration and the request's facts. */
	constructor(db: Db, config: Config, context: RequestContext = {}) {
		this.db = db;
		this.#config = config;
		this.#clientIp = context.clientIp ?? null;
		this.#now = context.now ?? (() => new Date());
	}

	/** Builds the service for one request from the D1 binding, so callers never handle {@link Db}. */
	static fromD1(d1: D1Database, config: Config, context: RequestContext = {}): Auth {
		return new Auth(new Db(d1), config, context);
	}

	/** Creates a secret that expires `ttlSeconds` from now, with its digest. */
	async #issueSecret(ttlSeconds: number): Promise<IssuedSecret> {
		const secret = generateUuid();
		return {
			secret,
			digest: await digestSecret(secret),
			expiresAt: new Date(this.#now().getTime() + ttlSeconds * 1000),
		};
	}

	/** Tells whether an expiry time is still in the future. */
	#isLive(expiresAt: Date | null): expiresAt is Date {
		return expiresAt !== null && expiresAt > this.#now();
	}

	/**
	 * Throws the 400 error for a password that may not be set.
	 *
	 * @throws {AppError} `INVALID_INPUT` saying what the password lacks.
	 */
	#checkNewPassword(password: string): void {
		const violation = passwordPolicyViolation(password, this.#config.passwordMinLength);
		if (violation !== null) {
			throw new AppError("INVALID_INPUT", violation, { publicMessage: violation });
		}
	}

	/**
	 * Tells whether `password` is the user's, doing one full-cost bcrypt comparison whether or not there
	 * is a user, so an unknown email answers no faster than a wrong password.
	 */
	#passwordMatches(user: User | null, password: string): boolean {
		// A password bcrypt would truncate can match no stored one (none longer than 72 bytes is ever set).
		if (user === null || isTooLongForBcrypt(password)) {
			verifyPassword(password, dummyHash(this.#config.bcryptCost));
			return false;
		}
		return verifyPassword(password, user.hashedPassword);
	}

	/**
	 * Looks up the user with `email` and counts this attempt of `action` against the account and the
	 * client network, in one round trip, before any password work.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS`, with the seconds to wait, when a counter is over its limit.
	 */
	async #attempt(
		action: "login" | "reset",
		email: string,
		limits: Limits,
	): Promise<{ user: User | null; rules: AttemptRules }> {
		const now = this.#now();
		const rules = attemptRules(action, email, this.#clientIp, limits);
		const { user, counters } = await this.db.findUserCountingAttempt(email, countAttempt(rules, now));
		const wait = retryAfterSeconds(rules, counters, now);
		if (wait !== null) {
			throw new AppError("TOO_MANY_REQUESTS", `${action} throttled`, { retryAfterSeconds: wait });
		}
		return { user, rules };
	}

	/**
	 * Returns the normal form of an email that must be well formed (sign-up, reset requests).
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email.
	 */
	#wellFormedEmail(email: string): string {
		const normalized = normalizeEmail(email);
		if (!isValidEmail(normalized)) {
			throw new AppError("INVALID_INPUT", `invalid email ${JSON.stringify(email)}`, {
				publicMessage: "email is invalid",
			});
		}
		return normalized;
	}

	/**
	 * Creates a user with a bcrypt hash of `password` and returns it. The email is stored in normal form.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email or a password the policy refuses;
	 *   `EMAIL_ALREADY_REGISTERED`, with message `User <email> already exists`, for a taken email.
	 */
	async registerUser(email: string, password: string): Promise<User> {
		const normalized = this.#wellFormedEmail(email);
		this.#checkNewPassword(password);
		// No lookup first: the unique index decides, in the same round trip as the insert, even for
		// concurrent sign-ups. A taken email therefore costs one hash, like a new one.
		try {
			return await this.db.addUser(normalized, hashPassword(password, this.#config.bcryptCost));
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${normalized} already exists`, { cause: error });
			}
			throw error;
		}
	}

	/**
	 * Checks `password` against the account with `email`, counting the attempt against the account and
	 * the client network first; one bcrypt comparison whether or not the account exists. Returns the user
	 * and the counters touched when the password is right, or `null`.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account or the network has failed too often lately.
	 */
	async #checkCredentials(
		email: string,
		password: string,
	): Promise<{ user: User; rules: AttemptRules } | null> {
		const { user, rules } = await this.#attempt("login", normalizeEmail(email), this.#config.loginLimits);
		// Checked before looking at `user`, so an unknown email costs the same bcrypt work as a wrong password.
		const matches = this.#passwordMatches(user, password);
		return user !== null && matches ? { user, rules } : null;
	}

	/**
	 * Tells whether `password` is that of the account with `email`; throttled like a login, and a right
	 * password clears the account's failures.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account or the network has failed too often lately.
	 */
	protected async verifyCredentials(email: string, password: string): Promise<User | null> {
		const checked = await this.#checkCredentials(email, password);
		if (checked === null) {
			return null;
		}
		await this.db.forgetFailures(checked.rules.account.key, checked.rules.network?.key ?? null);
		return checked.user;
	}

	/** Starts a session for `user` and returns it with the raw id for the cookie. */
	protected async openSession(user: User): Promise<NewSession> {
		const { secret, digest, expiresAt } = await this.#issueSecret(this.#config.sessionTtlSeconds);
		await this.db.startSession(user.id, digest, expiresAt);
		return { user, sessionId: secret, expiresAt, renewed: false };
	}

	/**
	 * Checks the credentials and starts a session, with one bcrypt comparison and two round trips (one
	 * for a failure): the first reads the user and counts the attempt against the account and the client
	 * network; a success then stores the session, clears the account's count and takes the attempt back
	 * from the network's. Returns the new session, or `null` for a wrong email or password.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account or the network has failed too often lately.
	 */
	async logIn(email: string, password: string): Promise<NewSession | null> {
		const checked = await this.#checkCredentials(email, password);
		if (checked === null) {
			return null;
		}
		const { user, rules } = checked;
		const { secret, digest, expiresAt } = await this.#issueSecret(this.#config.sessionTtlSeconds);
		// A hash made at another cost is upgraded now, while the password is at hand: cost changes roll out
		// as users log in. This is the one case where a login does a second bcrypt operation.
		const rehashedPassword =
			costOf(user.hashedPassword) === this.#config.bcryptCost
				? null
				: hashPassword(password, this.#config.bcryptCost);
		await this.db.recordLogin({
			userId: user.id,
			sessionDigest: digest,
			sessionExpiresAt: expiresAt,
			rehashedPassword,
			accountCounter: rules.account.key,
			networkCounter: rules.network?.key ?? null,
		});
		return {
			user: { ...user, hashedPassword: rehashedPassword ?? user.hashedPassword },
			sessionId: secret,
			expiresAt,
			renewed: false,
		};
	}

	/**
	 * Returns the live session with the given id, or `null` when there is no id, no such session, or it has
	 * expired. A session with less than half its lifetime left is renewed to a full one.
	 */
	async validateSession(sessionId: string | null): Promise<Session | null> {
		if (sessionId === null) {
			return null;
		}
		const user = await this.db.userBySession(await digestSecret(sessionId));
		if (user === null || !this.#isLive(user.sessionExpiresAt)) {
			return null;
		}
		const ttlMs = this.#config.sessionTtlSeconds * 1000;
		const now = this.#now().getTime();
		if (user.sessionExpiresAt.getTime() - now >= ttlMs / 2) {
			return { user, expiresAt: user.sessionExpiresAt, renewed: false };
		}
		const expiresAt = new Date(now + ttlMs);
		await this.db.renewSession(user.id, expiresAt);
		return { user: { ...user, sessionExpiresAt: expiresAt }, expiresAt, renewed: true };
	}

	/**
	 * Ends the live session with the given id in one conditional update; returns `false` when there is no
	 * such live session.
	 */
	async endSession(sessionId: string | null): Promise<boolean> {
		if (sessionId === null) {
			return false;
		}
		return this.db.endSession(await digestSecret(sessionId), this.#now());
	}

	/** Tells whether the database answers a trivial query, for health checks; never throws. */
	async databaseIsReachable(): Promise<boolean> {
		try {
			await this.db.ping();
			return true;
		} catch {
			return false;
		}
	}

	/** Deletes throttle counters whose window has ended and returns how many; run on a schedule. */
	async purgeExpiredCounters(): Promise<number> {
		return this.db.purgeExpiredCounters(this.#now());
	}

	/**
	 * Issues a password-reset token for the user with `email` and returns it; only its digest is stored.
	 * Every request counts against the account and the client IP.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email, `UNKNOWN_EMAIL` when no user has it,
	 *   `TOO_MANY_REQUESTS` when the account or the IP asked too often lately.
	 */
	async getResetPasswordToken(email: string): Promise<string> {
		const normalized = this.#wellFormedEmail(email);
		const { user } = await this.#attempt("reset", normalized, this.#config.resetLimits);
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${normalized} does not exist`);
		}
		const token = await this.#issueSecret(this.#config.resetTokenTtlSeconds);
		await this.db.storeResetToken(user.id, token.digest, token.expiresAt);
		return token.secret;
	}

	/**
	 * Sets a new password for the holder of `resetToken`, spends the token and ends the user's session.
	 * When `email` is given, the token is only valid for that account. Of two concurrent calls with one
	 * token, exactly one succeeds.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a password the policy refuses; `INVALID_RESET_TOKEN` when the
	 *   token is unknown, expired, spent, or was issued for another email.
	 */
	async updatePassword(resetToken: string, password: string, email?: string): Promise<void> {
		this.#checkNewPassword(password);
		const digest = await digestSecret(resetToken);
		const user = await this.db.userByResetToken(
			digest,
			email === undefined ? undefined : normalizeEmail(email),
		);
		if (user === null || !this.#isLive(user.resetTokenExpiresAt)) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token is unknown, expired or for another email");
		}
		const hashedPassword = hashPassword(password, this.#config.bcryptCost);
		if (!(await this.db.spendResetToken(user.id, digest, hashedPassword))) {
			throw new AppError("INVALID_RESET_TOKEN", "the reset token was spent by a concurrent request");
		}
	}
}
