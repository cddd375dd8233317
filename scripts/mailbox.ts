/**
 * Reads the messages wrangler's local `send_email` binding writes: a text and an HTML file per message,
 * under the project's `.wrangler/tmp/email/miniflare-*\/` (the paths wrangler prints) and under its
 * temporary directory (`TMPDIR`) in `miniflare-*\/email/`. Used by `npm run e2e:email` and the browser
 * tests of `email` mode.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The messages written to one directory since a moment. */
export class Mailbox {
	readonly #dir: string;
	readonly #since: number;

	/** Reads messages written to `dir` from `since` (milliseconds since the epoch) on. */
	constructor(dir: string, since: number) {
		this.#dir = dir;
		this.#since = since;
	}

	/** Returns the text parts of the messages written since then. */
	texts(): string[] {
		return this.#parts("email-text");
	}

	/** Returns the HTML parts of the messages written since then. */
	htmls(): string[] {
		return this.#parts("email-html");
	}

	/**
	 * Waits up to 20 s for the HTML part of a message to `to` whose subject contains `subject`, and
	 * returns it; throws when none arrives.
	 */
	async html(to: string, subject: string): Promise<string> {
		for (let waited = 0; waited < 20_000; waited += 250) {
			const found = this.htmls().find(
				(html) => html.includes(`It was sent to ${to} `) && new RegExp(`<title>[^<]*${subject}`).test(html),
			);
			if (found !== undefined) {
				return found;
			}
			await sleep(250);
		}
		throw new Error(`no HTML message to ${to} about "${subject}" arrived in ${this.#dir}`);
	}

	/** Returns the parts of one kind (`email-text`, `email-html`) of the messages written since then. */
	#parts(kind: string): string[] {
		const texts: string[] = [];
		let entries: string[] = [];
		try {
			entries = readdirSync(this.#dir);
		} catch {
			return texts;
		}
		for (const entry of entries.filter((name) => name.startsWith("miniflare-"))) {
			// Where wrangler's versions put them: `email/<kind>` under the temporary directory (and `<kind>`
			// under the project's .wrangler/tmp/email), `files/<kind>` before 4.1xx.
			for (const sub of ["email", "files", ""]) {
				const dir = path.join(this.#dir, entry, sub, kind);
				let files: string[] = [];
				try {
					files = readdirSync(dir);
				} catch {
					continue;
				}
				for (const file of files) {
					const full = path.join(dir, file);
					if (statSync(full).mtimeMs >= this.#since) {
						texts.push(readFileSync(full, "utf8"));
					}
				}
			}
		}
		return texts;
	}

	/**
	 * Waits up to 20 s for a message to `to` holding a link that starts with `prefix`, and returns that
	 * link; throws when none arrives.
	 */
	async link(to: string, prefix: string): Promise<URL> {
		for (let waited = 0; waited < 20_000; waited += 250) {
			for (const text of this.texts()) {
				const link = text.split(/\s+/).find((word) => word.startsWith(prefix));
				if (text.includes(`It was sent to ${to} `) && link !== undefined) {
					return new URL(link);
				}
			}
			await sleep(250);
		}
		throw new Error(`no message to ${to} with a link to ${prefix} arrived in ${this.#dir}`);
	}
}
