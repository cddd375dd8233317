/**
 * How a request reaches D1: through one D1 replica session (the Sessions API of read replication; no
 * relation to a user's login session), opened on the first query, with bounded retries of the round
 * trips that only read.
 *
 * - **Replica sessions.** A request that only reads starts from the client's bookmark, or anywhere
 *   (`"first-unconstrained"`): the nearest replica may answer, and it is at least as new as the bookmark,
 *   so a client always reads its own writes. A request that writes starts at the primary
 *   (`"first-primary"`). Inside a replica session D1 sends every write to the primary, and later
 *   reads in it see it: a rare write on a read path (a login session's daily renewal) needs nothing more.
 * - **Transient failures.** The errors D1 documents as worth retrying ("Network connection lost", a
 *   storage reset) are retried with jittered exponential backoff, at most {@link MAX_ATTEMPTS} tries in
 *   all, for round trips that only read. Writes are not retried here: each write of this service either
 *   reports what it changed (a delete that ends a session answers whose session it was), and a retry of
 *   one D1 had applied before its answer was lost would report nothing; or it is not idempotent (counters,
 *   inserts); or, run again later, it could undo what another request wrote meanwhile. The client is told
 *   to retry the whole request; the cron and the queue retry on their own. An overloaded database is not
 *   retried at all. Whatever is not recovered becomes a {@link DatabaseUnavailableError}, which the app
 *   answers 503 with `Retry-After`.
 *
 * @module
 */
import { DatabaseUnavailableError } from "./errors";

/** What {@link Db} needs of D1: the binding itself, a D1 session or a {@link Connection} all have it. */
export type D1Client = Pick<D1Database, "prepare" | "batch">;

/**
 * Where a request's D1 replica session starts (D1's "session", unrelated to a user's login session): a
 * constraint, or a bookmark the client sent back.
 */
export type ReplicaStart = D1SessionConstraint | D1SessionBookmark;

/** Most tries of one round trip, the first included. */
const MAX_ATTEMPTS = 3;

/** Backoff before the second try; each later one doubles it. The wait is a random share of it. */
const BASE_DELAY_MS = 20;

/**
 * Messages of the D1 errors a retry may cure (Cloudflare's D1 error list, "Retry the operation"), in
 * lower case: they are matched without regard to case.
 */
const RETRYABLE = [
	"network connection lost",
	"storage caused object to be reset",
	"reset because its code was updated",
	"cannot resolve d1 db due to transient issue",
];

/** Messages of D1 errors that mean "not now", where retrying at once would only add to the load. */
const UNAVAILABLE = ["d1 db is overloaded", "exceeded timeout which caused object to be reset"];

/** Whether a statement only reads: a `select` (Drizzle writes keywords in lower case) with no `returning`. */
function onlyReads(sql: string): boolean {
	return /^\s*select\b/i.test(sql) && !/\breturning\b/i.test(sql);
}

/** How a failure of D1 should be met: retried, answered "unavailable", or left to propagate. */
function classify(error: unknown): "retry" | "unavailable" | null {
	const message = (error instanceof Error ? error.message : String(error)).toLowerCase();
	if (RETRYABLE.some((text) => message.includes(text))) {
		return "retry";
	}
	return UNAVAILABLE.some((text) => message.includes(text)) ? "unavailable" : null;
}

/** Waits a random time up to `BASE_DELAY_MS × 2^(attempt − 1)` ("full jitter"). */
function backoff(attempt: number): Promise<void> {
	const ms = Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1);
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A prepared statement that remembers its SQL and runs through its {@link Connection}'s retries. */
class Statement {
	constructor(
		/** The statement of the D1 session. */
		readonly real: D1PreparedStatement,
		/** Its SQL, to tell what it does. */
		readonly sql: string,
		private readonly connection: Connection,
	) {}

	bind(...values: unknown[]): Statement {
		return new Statement(this.real.bind(...values), this.sql, this.connection);
	}

	first<T>(column?: string): Promise<T | null> {
		return this.connection.attempt(onlyReads(this.sql), () =>
			column === undefined ? this.real.first<T>() : this.real.first<T>(column),
		);
	}

	run<T>(): Promise<D1Result<T>> {
		return this.connection.attempt(onlyReads(this.sql), () => this.real.run<T>());
	}

	all<T>(): Promise<D1Result<T>> {
		return this.connection.attempt(onlyReads(this.sql), () => this.real.all<T>());
	}

	raw<T extends unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
		// D1's overloads tell the two forms apart; the rows are the same either way.
		return this.connection.attempt(onlyReads(this.sql), () =>
			this.real.raw<T>(options as { columnNames?: false }),
		);
	}
}

/**
 * One request's (or queue batch's) way to D1: a D1 replica session opened on the first query from
 * `start()`, whose bookmark the request hands back to its client, and the retries described above.
 */
export class Connection {
	#replica: D1DatabaseSession | null = null;
	#wrote = false;

	/** `start` is asked only when the first query is made, so a request that never queries costs nothing. */
	constructor(
		private readonly binding: D1Database,
		private readonly start: () => ReplicaStart,
	) {}

	/** Whether a query was made: only then is there a bookmark to hand back. */
	get used(): boolean {
		return this.#replica !== null;
	}

	/** Whether a round trip that changes data was sent (and may have been applied, even if it failed). */
	get wrote(): boolean {
		return this.#wrote;
	}

	/** The latest bookmark of the replica session: the client's next request reads at least this new. */
	bookmark(): D1SessionBookmark | null {
		return this.#replica?.getBookmark() ?? null;
	}

	prepare(query: string): D1PreparedStatement {
		this.#replica ??= this.binding.withSession(this.start());
		// Drizzle only binds and runs what it prepares, and hands the results back to `batch` below.
		return new Statement(this.#replica.prepare(query), query, this) as unknown as D1PreparedStatement;
	}

	batch<T>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
		const ours = statements as unknown as Statement[];
		const reads = ours.every((statement) => onlyReads(statement.sql));
		const replica = this.#replica;
		if (replica === null) {
			throw new Error("a batch needs statements prepared on this connection");
		}
		return this.attempt(reads, () => replica.batch<T>(ours.map((statement) => statement.real)));
	}

	/**
	 * Runs one round trip, retrying what {@link classify} calls retryable when it only `reads`.
	 *
	 * @throws {DatabaseUnavailableError} when D1 stays unavailable, with its last error as the cause.
	 */
	async attempt<T>(reads: boolean, roundTrip: () => Promise<T>): Promise<T> {
		if (!reads) {
			this.#wrote = true;
		}
		for (let attempt = 1; ; attempt++) {
			try {
				return await roundTrip();
			} catch (error) {
				const kind = classify(error);
				if (kind === null) {
					throw error;
				}
				if (kind === "retry" && reads && attempt < MAX_ATTEMPTS) {
					await backoff(attempt);
					continue;
				}
				throw new DatabaseUnavailableError(`D1 unavailable after ${attempt} attempt(s)`, { cause: error });
			}
		}
	}
}
