/**
 * Secrets handed to clients (session ids, reset tokens) and the one form in which they are stored: the
 * SHA-256 digest, so a copy of the database does not let anyone act as a user.
 *
 * @module
 */

/** Returns the string form of a new random (version 4) UUID; private to this module. */
function generateUuid(): string {
	return crypto.randomUUID();
}

const encoder = new TextEncoder();

/** Returns bytes as lower-case hex. */
function toHex(bytes: Uint8Array): string {
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Returns a new secret for a client: a random UUID, 122 bits of randomness. */
export function newSecret(): string {
	return generateUuid();
}

/** Returns the SHA-256 digest of `secret` in lower-case hex: the form in which secrets are stored. */
export async function digestSecret(secret: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret))));
}

/** Returns a new public identifier (128 random bits, hex) for something a user may name, like a session. */
export function newPublicId(): string {
	return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
