/**
 * Data access: the only module that queries D1, through Drizzle. {@link Db} holds one store per concern
 * (`users`, `sessions`, `throttle`, `email`), whose lookups answer `null` when nothing matches and whose
 * writes are named after what they mean to the service, batched where several must happen together. The
 * original exercise's `addUser`, `findUserBy` and `updateUser`, with their errors, sit on `Db` itself.
 *
 * @module
 */
import { eq, lte, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { D1Client } from "./connection";
import { EmailStore } from "./email-store";
import { IntegrityError, NoResultFound } from "./errors";
import { EventStore, trimEventsStatement } from "./event-store";
import { isUniqueViolation, type Orm } from "./orm";
import {
	emailDeliveries,
	emailTokens,
	securityEvents,
	sessions,
	throttleCounters,
	type User,
	users,
} from "./schema";
import { type LiveAt, SessionStore } from "./session-store";
import { ThrottleStore } from "./throttle-store";
import { checkChanges, type UserChanges, type UserFilter, userCondition } from "./user-filters";
import { UserStore } from "./user-store";

export type { NewSecurityEvent } from "./event-store";
export type { LiveAt, LoginRecord, NewSessionRecord } from "./session-store";
export type { CounterIncrement } from "./throttle-store";
export type { UserChanges, UserFilter } from "./user-filters";
export type { Authority } from "./user-store";

/** How long the ids of delivered email messages are kept: longer than a message can wait in a queue. */
const DELIVERY_MEMORY_MS = 7 * 24 * 3600 * 1000;

/** How long security events are kept. */
const EVENT_MEMORY_MS = 90 * 24 * 3600 * 1000;

/** How many rows of each kind a purge deleted. */
export interface Purged {
	readonly counters: number;
	readonly sessions: number;
	readonly emailTokens: number;
	readonly deliveries: number;
	readonly events: number;
}

/**
 * Wraps Drizzle over a D1 binding and exposes the queries the rest of the service needs. Drizzle and the
 * stores are built on first use: a request that never queries (the welcome route, a form page) builds
 * none of them.
 */
export class Db {
	readonly #client: D1Client;
	#drizzle: Orm | undefined;
	#users: UserStore | undefined;
	#sessions: SessionStore | undefined;
	#throttle: ThrottleStore | undefined;
	#email: EmailStore | undefined;
	#events: EventStore | undefined;

	/** Builds the wrapper around the request's `Connection` (or, in tests and tools, a D1 binding). */
	constructor(d1: D1Client) {
		this.#client = d1;
	}

	get #orm(): Orm {
		// Drizzle's D1 driver only calls `prepare` and `batch`, but its type asks for the whole binding
		// (`exec`, `dump`, `withSession`), which a D1 session does not have: the one cast to it is here.
		this.#drizzle ??= drizzle(this.#client as D1Database);
		return this.#drizzle;
	}

	/** Accounts: lookups, reset tokens, password changes, deletion. */
	get users(): UserStore {
		this.#users ??= new UserStore(this.#orm);
		return this.#users;
	}

	/** Sessions per device. */
	get sessions(): SessionStore {
		this.#sessions ??= new SessionStore(this.#orm);
		return this.#sessions;
	}

	/** Failed-attempt counters. */
	get throttle(): ThrottleStore {
		this.#throttle ??= new ThrottleStore(this.#orm);
		return this.#throttle;
	}

	/** Email tokens and delivered messages. */
	get email(): EmailStore {
		this.#email ??= new EmailStore(this.#orm);
		return this.#email;
	}

	/** Security events per account. */
	get events(): EventStore {
		this.#events ??= new EventStore(this.#orm);
		return this.#events;
	}

	/**
	 * Saves a new user with the given email and password hash and returns the stored row.
	 *
	 * @throws {IntegrityError} when a user with that email already exists.
	 */
	async addUser(email: string, hashedPassword: string, createdAt = new Date()): Promise<User> {
		try {
			return await this.#orm.insert(users).values({ email, hashedPassword, createdAt }).returning().get();
		} catch (error) {
			if (isUniqueViolation(error)) {
				throw new IntegrityError("a user with that email already exists", { cause: error });
			}
			throw error;
		}
	}

	/**
	 * The original exercise's lookup: the first user whose attributes equal every entry of `filter`.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 * @throws {NoResultFound} when no user matches.
	 */
	async findUserBy(filter: UserFilter): Promise<User> {
		const user = await this.#orm.select().from(users).where(userCondition(filter)).get();
		if (user === undefined) {
			throw new NoResultFound("no user matches the filter");
		}
		return user;
	}

	/**
	 * The original exercise's update: applies `changes` to the user with the given id, in one statement.
	 *
	 * @throws {ValueError} when `changes` names an attribute the model lacks, or the primary key.
	 * @throws {NoResultFound} when no user has that id.
	 */
	async updateUser(id: number, changes: UserChanges): Promise<void> {
		checkChanges(changes);
		const updated =
			Object.keys(changes).length === 0
				? await this.users.byId(id)
				: await this.#orm
						.update(users)
						.set(changes)
						.where(eq(users.id, id))
						.returning({ id: users.id })
						.get();
		if (updated == null) {
			throw new NoResultFound(`no user has id ${id}`);
		}
	}

	/** Runs a trivial query; resolves when the database answers, rejects when it cannot be reached. */
	async ping(): Promise<void> {
		await this.#orm.run(sql`SELECT 1`);
	}

	/**
	 * Deletes what is dead at `at`, in one batch: throttle counters whose window ended, sessions no longer
	 * live, expired email tokens, the memory of deliveries older than a week, and security events older
	 * than 90 days or beyond an account's bound; returns how many rows of each.
	 */
	async purgeExpired(at: LiveAt): Promise<Purged> {
		const { now } = at;
		const results = await this.#orm.batch([
			this.#orm.delete(throttleCounters).where(lte(throttleCounters.resetAt, now)),
			this.#orm
				.delete(sessions)
				.where(or(lte(sessions.expiresAt, now), lte(sessions.createdAt, at.bornAfter))),
			this.#orm.delete(emailTokens).where(lte(emailTokens.expiresAt, now)),
			this.#orm
				.delete(emailDeliveries)
				.where(lte(emailDeliveries.claimedAt, new Date(now.getTime() - DELIVERY_MEMORY_MS))),
			this.#orm
				.delete(securityEvents)
				.where(lte(securityEvents.createdAt, new Date(now.getTime() - EVENT_MEMORY_MS))),
			trimEventsStatement(this.#orm),
		]);
		const [counters, ended, tokens, deliveries, old, trimmed] = results.map((result) => result.meta.changes);
		return {
			counters: counters ?? 0,
			sessions: ended ?? 0,
			emailTokens: tokens ?? 0,
			deliveries: deliveries ?? 0,
			events: (old ?? 0) + (trimmed ?? 0),
		};
	}
}
