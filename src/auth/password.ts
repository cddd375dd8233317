/**
 * Passwords: the policy new ones must meet, and hashing with bcrypt (bcryptjs, pure JavaScript, so it
 * runs on Workers).
 *
 * bcryptjs's synchronous API is used on purpose. Its async API gives other requests a turn only after
 * `Date.now()` shows 100 ms of hashing; once deployed, Workers' clocks stand still until I/O happens, so
 * it never does, and locally a cost-10 hash (about 80 ms) rarely reaches the mark. It would add
 * scheduling and let nothing through; BENCHMARKS.md has the measurements.
 *
 * @module
 */
import bcrypt from "bcryptjs";

/** bcrypt only reads the first 72 bytes of a password; longer ones are refused, never truncated. */
const PASSWORD_MAX_BYTES = 72;

/** Tells whether bcrypt would silently truncate `password` (more than 72 bytes of UTF-8). */
export function isTooLongForBcrypt(password: string): boolean {
	return bcrypt.truncates(password);
}

/**
 * Returns why `password` may not be set as a new password, or `null` when it may.
 *
 * @param minLength fewest characters, counted as Unicode code points.
 */
export function passwordPolicyViolation(password: string, minLength: number): string | null {
	if (password === "") {
		return "password is required";
	}
	if (isTooLongForBcrypt(password)) {
		return `password must be at most ${PASSWORD_MAX_BYTES} bytes`;
	}
	if ([...password].length < minLength) {
		return `password must be at least ${minLength} characters`;
	}
	return null;
}

/** Returns a salted bcrypt hash of `password` at the given work factor. */
export function hashPassword(password: string, cost: number): string {
	return bcrypt.hashSync(password, cost);
}

/** Tells whether `password` matches the bcrypt `hash`. */
export function verifyPassword(password: string, hash: string): boolean {
	return bcrypt.compareSync(password, hash);
}

/** Returns the work factor a bcrypt hash was made with. */
export function costOf(hash: string): number {
	return bcrypt.getRounds(hash);
}

/**
 * Returns a well-formed bcrypt hash of the given cost that no password matches, for checking a password
 * when there is no user, so that costs exactly as much as checking a real hash.
 */
export function dummyHash(cost: number): string {
	// Any valid salt and digest will do: bcrypt derives the full-cost hash before comparing.
	return `$2b$${String(cost).padStart(2, "0")}$C6UzMDM.H6dfI/f/IKxGhuRV/6BqqSxyNVKcTxIUi0ij7Rn9rCFpm`;
}
