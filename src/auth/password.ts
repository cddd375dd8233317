/**
 * Password hashing with bcrypt (bcryptjs, pure JavaScript, so it runs on Workers).
 *
 * @module
 */
import bcrypt from "bcryptjs";

/** Returns a salted bcrypt hash of `password` at the given work factor. */
export function hashPassword(password: string, cost: number): Promise<string> {
	return bcrypt.hash(password, cost);
}

/** Tells whether `password` matches the bcrypt `hash`. */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
	return bcrypt.compare(password, hash);
}
