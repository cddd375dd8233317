/**
 * Device cookies (OWASP's "device cookie" design against lockout): after a successful login, the browser
 * gets a signed token saying "this device has logged in to this account before". A login attempt that
 * carries a valid one for the account is throttled per device instead of per account, so an attacker
 * failing from elsewhere cannot lock the owner out, while a guesser without one still meets the
 * account's limit. The cookie holds the tokens of the last few accounts used on the device; each is
 * `<account reference>.<password generation>.<nonce>.<signature>`, with no address in it. The generation
 * is the account's password generation when the token was issued: a password change or reset starts a
 * new one, so a device remembered before it (a stolen laptop, say) is treated as unknown afterwards.
 *
 * @module
 */
import { base64Url, type Keys } from "./keys";

/** Name of the cookie. */
export const DEVICE_COOKIE = "device";

/** How many accounts a device remembers; the least recently used goes first. */
const MAX_ACCOUNTS = 5;

/** Longest value read: five tokens of at most 100 characters and their separators. Anything longer is ignored. */
const MAX_COOKIE_LENGTH = 510;

/** The shape of one token: 128-bit reference, generation, 128-bit nonce, 256-bit signature. */
const TOKEN = /^([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,9})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** One token of the cookie, as read. */
interface Token {
	readonly ref: string;
	readonly generation: number;
	readonly nonce: string;
	readonly signature: string;
}

/** What a token signs: everything in it but the signature. */
function payloadOf(token: Omit<Token, "signature">): string {
	return `${token.ref}.${token.generation}.${token.nonce}`;
}

/** Splits a cookie value into its well-formed tokens. */
function tokensOf(cookie: string | null): Token[] {
	if (cookie === null || cookie.length > MAX_COOKIE_LENGTH) {
		return [];
	}
	return cookie.split("~").flatMap((text) => {
		const match = TOKEN.exec(text);
		return match === null
			? []
			: [
					{
						ref: match[1] ?? "",
						generation: Number(match[2]),
						nonce: match[3] ?? "",
						signature: match[4] ?? "",
					},
				];
	});
}

/** The device's proof for one account: the nonce that names the device, and the password generation. */
export interface DeviceToken {
	readonly nonce: string;
	/** The account's password generation when the token was issued; stale once the password changed. */
	readonly generation: number;
}

/**
 * Returns the device's valid token for the account with reference `accountRef`, or `null` when the
 * cookie holds none (absent, forged, or for other accounts). Whether its generation is still the
 * account's is for the caller to judge, once it has read the account.
 */
export async function deviceToken(
	cookie: string | null,
	accountRef: string,
	keys: Keys,
): Promise<DeviceToken | null> {
	for (const token of tokensOf(cookie)) {
		if (token.ref === accountRef && (await keys.verify(payloadOf(token), token.signature))) {
			return { nonce: token.nonce, generation: token.generation };
		}
	}
	return null;
}

/**
 * Returns the cookie value after a successful login to the account with reference `accountRef` whose
 * password is of `generation`: a new token for it first, then the tokens of other accounts already there,
 * up to {@link MAX_ACCOUNTS}.
 */
export async function withDeviceToken(
	cookie: string | null,
	accountRef: string,
	generation: number,
	keys: Keys,
): Promise<string> {
	const unsigned = {
		ref: accountRef,
		generation,
		nonce: base64Url(crypto.getRandomValues(new Uint8Array(16))),
	};
	const token = `${payloadOf(unsigned)}.${await keys.sign(payloadOf(unsigned))}`;
	const others = tokensOf(cookie)
		.filter((other) => other.ref !== accountRef)
		.map((other) => `${payloadOf(other)}.${other.signature}`);
	return [token, ...others.slice(0, MAX_ACCOUNTS - 1)].join("~");
}
