/**
 * D1 binding wrappers for tests, the only place where D1 is not the real thing: {@link interceptD1} lets
 * a test see (and delay, or fail) every round trip a request makes, through the binding and through the
 * D1 sessions the worker opens on it. {@link countingD1} counts round trips, with the batch that stores
 * security events counted apart (it runs after the answer); {@link failingD1} makes D1 fail the way
 * Cloudflare documents, to check retries and 503 answers.
 *
 * @module
 */

/** One round trip to D1: a statement run, a batch, or an exec, with the SQL it carries. */
export interface Trip {
	kind: "statement" | "batch" | "exec";
	sql: string[];
}

/** What a test hooks into D1. */
export interface D1Hooks {
	/** Runs before each round trip; it may wait (a gate) or throw (D1 failing, before anything ran). */
	before?(trip: Trip): void | Promise<void>;
	/** Runs after each round trip D1 answered; it may throw (the answer lost, though D1 applied the trip). */
	after?(trip: Trip): void;
	/** Sees where each D1 session the worker opens starts: a constraint or a bookmark. */
	session?(start: string | undefined): void;
}

/** Wraps a D1 binding, or a session of one, so `hooks` see every round trip made through it. */
function intercept<T extends D1Database | D1DatabaseSession>(client: T, hooks: D1Hooks): T {
	const real = new WeakMap<object, D1PreparedStatement>();
	const sqlOf = new WeakMap<object, string>();
	const wrapStatement = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
		const proxy = new Proxy(statement, {
			get(target, prop) {
				if (prop === "bind") {
					return (...values: unknown[]) => wrapStatement(target.bind(...values), sql);
				}
				const value = Reflect.get(target, prop);
				if (typeof value !== "function") {
					return value;
				}
				if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
					return async (...args: unknown[]) => {
						const trip: Trip = { kind: "statement", sql: [sql] };
						await hooks.before?.(trip);
						const result = await value.apply(target, args);
						hooks.after?.(trip);
						return result;
					};
				}
				return value.bind(target);
			},
		});
		real.set(proxy, statement);
		sqlOf.set(proxy, sql);
		return proxy;
	};
	return new Proxy(client, {
		get(target, prop) {
			if (prop === "prepare") {
				return (query: string) => wrapStatement(target.prepare(query), query);
			}
			if (prop === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					const trip: Trip = { kind: "batch", sql: statements.map((s) => sqlOf.get(s) ?? "") };
					await hooks.before?.(trip);
					const result = await target.batch(statements.map((s) => real.get(s) ?? s));
					hooks.after?.(trip);
					return result;
				};
			}
			if (prop === "exec" && "exec" in target) {
				return async (query: string) => {
					await hooks.before?.({ kind: "exec", sql: [query] });
					return target.exec(query);
				};
			}
			if (prop === "withSession" && "withSession" in target) {
				return (start?: string) => {
					hooks.session?.(start);
					return intercept(target.withSession(start), hooks);
				};
			}
			const value = Reflect.get(target, prop);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** Wraps a D1 binding so `hooks` see every round trip, through the binding and its D1 sessions. */
export function interceptD1(db: D1Database, hooks: D1Hooks): D1Database {
	return intercept(db, hooks);
}

/** Round trips counted by {@link countingD1}: the batch that stores security events apart. */
export interface Count {
	trips: number;
	eventTrips: number;
}

/** Wraps a D1 binding so every round trip to the database (a statement run, a batch, an exec) is counted. */
export function countingD1(db: D1Database, count: Count): D1Database {
	return interceptD1(db, {
		before(trip) {
			const storesEvents =
				trip.kind === "batch" && trip.sql.every((sql) => sql.startsWith('insert into "security_events"'));
			if (storesEvents) {
				count.eventTrips++;
			} else {
				count.trips++;
			}
		},
	});
}

/** Messages of D1 errors, as Cloudflare's D1 error list words them. */
export const D1_ERRORS = {
	networkLost: "D1_ERROR: Network connection lost.",
	storageReset: "D1_ERROR: Internal error in D1 DB storage caused object to be reset.",
	overloaded: "D1_ERROR: D1 DB is overloaded. Too many requests queued.",
} as const;

/**
 * A failure to inject: round trips `which` selects fail with `message`, `times` times (or always); before
 * reaching D1 (nothing of them runs), or, with `applied`, after D1 ran them (the answer lost on the way).
 */
export interface Failure {
	which: (trip: Trip) => boolean;
	message: string;
	times?: number;
	applied?: boolean;
}

/** Round trips seen by {@link failingD1}: how many failed, and every one tried. */
export interface FailureLog {
	failed: number;
	tried: Trip[];
}

/** Wraps a D1 binding so the round trips a failure selects fail as it says; the others run for real. */
export function failingD1(db: D1Database, failure: Failure, log: FailureLog = { failed: 0, tried: [] }) {
	const fail = (trip: Trip) => {
		if (failure.which(trip) && log.failed < (failure.times ?? Number.POSITIVE_INFINITY)) {
			log.failed++;
			throw new Error(failure.message);
		}
	};
	return {
		log,
		db: interceptD1(db, {
			before(trip) {
				log.tried.push(trip);
				if (!failure.applied) {
					fail(trip);
				}
			},
			after(trip) {
				if (failure.applied) {
					fail(trip);
				}
			},
		}),
	};
}
