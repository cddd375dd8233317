/**
 * The benchmark's report: BENCHMARKS.md rendered from one run's figures (results.ts), with the budget
 * table judged by budgets.ts. Pure (no I/O, no Node APIs), like both of those, so
 * `test/unit/bench-report.test.ts` runs it inside workerd.
 *
 * @module
 */
import { bcryptOpMs, judgeBudgets, named, PEER_PAIRS } from "./budgets";
import { fixed, kib, table } from "./format";
import type { BenchResults, Measurement } from "./results";
import { ROUND_TRIPS } from "./round-trips";

/** The cells of one measured route: req/s, latencies, CPU, requests and the expected share. */
function figures(m: Measurement): string[] {
	return [
		fixed(m.rps),
		String(m.p50),
		String(m.p99),
		fixed(m.cpuMsPerRequest, 2),
		String(m.requests),
		`${fixed(m.expectedShare * 100)} %`,
	];
}

/** The side-by-side rows: for each pair, ours and then the peer's in each variant. */
function sideBySide(r: BenchResults): string[][] {
	const rows: string[][] = [];
	const serviceMeasurements = r.routes.map((route) => route.m);
	for (const pair of PEER_PAIRS) {
		const mine = named(serviceMeasurements, pair.ours);
		rows.push([pair.what, `ours: ${pair.ours}`, String(mine.connections), ...figures(mine)]);
		for (const run of r.peers) {
			const theirs = named(run.routes, pair.theirs);
			rows.push([
				pair.what,
				`Better Auth, ${run.hash}: ${pair.theirs}`,
				String(theirs.connections),
				...figures(theirs),
			]);
		}
	}
	return rows;
}

