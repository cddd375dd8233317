/**
 * Data access for user accounts: the only module that queries D1, through Drizzle.
 *
 * @module
 */
import { and, eq, getTableColumns, isNull, type SQL } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { InvalidRequestError, NoResultFound, ValueError } from "./errors";
import { type User, users } from "./schema";

/** Criteria for {@link Db.findUserBy}: attribute names mapped to the values a matching user must have. */
export type UserFilter = Partial<User>;

/** Attributes that {@link Db.updateUser} may change (everything but the primary key). */
export type UserChanges = Partial<Omit<User, "id">>;

const userColumns = getTableColumns(users);

/** Tells whether `key` names an attribute of the user model, so it can index the column map safely. */
function isUserAttribute(key: string): key is keyof User {
	return Object.hasOwn(userColumns, key);
}

/** Wraps Drizzle over a D1 binding and exposes the user queries the rest of the service needs. */
export class Db {
	readonly #orm: DrizzleD1Database;

	/** Builds the wrapper around the D1 binding of the current request. */
	constructor(d1: D1Database) {
		this.#orm = drizzle(d1);
	}

	/** Saves a new user with the given email and password hash and returns the stored row. */
	async addUser(email: string, hashedPassword: string): Promise<User> {
		return this.#orm.insert(users).values({ email, hashedPassword }).returning().get();
	}

	/**
	 * Returns the first user whose attributes equal every entry of `filter`.
	 *
	 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
	 * @throws {NoResultFound} when no user matches.
	 */
	async findUserBy(filter: UserFilter): Promise<User> {
		const conditions: SQL[] = [];
		for (const [key, value] of Object.entries(filter)) {
			if (!isUserAttribute(key)) {
				throw new InvalidRequestError(`users has no attribute "${key}"`);
			}
			const column = userColumns[key];
			conditions.push(value === null ? isNull(column) : eq(column, value));
		}
		if (conditions.length === 0) {
			throw new InvalidRequestError("findUserBy needs at least one attribute to filter on");
		}
		const user = await this.#orm
			.select()
			.from(users)
			.where(and(...conditions))
			.get();
		if (user === undefined) {
			throw new NoResultFound("no user matches the filter");
		}
		return user;
	}

	/**
	 * Applies `changes` to the user with the given id, in one statement.
	 *
	 * @throws {ValueError} when `changes` names an attribute the model lacks, or the primary key.
	 * @throws {NoResultFound} when no user has that id.
	 */
	async updateUser(id: number, changes: UserChanges): Promise<void> {
		const keys = Object.keys(changes);
		for (const key of keys) {
			if (!isUserAttribute(key) || key === "id") {
				throw new ValueError(`users has no updatable attribute "${key}"`);
			}
		}
		if (keys.length === 0) {
			// Nothing to write; still report an unknown id the way a real update would.
			await this.findUserBy({ id });
			return;
		}
		const updated = await this.#orm
			.update(users)
			.set(changes)
			.where(eq(users.id, id))
			.returning({ id: users.id });
		if (updated.length === 0) {
			throw new NoResultFound(`no user has id ${id}`);
		}
	}
}
