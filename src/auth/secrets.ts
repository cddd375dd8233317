/**
 * Secrets handed to clients (session ids, reset and email tokens) and the one form in which they are
 * stored: the SHA-256 digest, so a copy of the database does not let anyone act as a user.
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

/** Returns bytes as base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

/**
 * The form of the secrets handed to clients (session ids, tokens): `uuid`, a random UUID with 122 bits of
 * randomness, as the original exercise's clients expect (its 36-character reset token); or
 * `base64url-256`, 256 random bits in base64url (43 characters), well above OWASP ASVS's 128-bit floor,
 * for production. The token hand-out chooses (see `token-handout.ts`).
 */
export type SecretFormat = "uuid" | "base64url-256";

/** Returns a new secret for a client, in `format`. */
export function newSecret(format: SecretFormat): string {
	return format === "base64url-256"
		? toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
		: generateUuid();
}

/** Returns the SHA-256 digest of `secret` in lower-case hex: the form in which secrets are stored. */
export async function digestSecret(secret: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret))));
}

/** Returns a new public identifier (128 random bits, hex) for something a user may name, like a session. */
export function newPublicId(): string {
	return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
