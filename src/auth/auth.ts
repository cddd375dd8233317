/**
 * Authentication use cases: registration, credential checks, sessions per device, password changes and
 * resets, account deletion. The HTTP layer talks to {@link Auth} only; {@link Db} stays behind it.
 *
 * @module
 */
import type { Config, Limits } from "../config";
import { Db } from "../db/db";
import { IntegrityError } from "../db/errors";
import type { SessionRow, User } from "../db/schema";
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
import { digestSecret, newPublicId, newSecret } from "./secrets";
import { expiryOf, isRenewalDue, type SessionLifetimes } from "./session-policy";
import { type AttemptRules, attemptRules, countAttempt, retryAfterSeconds } from "./throttle";

/** Longest user agent kept with a session; enough to tell a browser and a device apart. */
const USER_AGENT_MAX_LENGTH = 256;

/** Facts about the request an {@link Auth} serves. */
export interface RequestContext {
	/** The client's IP address (`CF-Connecting-IP`), or `null` when unknown; used for throttling. */
	readonly clientIp?: string | null;
	/** The client's `User-Agent`, kept (truncated) with the sessions it starts. */
	readonly userAgent?: string | null;
	/** The clock; tests replace it to reach expiry without waiting. */
	readonly now?: () => Date;
}

/** A live session as the HTTP layer needs it: whose it is, what names it, and when it expires. */
export interface Session {
	readonly user: User;
	/** The digest of the session id: its key in storage, never sent to the client. */
	readonly key: string;
	/** The identifier its owner sees in the list of sessions. */
	readonly publicId: string;
	readonly createdAt: Date;
	readonly lastUsedAt: Date;
	readonly expiresAt: Date;
	readonly userAgent: string | null;
	/** Whether the expiry was just pushed back, so the cookie must be sent again. */
	readonly renewed: boolean;
}

/** A session just started, with the raw id for the cookie. */
export interface NewSession extends Session {
	readonly sessionId: string;
}

/** One of a user's sessions, as listed to its owner. */
export interface SessionSummary {
	readonly publicId: string;
	readonly createdAt: Date;
	readonly lastUsedAt: Date;
	readonly expiresAt: Date;
	readonly userAgent: string | null;
	/** Whether it is the session the listing was asked from. */
	readonly current: boolean;
}

/** Registers users, checks credentials and manages their sessions, passwords and reset tokens. */
export class Auth {
	/** The data access this service runs on; {@link SeedAuth} reads it too. */
	protected readonly db: Db;
	readonly #config: Config;
	readonly #clientIp: string | null;
	readonly #userAgent: string | null;
	readonly #now: () => Date;

	/** Builds the service over a data-access object, the validated configuration and the request's facts. */
	constructor(db: Db, config: Config, context: RequestContext = {}) {
		this.db = db;
		this.#config = config;
		this.#clientIp = context.clientIp ?? null;
		this.#userAgent = context.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null;
		this.#now = context.now ?? (() => new Date());
	}

	/** Builds the service for one request from the D1 binding, so callers never handle {@link Db}. */
	static fromD1(d1: D1Database, config: Config, context: RequestContext = {}): Auth {
		return new Auth(new Db(d1), config, context);
	}

