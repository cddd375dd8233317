/**
 * The end-to-end scripts' client: sends a request with an optional form body and session cookie to the
 * server under test, without following redirects, since the steps check them.
 *
 * @module
 */

/** What a request may carry. */
export interface FormRequest {
	readonly form?: Record<string, string>;
	readonly sessionId?: string;
}

/** Returns a function that sends requests to `baseUrl`. */
export function formClient(baseUrl: string) {
	return (method: string, path: string, init: FormRequest = {}): Promise<Response> => {
		const headers = new Headers();
		if (init.sessionId !== undefined) {
			headers.set("Cookie", `session_id=${init.sessionId}`);
		}
		return fetch(new URL(path, baseUrl), {
			method,
			headers,
			body: init.form && new URLSearchParams(init.form),
			redirect: "manual",
		});
	};
}
