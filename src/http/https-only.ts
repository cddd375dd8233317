/**
 * HTTPS only, off the developer's machine: a plain-HTTP request to any host but localhost is answered
 * 308 to the same URL over HTTPS, so a session cookie is only ever set `Secure` there and nothing is
 * served in the clear. `wrangler dev` on localhost or 127.0.0.1 keeps working over HTTP. The app's
 * request frame (`src/http/frame.ts`) applies it first.
 *
 * @module
 */
/** Hosts served over plain HTTP: the loopback names a local `wrangler dev` answers on. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Where a request must go instead, when it came over plain HTTP to a host that is not local: the same URL
 * over HTTPS. `null` when it may be answered as it is (an HTTPS request is never parsed).
 */
export function httpsRedirect(requestUrl: string): string | null {
	if (!requestUrl.startsWith("http:")) {
		return null;
	}
	const url = new URL(requestUrl);
	if (LOCAL_HOSTS.has(url.hostname)) {
		return null;
	}
	url.protocol = "https:";
	url.port = "";
	return url.href;
}
