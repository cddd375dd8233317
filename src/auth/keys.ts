/**
 * The service's keyed digests, from its two secrets: `AUTH_SECRET` signs device cookies and turns an
 * email into the reference that stands for its account in throttle counters, logs and security events
 * (so none of them holds an address, and a copy of them cannot be matched against a list of addresses
 * without the key); `PASSWORD_PEPPER` keys the pre-hash of passwords longer than bcrypt takes.
 *
 * @module
 */
import type { Config } from "../config";

const encoder = new TextEncoder();

/** Returns bytes as base64url without padding. */
export function base64Url(bytes: Uint8Array): string {
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

/** Decodes base64url, or returns `null` for anything else. */
function fromBase64Url(text: string): Uint8Array | null {
	if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
		return null;
	}
	const binary = atob(
		text
			.replaceAll("-", "+")
			.replaceAll("_", "/")
			.padEnd(Math.ceil(text.length / 4) * 4, "="),
	);
	return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Imports an HMAC-SHA-256 key. */
function hmacKey(secret: string): Promise<CryptoKey> {
	return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
		"sign",
		"verify",
	]);
}

/** HMAC-SHA-256 of `message`. */
async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** The keyed digests of one configuration; build it with {@link keysOf}. */
export class Keys {
	readonly #auth: Promise<CryptoKey>;
	readonly #pepper: Promise<CryptoKey>;

	/** Imports the keys of a configuration. */
	constructor(config: Config) {
		this.#auth = hmacKey(config.authSecret);
		this.#pepper = hmacKey(config.passwordPepper);
	}

	/** The reference that stands for the account with this (normalised) email: 128 bits, base64url. */
	async accountRef(email: string): Promise<string> {
		return base64Url((await hmac(await this.#auth, `account\u0000${email}`)).slice(0, 16));
	}

	/**
	 * The reference that stands for an account as asked about from one client network (requests for links
	 * are counted per account and network): 128 bits, base64url, neither the address nor the network.
	 */
	async accountNetworkRef(accountRef: string, network: string): Promise<string> {
		return base64Url(
			(await hmac(await this.#auth, `account-network\u0000${accountRef}\u0000${network}`)).slice(0, 16),
		);
	}

	/** Signs `payload` for a cookie: base64url of the full HMAC. */
	async sign(payload: string): Promise<string> {
		return base64Url(await hmac(await this.#auth, `cookie\u0000${payload}`));
	}

	/** Tells whether `signature` is that of `payload`, comparing in constant time (Web Crypto's verify). */
	async verify(payload: string, signature: string): Promise<boolean> {
		const bytes = fromBase64Url(signature);
		return (
			bytes !== null &&
			crypto.subtle.verify("HMAC", await this.#auth, bytes, encoder.encode(`cookie\u0000${payload}`))
		);
	}

	/** The pre-hash of a password too long for bcrypt: base64 of its HMAC under the pepper, 44 characters. */
	async prehash(password: string): Promise<string> {
		return btoa(String.fromCharCode(...(await hmac(await this.#pepper, password))));
	}
}

const cache = new WeakMap<Config, Keys>();

/** Returns the keys of a configuration, imported once per configuration object. */
export function keysOf(config: Config): Keys {
	let keys = cache.get(config);
	if (keys === undefined) {
		keys = new Keys(config);
		cache.set(config, keys);
	}
	return keys;
}
