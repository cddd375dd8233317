/**
 * Passwords: the policy new ones must meet (OWASP ASVS 6.2), and how they are hashed and checked with
 * bcrypt (bcryptjs, pure JavaScript, so it runs on Workers). Whose password it is, and whether it may
 * be tried now, is `credentials.ts`'s and `throttle.ts`'s.
 *
 * A password is put in Unicode NFC before anything else, so "café" typed with a composed or a decomposed
 * "é" is one password. bcrypt reads only 72 bytes, so a longer password is pre-hashed first (HMAC-SHA-256
 * under `PASSWORD_PEPPER`, base64: 44 bytes) and never truncated. The stored hash says which was done:
 *
 * - `nfc$<bcrypt>`: bcrypt of the NFC password (72 bytes or fewer);
 * - `nfc-hmac$<bcrypt>`: bcrypt of the pre-hash of the NFC password (longer ones);
 * - `<bcrypt>` alone: made before this scheme, of the password as typed; a login that matches it
 *   re-hashes the password under the current scheme.
 *
 * bcryptjs's synchronous API is used on purpose. Its async API gives other requests a turn only after
 * `Date.now()` shows 100 ms of hashing; once deployed, Workers' clocks stand still until I/O happens, so
 * it never does, and locally a cost-10 hash (about 80 ms) rarely reaches the mark. It would add
 * scheduling and let nothing through; BENCHMARKS.md has the measurements.
 *
 * @module
 */
import bcrypt from "bcryptjs";
import type { Config } from "../config";
import { AppError } from "../errors";
import commonPasswords from "./common-passwords.txt";
import { type Keys, keysOf } from "./keys";

/** Most characters a new password may have: ASVS asks that at least 64 be allowed. */
const PASSWORD_MAX_LENGTH = 128;

/** The 10,000 most common passwords, lower-cased (see `common-passwords.NOTICE.md`). */
const COMMON = new Set(commonPasswords.split("\n"));

/** How a stored hash was made; see the module's description. */
type Scheme = "nfc" | "nfc-hmac" | "legacy";

/** Returns `password` in Unicode NFC, the form it is checked and hashed in. */
function normalizePassword(password: string): string {
	return password.normalize("NFC");
}

/** Tells whether bcrypt would truncate `password` (more than 72 bytes of UTF-8). */
function truncatedByBcrypt(password: string): boolean {
	return bcrypt.truncates(password);
}

/** Tells whether `password` (in any case) is among the 10,000 most common ones. */
export function isCommonPassword(password: string): boolean {
	return COMMON.has(normalizePassword(password).toLowerCase());
}

/** Control characters (Unicode's Cc: C0, DEL, C1), which no keyboard types into a password field. */
const CONTROL = /\p{Cc}/u;

/** A password of white space only (any of Unicode's), which a form would show as blank. */
const BLANK = /^\s+$/u;

/**
 * Tells whether `password` is the account's address, its local part (without a `+tag` too) or a simple
 * repeat of one of them, in any case: the first guesses of anyone who knows the address (ASVS 6.2.11).
 */
function isAddressBased(password: string, email: string): boolean {
	const guess = password.toLowerCase();
	const local = email.slice(0, Math.max(email.lastIndexOf("@"), 0)).toLowerCase();
	const candidates = [email.toLowerCase(), local, local.split("+")[0] ?? ""].filter((c) => c !== "");
	return candidates.some(
		(candidate) =>
			guess.length % candidate.length === 0 && guess === candidate.repeat(guess.length / candidate.length),
	);
}

/**
 * Returns why `password` may not be set as a new password of the account with `email`, or `null` when it
 * may: empty, white space only, with a control character, shorter than `minLength` or longer than
 * {@link PASSWORD_MAX_LENGTH} characters (code points, after NFC), one of the most common passwords, or
 * the address itself (see {@link isAddressBased}).
 */
