/**
 * Reads the messages wrangler's local `send_email` binding writes: text files under a directory
 * (wrangler dev's temporary directory, `TMPDIR`) in `miniflare-*\/files/email-text/`. Used by
 * `npm run e2e:email` and the browser tests of `email` mode.
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
		const texts: string[] = [];
		for (const entry of readdirSync(this.#dir)) {
			if (!entry.startsWith("miniflare-")) {
				continue;
			}
			const dir = path.join(this.#dir, entry, "files", "email-text");
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
				if (text.includes(`This message was sent to ${to} `) && link !== undefined) {
					return new URL(link);
				}
			}
			await sleep(250);
		}
		throw new Error(`no message to ${to} with a link to ${prefix} arrived in ${this.#dir}`);
	}
}
