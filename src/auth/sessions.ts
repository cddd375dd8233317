/**
 * Sessions, one per device: the one place that starts them (a login, a sign-up from the pages), resolves
 * them on each request (one round trip, renewed at most once a day), lists them and ends them. The same
 * verbs run down the layers: the HTTP layer's `RequestSessionCookie` starts, resolves and ends through
 * these methods, which start, resolve and end through `Db.sessions`.
 *
 * @module
 */
import type { LiveAt, NewSessionRecord } from "../db/db";
import type { SessionRow, User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, outboxOf } from "./context";
import type { Credentials } from "./credentials";
import { withDeviceToken } from "./device-cookie";
import { wellFormedEmail } from "./email";
import { keysOf } from "./keys";
import { hashNewPassword, needsRehash } from "./password";
import { digestSecret, newPublicId, newSecret } from "./secrets";
import { expiryOf, isRenewalDue, type SessionLifetimes } from "./session-policy";
import type { Throttle } from "./throttle";
import type { TokenHandout } from "./token-handout";

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

/** How long a verification link stays too fresh to be replaced by one a refused login sends. */
const FRESH_LINK_MS = 15 * 60 * 1000;

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

/** A session started on this device, with the device cookie's new value (the device remembered). */
export interface StartedSession {
	readonly session: NewSession;
	readonly deviceCookie: string;
}

/** Starts, resolves, lists and ends sessions. */
export class Sessions {
	readonly #context: AuthContext;
	readonly #throttle: Throttle;
	readonly #credentials: Credentials;
	readonly #handout: TokenHandout;

	/** Builds the service over the request's context, its throttle, credential checks and token hand-out. */
	constructor(context: AuthContext, throttle: Throttle, credentials: Credentials, handout: TokenHandout) {
		this.#context = context;
		this.#throttle = throttle;
		this.#credentials = credentials;
		this.#handout = handout;
	}

