/**
 * Device cookies (OWASP's "device cookie" design against lockout): after a successful login, the browser
 * gets a signed token saying "this device has logged in to this account before". A login attempt that
 * carries a valid one for the account is throttled per device instead of per account, so an attacker
 * failing from elsewhere cannot lock the owner out, while a guesser without one still meets the
 * account's limit. The cookie holds the tokens of the last few accounts used on the device; each is
 * `<account reference>.<nonce>.<signature>`, with no address in it.
 *
 * @module
 */
import { base64Url, type Keys } from "./keys";

/** Name of the cookie. */
export const DEVICE_COOKIE = "device";

/** How many accounts a device remembers; the least recently used goes first. */
const MAX_ACCOUNTS = 5;

/** Longest value read: five tokens of 89 characters and their separators. Anything longer is ignored. */
const MAX_COOKIE_LENGTH = 500;

/** The shape of one token: 128-bit reference and nonce, 256-bit signature, all base64url. */
const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** Splits a cookie value into its well-formed tokens, each as `[accountRef, nonce, signature]`. */
function tokensOf(cookie: string | null): [string, string, string][] {
	if (cookie === null || cookie.length > MAX_COOKIE_LENGTH) {
		return [];
	}
	return cookie.split("~").flatMap((token) => {
		const match = TOKEN.exec(token);
		return match === null
			? []
			: [[match[1] ?? "", match[2] ?? "", match[3] ?? ""] as [string, string, string]];
	});
}

/**
 * Returns the nonce of the device's valid token for the account with reference `accountRef`, or `null`
 * when the cookie holds none (absent, forged, or for other accounts).
 */
export async function deviceNonce(
	cookie: string | null,
	accountRef: string,
	keys: Keys,
): Promise<string | null> {
	for (const [ref, nonce, signature] of tokensOf(cookie)) {
		if (ref === accountRef && (await keys.verify(`${ref}.${nonce}`, signature))) {
			return nonce;
		}
	}
	return null;
}

/**
 * Returns the cookie value after a successful login to the account with reference `accountRef`: a new
 * token for it first, then the tokens of other accounts already there, up to {@link MAX_ACCOUNTS}.
 */
export async function withDeviceToken(
	cookie: string | null,
	accountRef: string,
	keys: Keys,
): Promise<string> {
	const nonce = base64Url(crypto.getRandomValues(new Uint8Array(16)));
	const token = `${accountRef}.${nonce}.${await keys.sign(`${accountRef}.${nonce}`)}`;
	const others = tokensOf(cookie)
		.filter(([ref]) => ref !== accountRef)
		.map((parts) => parts.join("."));
	return [token, ...others.slice(0, MAX_ACCOUNTS - 1)].join("~");
}