	get #lifetimes(): SessionLifetimes {
		return {
			ttlSeconds: this.#config.sessionTtlSeconds,
			maxLifetimeSeconds: this.#config.sessionMaxLifetimeSeconds,
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
	 * Checks the password of the session's user before a sensitive change, throttled like a login.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when it is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async #confirmPassword(session: Session, password: string): Promise<{ user: User; rules: AttemptRules }> {
		const checked = await this.#checkCredentials(session.user.email, password);
		// The account may have been deleted or renamed since the session was read: same answer.
		if (checked === null || checked.user.id !== session.user.id) {
			throw new AppError("WRONG_PASSWORD");
		}
		return checked;
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

	/** Creates a session for `user`, not yet stored: the row to store and the session with its raw id. */
	async #newSession(user: User): Promise<{ row: SessionRow; session: NewSession }> {
		const now = this.#now();
		const sessionId = newSecret();
		const row: SessionRow = {
			id: await digestSecret(sessionId),
			publicId: newPublicId(),
			userId: user.id,
			createdAt: now,
			lastUsedAt: now,
			expiresAt: expiryOf(now, now, this.#lifetimes),
			userAgent: this.#userAgent,
		};
		return { row, session: { ...toSession(user, row, false), sessionId } };
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

	/** Starts a session for `user` on this request's device and returns it with the raw id for the cookie. */
	protected async openSession(user: User): Promise<NewSession> {
		const { row, session } = await this.#newSession(user);
		await this.db.startSession({ row, maxPerUser: this.#config.sessionsPerUser });
		return session;
	}

	/**
	 * Checks the credentials and starts a session on this request's device, leaving the user's other
	 * sessions alone, with one bcrypt comparison and two round trips (one for a failure): the first reads
	 * the user and counts the attempt against the account and the client network; a success then stores
	 * the session (ending the oldest beyond the cap), clears the account's count and takes the attempt
	 * back from the network's. Returns the new session, or `null` for a wrong email or password.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account or the network has failed too often lately.
	 */
	async logIn(email: string, password: string): Promise<NewSession | null> {
		const checked = await this.#checkCredentials(email, password);
		if (checked === null) {
			return null;
		}
		const { user, rules } = checked;
		const { row, session } = await this.#newSession(user);
		// A hash made at another cost is upgraded now, while the password is at hand: cost changes roll out
		// as users log in. This is the one case where a login does a second bcrypt operation.
		const rehashedPassword =
			costOf(user.hashedPassword) === this.#config.bcryptCost
				? null
				: hashPassword(password, this.#config.bcryptCost);
		await this.db.recordLogin({
			session: { row, maxPerUser: this.#config.sessionsPerUser },
			rehashedPassword,
			accountCounter: rules.account.key,
			networkCounter: rules.network?.key ?? null,
		});
		return session;
	}

	/**
	 * Returns the live session with the given id, or `null` when there is no id, no such session, or it has
	 * expired: one round trip, the session joined to its user. A session last recorded as used more than
	 * a renewal interval ago is renewed (one more write): its expiry moves a full TTL ahead, up to its
	 * absolute lifetime.
	 */
	async validateSession(sessionId: string | null): Promise<Session | null> {
		if (sessionId === null) {
			return null;
		}
		const now = this.#now();
		const found = await this.db.liveSession(await digestSecret(sessionId), now);
		if (found === null) {
			return null;
		}
		const { session, user } = found;
		if (!isRenewalDue(session.lastUsedAt, now, this.#lifetimes)) {
			return toSession(user, session, false);
		}
		const expiresAt = expiryOf(session.createdAt, now, this.#lifetimes);
		await this.db.renewSession(session.id, now, expiresAt);
		return toSession(user, { ...session, lastUsedAt: now, expiresAt }, true);
	}

	/**
	 * Ends the live session with the given id in one conditional delete; returns `false` when there is no
	 * such live session. The user's other sessions go on.
	 */
	async endSession(sessionId: string | null): Promise<boolean> {
		if (sessionId === null) {
			return false;
		}
		return this.db.endSession(await digestSecret(sessionId), this.#now());
	}

	/** Lists the live sessions of the session's user, newest first, marking the one asked from. */
	async listSessions(current: Session): Promise<SessionSummary[]> {
		const rows = await this.db.liveSessionsOf(current.user.id, this.#now());
		return rows.map((row) => ({
			publicId: row.publicId,
			createdAt: row.createdAt,
			lastUsedAt: row.lastUsedAt,
			expiresAt: row.expiresAt,
			userAgent: row.userAgent,
			current: row.id === current.key,
		}));
	}

	/**
	 * Ends the session named `publicId` if it belongs to the user of `current`; returns whether it was
	 * `current` itself.
	 *
	 * @throws {AppError} `SESSION_NOT_FOUND` when the user has no session with that identifier.
	 */
	async revokeSession(current: Session, publicId: string): Promise<{ wasCurrent: boolean }> {
		const ended = await this.db.endSessionByPublicId(current.user.id, publicId);
		if (ended === null) {
			throw new AppError("SESSION_NOT_FOUND");
		}
		return { wasCurrent: ended === current.key };
	}

	/** Ends every session of the user of `current` but `current` itself; returns how many live ones ended. */
	async endOtherSessions(current: Session): Promise<number> {
		return this.db.endOtherSessions(current.user.id, current.key, this.#now());
	}

	/** Ends every session of the user of `current`, `current` included. */
	async endAllSessions(current: Session): Promise<void> {
		await this.db.endAllSessions(current.user.id);
	}

	/**
	 * Changes the password of the session's user after checking the current one (throttled like a login):
	 * every other session ends, this one goes on, and any reset token stops working.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a new password the policy refuses; `WRONG_PASSWORD` when
	 *   `currentPassword` is not theirs; `TOO_MANY_REQUESTS` when the account has failed too often lately.
	 */
	async changePassword(current: Session, currentPassword: string, newPassword: string): Promise<void> {
		this.#checkNewPassword(newPassword);
		const { user, rules } = await this.#confirmPassword(current, currentPassword);
		await this.db.changePassword(
			{
				userId: user.id,
				hashedPassword: hashPassword(newPassword, this.#config.bcryptCost),
				keep: current.key,
			},
			rules.account.key,
			rules.network?.key ?? null,
		);
	}

	/**
	 * Deletes the account of the session's user after checking its password (throttled like a login),
	 * with every session and token it has.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when `password` is not theirs; `TOO_MANY_REQUESTS` when throttled.
	 */
	async deleteAccount(current: Session, password: string): Promise<void> {
		const { user, rules } = await this.#confirmPassword(current, password);
		await this.db.deleteUser(user.id, rules.account.key);
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

	/** Deletes spent throttle counters and expired sessions and returns how many; run on a schedule. */
	async purgeExpired(): Promise<{ counters: number; sessions: number }> {
		return this.db.purgeExpired(this.#now());
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
		const token = newSecret();
		const expiresAt = new Date(this.#now().getTime() + this.#config.resetTokenTtlSeconds * 1000);
		await this.db.storeResetToken(user.id, await digestSecret(token), expiresAt);
		return token;
	}

	/**
	 * Sets a new password for the holder of `resetToken`, spends the token and ends every session of the
	 * user. When `email` is given, the token is only valid for that account. Of two concurrent calls with
	 * one token, exactly one succeeds.
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

/** Builds the {@link Session} the HTTP layer sees from a stored row and its user. */
function toSession(user: User, row: SessionRow, renewed: boolean): Session {
	return {
		user,
		key: row.id,
		publicId: row.publicId,
		createdAt: row.createdAt,
		lastUsedAt: row.lastUsedAt,
		expiresAt: row.expiresAt,
		userAgent: row.userAgent,
		renewed,
	};
}