	get #lifetimes(): SessionLifetimes {
		const { config } = this.#context;
		return { ttlSeconds: config.sessionTtlSeconds, maxLifetimeSeconds: config.sessionMaxLifetimeSeconds };
	}

	/** The moment sessions are judged at: now, and the oldest creation time the absolute lifetime allows. */
	liveAt(): LiveAt {
		const now = this.#context.now();
		return { now, bornAfter: new Date(now.getTime() - this.#lifetimes.maxLifetimeSeconds * 1000) };
	}

	/**
	 * Creates a session for `user` on this request's device, not yet stored: the record to store, and the
	 * session with its raw id. `createdAt` carries the absolute lifetime over when a session is replaced.
	 */
	async create(user: User, createdAt?: Date): Promise<{ record: NewSessionRecord; session: NewSession }> {
		const liveAt = this.liveAt();
		const sessionId = newSecret(this.#handout.secretFormat);
		const born = createdAt ?? liveAt.now;
		const row: SessionRow = {
			id: await digestSecret(sessionId),
			publicId: newPublicId(),
			userId: user.id,
			createdAt: born,
			lastUsedAt: liveAt.now,
			expiresAt: expiryOf(born, liveAt.now, this.#lifetimes),
			userAgent: this.#context.userAgent,
		};
		return {
			record: { row, maxPerUser: this.#context.config.sessionsPerUser, liveAt },
			session: { ...toSession(user, row, false), sessionId },
		};
	}

	/**
	 * Starts a session for `user` on this request's device and returns it with the raw id for the cookie,
	 * or `null` when the user no longer exists.
	 */
	async start(user: User): Promise<NewSession | null> {
		const { record, session } = await this.create(user);
		return (await this.#context.db.sessions.start(record)) ? session : null;
	}

	/**
	 * Checks the credentials and starts a session on this request's device, leaving the user's other
	 * sessions alone, with one bcrypt comparison and two round trips (one for a failure): the first reads
	 * the user and counts the attempt against the account and the client network; a success then stores
	 * the session (ending the oldest beyond the cap), clears the account's count and takes the attempt
	 * back from the network's. Returns the new session, with the device cookie's new value (this device
	 * now remembered for the account), or `null` for a wrong email or password.
	 *
	 * A right password of an account whose address is not verified, when `REQUIRE_VERIFIED_EMAIL` is on,
	 * is answered like a wrong one in `email` mode (and a fresh link goes to the address after the answer).
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email; `TOO_MANY_REQUESTS` when the account (or
	 *   this device) or the network has failed too often lately; in `response` mode
	 *   `EMAIL_NOT_VERIFIED` for a right password when `REQUIRE_VERIFIED_EMAIL` is on and the address is
	 *   not verified (only after the password check, so it tells nothing to whoever lacks the password).
	 */
	async logIn(email: string, password: string): Promise<StartedSession | null> {
		const { config, events } = this.#context;
		const normalized = wellFormedEmail(email);
		const attempt = await this.#throttle.attempt("login", normalized, config.loginLimits);
		const checked = await this.#credentials.verify(attempt, normalized, password, "login");
		if (checked === null) {
			return null;
		}
		const { user, rules } = checked;
		const account = { email: user.email, userId: user.id };
		if (config.requireVerifiedEmail && user.emailVerifiedAt === null) {
			await events.record({ name: "login", outcome: "refused", ...account, detail: "unverified" });
			if (this.#handout.mailboxOnly) {
				// Answered, and counted, like a wrong password: otherwise signing up with an address and then
				// logging in would tell whether it was taken (a taken one answers "wrong password", a new
				// one "not verified"). The owner gets a fresh link instead, sent after the answer.
				this.#context.afterAnswer.add(() => this.#resendVerification(user));
				return null;
			}
			await this.#throttle.forgive(rules);
			throw new AppError("EMAIL_NOT_VERIFIED");
		}
		const { record, session } = await this.create(user);
		// A hash made at another cost, or under the old scheme, is made anew while the password is at hand:
		// cost changes roll out as users log in. The one case of a second bcrypt operation in a login.
		const rehashedPassword = needsRehash(user.hashedPassword, config.bcryptCost)
			? await hashNewPassword(config, password)
			: null;
		const stored = await this.#context.db.sessions.startAfterLogin({
			session: record,
			verifiedHash: user.hashedPassword,
			rehashedPassword,
			accountCounter: rules.subject.key,
			networkCounter: rules.network?.key ?? null,
		});
		if (!stored) {
			// The password changed (or the account went) between the check and the write.
			await events.record({ name: "login", outcome: "failure", ...account, detail: "changed" });
			return null;
		}
		// A browser without a valid device cookie for the account (or with one of an earlier password) is a
		// new device to it: the owner's recent activity says so.
		const newDevice = rules.subject.kind === "account";
		await events.record({
			name: "login",
			outcome: "success",
			...account,
			...(newDevice ? { detail: "new-device" } : {}),
		});
		return { session, deviceCookie: await this.#rememberDevice(user) };
	}

	/**
	 * Queues a verification link for `user`, whose right password was refused because the address is
	 * not verified yet (`email` mode), at most as often as verification requests are allowed per account,
	 * and not while the link sent last is fresh: a new link replaces the old one, and someone who signs up
	 * and tries to log in at once should find the first link still working.
	 */
	async #resendVerification(user: User): Promise<void> {
		const { config, db } = this.#context;
		const issuedAt = await db.email.liveTokenIssuedAt(user.id, "verify-email", this.#context.now());
		if (issuedAt !== null && this.#context.now().getTime() - issuedAt.getTime() < FRESH_LINK_MS) {
			return;
		}
		const accountRef = await keysOf(config).accountRef(user.email);
		const rule = { key: `verify:login:${accountRef}`, limit: config.resetLimits.perAccount };
		if (await this.#throttle.withinLimit(rule)) {
			await outboxOf(this.#context).send({ kind: "verify-email", email: user.email });
			await this.#context.events.record({
				name: "verification.requested",
				outcome: "success",
				email: user.email,
				userId: user.id,
			});
		}
	}

	/**
	 * Starts a session on this device for a user who has just chosen a password (a sign-up from the
	 * pages), as a login would: the login event, and the device cookie. Returns `null` when the user no
	 * longer exists.
	 */
	async startAfterSignUp(user: User): Promise<StartedSession | null> {
		const session = await this.start(user);
		if (session === null) {
			return null;
		}
		await this.#context.events.record({
			name: "login",
			outcome: "success",
			email: user.email,
			userId: user.id,
		});
		return { session, deviceCookie: await this.#rememberDevice(user) };
	}

	/**
	 * Returns the device cookie's new value, with a token for `user`'s account under its current password
	 * generation: what a device that just proved the password keeps.
	 */
	async deviceCookieFor(user: User): Promise<string> {
		const keys = keysOf(this.#context.config);
		return withDeviceToken(
			this.#context.deviceCookie,
			await keys.accountRef(user.email),
			user.passwordGeneration,
			keys,
		);
	}

	/** Returns the device cookie's new value, this device now remembered for `user`'s account. */
	async #rememberDevice(user: User): Promise<string> {
		const deviceCookie = await this.deviceCookieFor(user);
		await this.#context.events.record({
			name: "device.remembered",
			outcome: "success",
			email: user.email,
			userId: user.id,
		});
		return deviceCookie;
	}

	/**
	 * Returns the live session with the given id, or `null` when there is no id, no such session, or it has
	 * expired: one round trip, the session joined to its user. A session last recorded as used more than
	 * a renewal interval ago is renewed (one more write): its expiry moves a full TTL ahead, up to its
	 * absolute lifetime.
	 */
	async resolve(sessionId: string | null): Promise<Session | null> {
		return sessionId === null ? null : ((await this.resolveAmong([sessionId]))?.session ?? null);
	}

	/**
	 * Like {@link resolve}, for a request that carries several session ids (two `session_id` cookies,
	 * one planted by another site of the same domain, say): the request has a session only when exactly
	 * one of them is live, so a planted cookie can neither stand in for the real one nor be chosen over
	 * it. Returns the session with its id, or `null`; one round trip either way.
	 */
	async resolveAmong(sessionIds: readonly string[]): Promise<{ session: Session; sessionId: string } | null> {
		if (sessionIds.length === 0) {
			return null;
		}
		const liveAt = this.liveAt();
		const { now } = liveAt;
		const digests = await Promise.all(sessionIds.map((id) => digestSecret(id)));
		const found = await this.#context.db.sessions.resolve(digests, liveAt);
		if (found.length !== 1 || found[0] === undefined) {
			return null;
		}
		const { session, user } = found[0];
		const sessionId = sessionIds[digests.indexOf(session.id)] ?? "";
		return { session: await this.#renewIfDue(user, session, now), sessionId };
	}

	/** Returns the session, renewed first (one write) when a renewal is due at `now`. */
	async #renewIfDue(user: User, session: SessionRow, now: Date): Promise<Session> {
		if (!isRenewalDue(session.lastUsedAt, now, this.#lifetimes)) {
			return toSession(user, session, false);
		}
		const expiresAt = expiryOf(session.createdAt, now, this.#lifetimes);
		await this.#context.db.sessions.renew(session.id, now, expiresAt);
		return toSession(user, { ...session, lastUsedAt: now, expiresAt }, true);
	}

	/**
	 * Ends the live session with the given id in one conditional delete; returns `false` when there is no
	 * such live session. The user's other sessions go on.
	 */
	async end(sessionId: string | null): Promise<boolean> {
		if (sessionId === null) {
			return false;
		}
		const userId = await this.#context.db.sessions.end(await digestSecret(sessionId), this.liveAt());
		if (userId !== null) {
			await this.#context.events.record({ name: "session.ended", outcome: "success", userId });
		}
		return userId !== null;
	}

	/**
	 * Ends every session of the user holding the live session with the given id, in one statement;
	 * returns `false` when there is no such live session.
	 */
	async endEverywhere(sessionId: string | null): Promise<boolean> {
		if (sessionId === null) {
			return false;
		}
		const userId = await this.#context.db.sessions.endEverywhere(
			await digestSecret(sessionId),
			this.liveAt(),
		);
		if (userId !== null) {
			await this.#context.events.record({ name: "sessions.ended_all", outcome: "success", userId });
		}
		return userId !== null;
	}

	/** Lists the live sessions of the user of `current`, newest first, marking `current`. */
	async list(current: Session): Promise<SessionSummary[]> {
		const rows = await this.#context.db.sessions.liveOf(current.user.id, this.liveAt());
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
	 * @throws {AppError} `SESSION_NOT_FOUND` when the user has no live session with that identifier.
	 */
	async endById(current: Session, publicId: string): Promise<{ wasCurrent: boolean }> {
		const ended = await this.#context.db.sessions.endById(current.user.id, publicId, this.liveAt());
		if (ended === null) {
			throw new AppError("SESSION_NOT_FOUND");
		}
		await this.#context.events.record({
			name: "session.revoked",
			outcome: "success",
			userId: current.user.id,
		});
		return { wasCurrent: ended === current.key };
	}

	/** Ends every session of the user of `current` but `current` itself; returns how many live ones ended. */
	async endOthers(current: Session): Promise<number> {
		const ended = await this.#context.db.sessions.endOthers(current.user.id, current.key, this.liveAt());
		await this.#context.events.record({
			name: "sessions.ended_others",
			outcome: "success",
			userId: current.user.id,
		});
		return ended;
	}

	/** Ends every session of the user with `userId`. */
	async endAll(userId: number): Promise<void> {
		await this.#context.db.sessions.endAll(userId);
	}
}
