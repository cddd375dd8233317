/**
 * Benchmark worker for bcryptjs inside workerd: `GET /hash?cost=N&mode=sync|async` hashes once at cost N
 * with the sync or async API; `GET /compare?...` compares once; `GET /clock?cost=N` reports how far
 * `Date.now()` moves across one hash (bcryptjs's async API slices its work by that clock); `GET /policy`
 * times the password policy's extra work (the common-password lookup, the pre-hash of a long password);
 * `GET /noop` does nothing, for the baseline.
 *
 * @module
 */
import bcrypt from "bcryptjs";
import { keysOf } from "../../src/auth/keys";
import { isCommonPassword } from "../../src/auth/password";
import { loadConfig } from "../../src/config";

const PASSWORD = "correct horse battery staple";
const hashes = new Map<number, string>();

/** Returns a stored hash of the benchmark password at `cost`, computed once per isolate. */
function hashAt(cost: number): string {
	let hash = hashes.get(cost);
	if (hash === undefined) {
		hash = bcrypt.hashSync(PASSWORD, cost);
		hashes.set(cost, hash);
	}
	return hash;
}

export default {
	/** Serves one benchmark operation per request. */
	async fetch(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const cost = Number(url.searchParams.get("cost") ?? "10");
		const sync = url.searchParams.get("mode") === "sync";
		switch (url.pathname) {
			case "/hash":
				return new Response(sync ? bcrypt.hashSync(PASSWORD, cost) : await bcrypt.hash(PASSWORD, cost));
			case "/compare": {
				const hash = hashAt(cost);
				const ok = sync ? bcrypt.compareSync(PASSWORD, hash) : await bcrypt.compare(PASSWORD, hash);
				return new Response(String(ok));
			}
			case "/warm":
				return new Response(hashAt(cost));
			case "/policy": {
				const rounds = 2000;
				const keys = keysOf(loadConfig({}));
				const started = performance.now();
				for (let i = 0; i < rounds; i++) {
					isCommonPassword(`candidate password ${i}`);
				}
				const checked = performance.now();
				for (let i = 0; i < rounds; i++) {
					await keys.prehash(`${"a long passphrase that bcrypt could not take whole ".repeat(2)}${i}`);
				}
				const prehashed = performance.now();
				return Response.json({
					commonCheckMicros: ((checked - started) * 1000) / rounds,
					prehashMicros: ((prehashed - checked) * 1000) / rounds,
				});
			}
			case "/clock": {
				const before = Date.now();
				bcrypt.hashSync(PASSWORD, cost);
				return Response.json({ advancedMs: Date.now() - before });
			}
			default:
				return new Response("ok");
		}
	},
} satisfies ExportedHandler;