/** Renders BENCHMARKS.md from one run's figures, and whether any budget failed. */
export function renderReport(r: BenchResults): { markdown: string; failed: boolean } {
	const c = r.conditions;
	const { ours, peer } = r.bundles;
	const { rows: budgetRows, failed } = judgeBudgets(r);
	const columns = ["req/s", "p50 ms", "p99 ms", "CPU ms/req", "requests", "expected"];
	const { baseline: hello, d1Baseline: helloD1 } = r;
	const lines = [
		"# Benchmarks",
		"",
		`Run by \`npm run bench\` on ${c.date}: ${c.machine}, workerd ${c.workerd}. Each route is loaded for ${c.seconds} s by autocannon ` +
			"over loopback against workerd run by Miniflare (one isolate per worker, one workerd process per worker), with an " +
			`in-memory D1 migrated from \`migrations/\` and ${c.seededUsers} seeded users. bcrypt cost ${c.bcryptCost}; throttle ` +
			"limits raised so no run is answered 429.",
		"",
		"CPU ms/req is the workerd process's CPU time (utime + stime from `/proc/<pid>/stat`) over the load window, divided by " +
			"the requests completed in it. That process runs the worker's isolate, Miniflare's D1 simulator (SQLite) and the HTTP " +
			"front, so the figure is all the server-side work a request causes; autocannon runs in the Node process and is not " +
			"counted. The kernel counts CPU time in ticks of 10 ms, small beside a window of seconds.",
		"",
		"## Routes",
		"",
		`Baselines in the same run, 10 connections: hello-world Hono ${fixed(hello.rps)} req/s (p50 ${hello.p50} ms, p99 ${hello.p99} ms, ` +
			`${fixed(hello.cpuMsPerRequest, 2)} CPU ms/req); the same plus one D1 lookup ${fixed(helloD1.rps)} req/s ` +
			`(p50 ${helloD1.p50} ms, p99 ${helloD1.p99} ms, ${fixed(helloD1.cpuMsPerRequest, 2)} CPU ms/req), ` +
			`${fixed(helloD1.rps / hello.rps, 2)}× hello world: local D1 runs every query through Miniflare's SQLite-backed ` +
			"simulator, and that, not the route, sets the ceiling of every route that reads or writes.",
		"Hashing routes run on 1 connection, so their latency is the service time of one request.",
		"",
		table(
			["route", "connections", ...columns, "× hello"],
			r.routes.map(({ m }) => [m.name, String(m.connections), ...figures(m), fixed(m.rps / hello.rps, 2)]),
		),
		"",
		"## Against Better Auth, in the same run",
		"",
		`Better Auth ${c.betterAuth} (\`bench/peers/better-auth/\`: email and password, on D1 through its built-in Kysely ` +
			"adapter, `nodejs_compat`, rate limiting off), served on the same workerd and D1 simulator, twice: with its " +
			`default password hashing (scrypt, through \`node:crypto\`) and with bcryptjs at cost ${c.bcryptCost}, as ours, so the ` +
			`hashing routes compare at equal hash work. ${c.peerUsers} users are created through its sign-up route before each ` +
			"run; its POSTs send JSON with the Origin of its base URL, as a same-origin browser would. Its get-session answers " +
			"200 with `null` for a missing session, so only answers holding a session count as expected. Same connections as " +
			"ours; the budgets hold the bcrypt run to ours for the hashing routes.",
		"",
		table(["what", "route", "connections", ...columns], sideBySide(r)),
		"",
		`Uploads (\`wrangler deploy --dry-run\`, minified, script and text modules, gzip level 9): ours ${kib(ours.rawBytes)} ` +
			`raw, ${kib(ours.gzipBytes)} gzip; Better Auth's ${kib(peer.rawBytes)} raw, ${kib(peer.gzipBytes)} gzip.`,
		"",
		"## Budgets",
		"",
		table(["what", "figure", "budget", "verdict"], budgetRows),
		"",
		"## D1 round trips and bcrypt operations per route",
		"",
		table(["route", "D1 round trips", "after the answer", "bcrypt", "what and why"], ROUND_TRIPS),
		"",
		"A login whose stored hash was made at another cost than `BCRYPT_COST` also hashes the password anew, in the same " +
			"write batch: the one case of two bcrypt operations in a request.",
		"",
		"## bcryptjs in workerd",
		"",
		"Milliseconds of one operation (sync API, 1 connection, 1000 / req/s):",
		"",
		table(
			["cost", "hash ms", "compare ms"],
			r.bcrypt.costs.map((row) => [String(row.cost), fixed(row.hashMs), fixed(row.compareMs)]),
		),
		"",
		"bcryptjs's async API lets other requests run only after `Date.now()` shows 100 ms of hashing. Here, `Date.now()` " +
			`advanced ${r.bcrypt.clockAdvancedMs} ms across one cost-10 hash, so it yields at most once per hash; once deployed, ` +
			"Workers' clocks only advance on I/O, so it never yields. Both APIs therefore run a hash in one piece, and whether " +
			"cheap requests wait behind hashes (no-op req/s ≈ compare req/s) or pass them (hundreds of req/s) varies from round " +
			"to round and run to run with either API. The service uses the sync API.",
		"",
		"Sync against async API under concurrency: 2 connections run cost-10 compares while 2 others hit a no-op route on the " +
			`same worker, ${c.bcryptSeconds} s per round.`,
		"",
		table(
			[
				"round",
				"API",
				"compare req/s",
				"compare p50 ms",
				"compare p99 ms",
				"no-op req/s",
				"no-op p50 ms",
				"no-op p99 ms",
			],
			r.bcrypt.rounds.map(({ round, mode, hashing, cheap }) => [
				String(round),
				mode,
				fixed(hashing.rps),
				String(hashing.p50),
				String(hashing.p99),
				fixed(cheap.rps),
				String(cheap.p50),
				String(cheap.p99),
			]),
		),
		"",
		"## The password policy's extra work",
		"",
		`Per new or checked password, in workerd: the lookup among the 10,000 most common passwords ${fixed(r.bcrypt.policy.commonCheckMicros, 2)} µs; ` +
			`the HMAC-SHA-256 pre-hash of a password over 72 bytes ${fixed(r.bcrypt.policy.prehashMicros, 2)} µs. ` +
			`Against ${fixed(bcryptOpMs(r, "compare"))} ms for one bcrypt comparison at cost ${c.bcryptCost}, both are noise; ` +
			"the list adds about 30 KiB gzipped to the bundle.",
		"",
		`Total run time: ${c.totalSeconds} s.`,
	];
	return { markdown: `${lines.join("\n")}\n`, failed };
}