export function passwordPolicyViolation(password: string, minLength: number, email: string): string | null {
	const normalized = normalizePassword(password);
	const length = [...normalized].length;
	if (length === 0) {
		return "password is required";
	}
	if (BLANK.test(normalized)) {
		return "password must not be only spaces";
	}
	if (CONTROL.test(normalized)) {
		return "password must not contain control characters";
	}
	if (length < minLength) {
		return `password must be at least ${minLength} characters`;
	}
	if (length > PASSWORD_MAX_LENGTH) {
		return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
	}
	if (isCommonPassword(password)) {
		return "password is too common";
	}
	if (isAddressBased(normalized, email)) {
		return "password must not be your email address";
	}
	return null;
}

/**
 * Checks the policy of a new password of the account with (normalised) `email`, so a refusal costs no
 * bcrypt work.
 *
 * @throws {AppError} `INVALID_INPUT` saying what the password lacks.
 */
export function checkNewPassword(config: Config, password: string, email: string): void {
	const violation = passwordPolicyViolation(password, config.passwordMinLength, email);
	if (violation !== null) {
		throw new AppError("INVALID_INPUT", violation, { publicMessage: violation });
	}
}

/** Returns the hash to store for a password already checked against the policy, at the configured cost. */
export function hashNewPassword(config: Config, password: string): Promise<string> {
	return storedHashOf(password, config.bcryptCost, keysOf(config));
}

/** Returns a salted bcrypt hash of `password` at the given work factor: the original exercise's function. */
export function hashPassword(password: string, cost: number): string {
	return bcrypt.hashSync(password, cost);
}

/** Tells whether `password` matches the bcrypt `hash`. */
export function verifyPassword(password: string, hash: string): boolean {
	return bcrypt.compareSync(password, hash);
}

/** Splits a stored hash into its scheme and its bcrypt hash. */
function parseStored(stored: string): { scheme: Scheme; hash: string } {
	const separator = stored.indexOf("$");
	const prefix = stored.slice(0, separator);
	if (prefix === "nfc" || prefix === "nfc-hmac") {
		return { scheme: prefix, hash: stored.slice(separator + 1) };
	}
	return { scheme: "legacy", hash: stored };
}

/** Returns the hash to store for a new password (checked against the policy already) at `cost`. */
export async function storedHashOf(password: string, cost: number, keys: Keys): Promise<string> {
	const normalized = normalizePassword(password);
	if (truncatedByBcrypt(normalized)) {
		return `nfc-hmac$${hashPassword(await keys.prehash(normalized), cost)}`;
	}
	return `nfc$${hashPassword(normalized, cost)}`;
}

/**
 * Tells whether `password` is the one `stored` was made from: exactly one bcrypt comparison. A password
 * that cannot have made the hash (one bcrypt would truncate, against a hash of an untruncated one) is
 * compared with a dummy hash of the same cost, so it costs the same and matches nothing.
 */
export async function matchesStored(password: string, stored: string, keys: Keys): Promise<boolean> {
	const { scheme, hash } = parseStored(stored);
	const input =
		scheme === "legacy"
			? password
			: scheme === "nfc-hmac"
				? await keys.prehash(normalizePassword(password))
				: normalizePassword(password);
	if (truncatedByBcrypt(input)) {
		verifyPassword(input, dummyHash(costOf(stored)));
		return false;
	}
	return verifyPassword(input, hash);
}

/** Returns the work factor a stored hash was made with. */
export function costOf(stored: string): number {
	return bcrypt.getRounds(parseStored(stored).hash);
}

/** Tells whether a stored hash should be made anew at the next right password: another cost, or the old scheme. */
export function needsRehash(stored: string, cost: number): boolean {
	return parseStored(stored).scheme === "legacy" || costOf(stored) !== cost;
}

/**
 * Returns a well-formed bcrypt hash of the given cost that no password matches, for checking a password
 * when there is no user, so that costs exactly as much as checking a real hash.
 */
export function dummyHash(cost: number): string {
	// Any valid salt and digest will do: bcrypt derives the full-cost hash before comparing.
	return `$2b$${String(cost).padStart(2, "0")}$C6UzMDM.H6dfI/f/IKxGhuRV/6BqqSxyNVKcTxIUi0ij7Rn9rCFpm`;
}
