/**
 * Helpers of the page tests: posting a form as a browser does (same-origin `Origin`), reading the
 * session cookie an answer sets, and the values of a rendered page's fields.
 *
 * @module
 */
import { type CallOptions, call, ORIGIN } from "../helpers";

/** Posts a form to a page the way a browser does from one of the service's own pages. */
export function submit(
	path: string,
	form: Record<string, string>,
	options: CallOptions = {},
): Promise<Response> {
	return call("POST", path, {
		...options,
		form,
		headers: { Origin: ORIGIN, "Sec-Fetch-Site": "same-origin", ...options.headers },
	});
}

/** Loads a page the way a browser does. */
export function visit(path: string, options: CallOptions = {}): Promise<Response> {
	return call("GET", path, options);
}

/** The `session_id` an answer sets, `""` when it clears the cookie, or `null` when it leaves it alone. */
export function sessionCookieOf(res: Response): string | null {
	const match = /(?:^|,\s*)session_id=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
	return match?.[1] ?? null;
}

/** The `value` of the input named `name` in a page, or `null` when it has none (or no such input). */
export function fieldValue(html: string, name: string): string | null {
	const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
	return input === undefined ? null : (/ value="([^"]*)"/.exec(input)?.[1] ?? null);
}

/**
 * The link a form's answer leads to in `response` mode: the `dev_link` of the page it redirects to (the
 * link the service would have emailed), parsed; throws when there is none.
 */
export function developmentLinkOf(res: Response): URL {
	const location = res.headers.get("Location") ?? "";
	const link = new URL(location, ORIGIN).searchParams.get("dev_link");
	if (link === null) {
		throw new Error(`no development link in ${res.status} ${location}`);
	}
	return new URL(link, ORIGIN);
}
