/**
 * Email addresses: the one normal form they are stored and looked up in, and what counts as valid.
 *
 * @module
 */
import { AppError } from "../errors";

/** Longest email the `users.email` column holds. */
export const EMAIL_MAX_LENGTH = 250;

// The HTML standard's definition of a valid email address: what browsers accept in <input type=email>.
const EMAIL_PATTERN =
	/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Returns the normal form of an email: surrounding white space removed, lower case. */
export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Tells whether a normalized email is well formed and fits the column. */
export function isValidEmail(email: string): boolean {
	return email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email);
}

/**
 * Returns the normal form of an email that must be well formed.
 *
 * @throws {AppError} `INVALID_INPUT` for a malformed email.
 */
export function wellFormedEmail(email: string): string {
	const normalized = normalizeEmail(email);
	if (!isValidEmail(normalized)) {
		throw new AppError("INVALID_INPUT", "invalid email", { publicMessage: "email is invalid" });
	}
	return normalized;
}
