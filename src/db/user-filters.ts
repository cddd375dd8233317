/**
 * The original exercise's attribute filters and updates on users, checked against the model: a filter
 * naming a column that does not exist is an {@link InvalidRequestError}, an update naming one a
 * {@link ValueError}. Only `Db`'s seed-compatible methods use them.
 *
 * @module
 */
import { and, eq, getTableColumns, isNull, type SQL } from "drizzle-orm";
import { InvalidRequestError, ValueError } from "./errors";
import { type User, users } from "./schema";

/** Criteria for `Db.findUserBy`: attribute names mapped to the values a matching user must have. */
export type UserFilter = Partial<User>;

/** Attributes that `Db.updateUser` may change (everything but the primary key). */
export type UserChanges = Partial<Omit<User, "id">>;

const userColumns = getTableColumns(users);

/** Tells whether `key` names an attribute of the user model, so it can index the column map safely. */
function isUserAttribute(key: string): key is keyof User {
	return Object.hasOwn(userColumns, key);
}

/**
 * Builds the SQL condition for a user filter.
 *
 * @throws {InvalidRequestError} when the filter is empty or names an attribute the model lacks.
 */
export function userCondition(filter: UserFilter): SQL {
	const conditions: SQL[] = [];
	for (const [key, value] of Object.entries(filter)) {
		if (!isUserAttribute(key)) {
			throw new InvalidRequestError(`users has no attribute "${key}"`);
		}
		const column = userColumns[key];
		conditions.push(value === null ? isNull(column) : eq(column, value));
	}
	const condition = and(...conditions);
	if (condition === undefined) {
		throw new InvalidRequestError("a user filter needs at least one attribute");
	}
	return condition;
}

/**
 * Checks that `changes` only names updatable attributes.
 *
 * @throws {ValueError} when it names an attribute the model lacks, or the primary key.
 */
export function checkChanges(changes: UserChanges): void {
	for (const key of Object.keys(changes)) {
		if (!isUserAttribute(key) || key === "id") {
			throw new ValueError(`users has no updatable attribute "${key}"`);
		}
	}
}
