/**
 * A D1 binding wrapper for tests that counts round trips: each statement run, batch and exec, with the
 * batch that stores security events counted apart (it runs after the answer).
 *
 * @module
 */

/** Round trips counted by {@link countingD1}: the batch that stores security events apart. */
export interface Count {
	trips: number;
	eventTrips: number;
}

/** Wraps a D1 binding so every round trip to the database (a statement run, a batch, an exec) is counted. */
export function countingD1(db: D1Database, count: Count): D1Database {
	const real = new WeakMap<object, D1PreparedStatement>();
	const sqlOf = new WeakMap<object, string>();
	const wrapStatement = (statement: D1PreparedStatement): D1PreparedStatement => {
		const proxy = new Proxy(statement, {
			get(target, prop) {
				if (prop === "bind") {
					return (...values: unknown[]) => {
						const bound = wrapStatement(target.bind(...values));
						sqlOf.set(bound, sqlOf.get(proxy) ?? "");
						return bound;
					};
				}
				const value = Reflect.get(target, prop);
				if (typeof value !== "function") {
					return value;
				}
				return (...args: unknown[]) => {
					if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
						count.trips++;
					}
					return value.apply(target, args);
				};
			},
		});
		real.set(proxy, statement);
		return proxy;
	};
	return new Proxy(db, {
		get(target, prop) {
			if (prop === "prepare") {
				return (query: string) => {
					const statement = wrapStatement(target.prepare(query));
					sqlOf.set(statement, query);
					return statement;
				};
			}
			if (prop === "batch") {
				return (statements: D1PreparedStatement[]) => {
					const storesEvents = statements.every((s) =>
						sqlOf.get(s)?.startsWith('insert into "security_events"'),
					);
					if (storesEvents) {
						count.eventTrips++;
					} else {
						count.trips++;
					}
					return target.batch(statements.map((s) => real.get(s) ?? s));
				};
			}
			if (prop === "exec") {
				return (query: string) => {
					count.trips++;
					return target.exec(query);
				};
			}
			const value = Reflect.get(target, prop);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
