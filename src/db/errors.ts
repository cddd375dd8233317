/**
 * Errors raised by {@link Db}. Their names follow the data-access errors of the original specification so
 * that callers can tell "nothing matched" from "the query itself was wrong".
 *
 * @module
 */

/** Raised when a lookup matches no row. */
export class NoResultFound extends Error {
	override readonly name = "NoResultFound";
}

/** Raised when a lookup is malformed, for example when its filter names a column the table does not have. */
export class InvalidRequestError extends Error {
	override readonly name = "InvalidRequestError";
}

/** Raised when an update names an attribute that the user model does not have or that may not be changed. */
export class ValueError extends Error {
	override readonly name = "ValueError";
}

/** Raised when a write would break a constraint, such as a second user with the same email. */
export class IntegrityError extends Error {
	override readonly name = "IntegrityError";
}

/**
 * Raised when D1 could not answer: a transient failure that outlasted its retries, or a database that
 * says it is overloaded. Nothing the failed round trip held was half applied (a statement or a batch is
 * all or nothing); callers answer "try again later".
 */
export class DatabaseUnavailableError extends Error {
	override readonly name = "DatabaseUnavailableError";
}
