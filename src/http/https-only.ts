/**
 * HTTPS only, off the developer's machine: a plain-HTTP request to any host but a development one (see
 * `src/local-host.ts`: localhost, loopback and unspecified addresses such as the exercise's `0.0.0.0`,
 * private and link-local ranges) is answered 308 to the same URL over HTTPS, so a session cookie is only
 * ever set without `Secure` where nothing leaves the machine or the LAN, and nothing is served in the clear
 * elsewhere. The app's request frame (`src/http/frame.ts`) applies it first.
 *
 * @module
 */
import { isLocalHost } from "../local-host";

/**
 * Where a request must go instead, when it came over plain HTTP to a host that is not a development
 * host: the same URL over HTTPS. `null` when it may be answered as it is (an HTTPS request is never
 * parsed).
 */
export function httpsRedirect(requestUrl: string): string | null {
	if (!requestUrl.startsWith("http:")) {
		return null;
	}
	const url = new URL(requestUrl);
	if (isLocalHost(url.hostname)) {
		return null;
	}
	url.protocol = "https:";
	url.port = "";
	return url.href;
}
