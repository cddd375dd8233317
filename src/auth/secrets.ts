/**
 * Secrets handed to clients (session ids, reset and email tokens) and the one form in which they are
 * stored: the SHA-256 digest, so a copy of the database does not let anyone act as a user.
 *
 * @module
 */
import type { TokenDelivery } from "../config";

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
 * Returns a new secret for a client. In `response` mode (the original exercise, local development) it is
 * a random UUID, 122 bits of randomness, as the exercise's clients expect; in `email` mode (production)
 * it is 256 random bits in base64url (43 characters), well above OWASP ASVS's 128-bit floor.
 */
export function newSecret(delivery: TokenDelivery): string {
	return delivery === "email" ? toBase64Url(crypto.getRandomValues(new Uint8Array(32))) : generateUuid();
}

/** Returns the SHA-256 digest of `secret` in lower-case hex: the form in which secrets are stored. */
export async function digestSecret(secret: string): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret))));
}

/** Returns a new public identifier (128 random bits, hex) for something a user may name, like a session. */
export function newPublicId(): string {
	return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
