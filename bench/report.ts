/**
 * The benchmark's report: turns the figures of one run into BENCHMARKS.md and says whether every budget
 * held. Pure (no I/O, no Node APIs), so `test/unit/bench-report.test.ts` runs it inside workerd. Each
 * budget's threshold is written once, in {@link BUDGETS}, and both the verdict and the printed limit come
 * from it.
 *
 * @module
 */
import { ROUND_TRIPS } from "./round-trips";

/** The figures of one route loaded for a fixed time. */
export interface Measurement {
	name: string;
	connections: number;
	rps: number;
	p50: number;
	p99: number;
	requests: number;
	/** Share of answers that were the expected one. */
	expectedShare: number;
	/** The workerd process's CPU time over the load window, divided by the requests completed. */
	cpuMsPerRequest: number;
}

/** A threshold: a floor, a ceiling (inclusive, or strict with `below`), or a range. */
export interface Budget {
	readonly atLeast?: number;
	readonly atMost?: number;
	readonly below?: number;
	/** Decimals printed. */
	readonly digits: number;
	/** Printed after the number. */
	readonly unit?: string;
}

/** Every budget of the benchmark. */
export const BUDGETS = {
	/** A route without D1: its req/s over hello world's. With D1: over hello world + as many lookups. */
	cheapRoute: { atLeast: 0.5, digits: 2 },
	/** A hashing route's time per request, in bcrypt operations of the same kind measured alone. */
	hashingRoute: { atLeast: 0.75, atMost: 1.3, digits: 2 },
	/** Everything uploaded, gzipped. */
	bundleGzipKiB: { below: 150, digits: 0, unit: " KiB gzip" },
	/** GET /profile's req/s over Better Auth's get-session's. */
	sessionVsPeer: { atLeast: 2, digits: 2 },
	/** A hashing route's ms per request over the bcrypt peer's same route's. */
	hashingVsPeer: { atMost: 1.1, digits: 2 },
	/** Our upload's gzipped size over the peer's. */
	bundleVsPeer: { below: 0.5, digits: 2 },
} as const satisfies Record<string, Budget>;

/** Whether a figure is within a budget; NaN never is. */
export function withinBudget(budget: Budget, value: number): boolean {
	return (
		!Number.isNaN(value) &&
		(budget.atLeast === undefined || value >= budget.atLeast) &&
		(budget.atMost === undefined || value <= budget.atMost) &&
		(budget.below === undefined || value < budget.below)
	);
}

/** A budget's limit as printed: "≥ 0.50", "0.75–1.30", "< 150 KiB gzip". */
export function limitText(budget: Budget): string {
	const n = (value: number) => `${value.toFixed(budget.digits)}${budget.unit ?? ""}`;
	if (budget.atLeast !== undefined && budget.atMost !== undefined) {
		return `${budget.atLeast.toFixed(budget.digits)}–${n(budget.atMost)}`;
	}
	const parts = [];
	if (budget.atLeast !== undefined) parts.push(`≥ ${n(budget.atLeast)}`);
	if (budget.atMost !== undefined) parts.push(`≤ ${n(budget.atMost)}`);
	if (budget.below !== undefined) parts.push(`< ${n(budget.below)}`);
	return parts.join(", ");
}

/** A route of the service with what its budget compares it to. */
export type ServiceRoute =
	| { m: Measurement /** D1 round trips per request; 0 compares it to hello world. */; trips: number }
	| { m: Measurement /** The bcrypt operation it makes once. */; op: "hash" | "compare" };

/** The peer's routes in one hashing variant. */
export interface PeerRun {
	hash: "scrypt" | "bcrypt";
	routes: Measurement[];
}

/** Raw and gzipped size of an upload, in bytes. */
export interface Size {
	rawBytes: number;
	gzipBytes: number;
}

/** Everything one run measured, and the conditions it ran in. */
export interface BenchResults {
	conditions: {
		date: string;
		machine: string;
		workerd: string;
		betterAuth: string;
		seconds: number;
		bcryptSeconds: number;
		seededUsers: number;
		peerUsers: number;
		bcryptCost: number;
		totalSeconds: number;
	};
	baseline: Measurement;
	d1Baseline: Measurement;
	routes: ServiceRoute[];
	peers: PeerRun[];
	bundles: { ours: Size; peer: Size };
	bcrypt: {
		/** Milliseconds of one operation at each cost, sync API. */
		costs: { cost: number; hashMs: number; compareMs: number }[];
		clockAdvancedMs: number;
		rounds: { round: number; mode: string; hashing: Measurement; cheap: Measurement }[];
		policy: { commonCheckMicros: number; prehashMicros: number };
	};
}

/** The routes compared with the peer's, and the budget each pair is held to. */
export const PEER_PAIRS = [
	{ what: "sign-up", ours: "POST /users", theirs: "POST sign-up/email", budget: "hashingVsPeer" },
	{
		what: "sign-in, right password",
		ours: "POST /sessions (right password)",
		theirs: "POST sign-in/email (right password)",
		budget: "hashingVsPeer",
	},
	{
		what: "sign-in, wrong password",
		ours: "POST /sessions (wrong password)",
		theirs: "POST sign-in/email (wrong password)",
		budget: "hashingVsPeer",
	},
	{
		what: "session check",
		ours: "GET /profile (valid cookie)",
		theirs: "GET get-session (valid cookie)",
		budget: "sessionVsPeer",
	},
] as const;

/** Formats a number with a fixed count of decimals. */
export const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/** Formats bytes as KiB with one decimal. */
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Renders a Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
	return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The one measurement named `name`; a missing one is a bug in the load table, so it throws. */
function named(measurements: readonly Measurement[], name: string): Measurement {
	const found = measurements.find((m) => m.name === name);
	if (found === undefined) {
		throw new Error(`no measurement named ${JSON.stringify(name)}`);
	}
	return found;
}

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

/** Renders BENCHMARKS.md from one run's figures, and whether any budget failed. */
export function renderReport(r: BenchResults): { markdown: string; failed: boolean } {
	const c = r.conditions;
	let failed = false;
	const budgetRows: string[][] = [];
	const judge = (what: string, figure: string, budget: Budget, value: number) => {
		const pass = withinBudget(budget, value);
		failed ||= !pass;
		budgetRows.push([what, figure, limitText(budget), pass ? "PASS" : "FAIL"]);
	};

	const bcryptMs = (op: "hash" | "compare") => {
		const row = r.bcrypt.costs.find((cost) => cost.cost === c.bcryptCost);
		return row === undefined ? Number.NaN : op === "hash" ? row.hashMs : row.compareMs;
	};
	for (const route of r.routes) {
		const { m } = route;
		if ("op" in route) {
			const ops = 1000 / m.rps / bcryptMs(route.op);
			const figure = `${fixed(ops, 2)} bcrypt ${route.op} per request (${fixed(1000 / m.rps)} ms ÷ ${fixed(bcryptMs(route.op))} ms)`;
			judge(m.name, figure, BUDGETS.hashingRoute, ops);
		} else if (route.trips === 0) {
			const ratio = m.rps / r.baseline.rps;
			judge(m.name, `${fixed(ratio, 2)}× hello world`, BUDGETS.cheapRoute, ratio);
		} else {
			// Judged against a worker that makes the same number of D1 lookups and nothing else.
			const ratio = (m.rps * route.trips) / r.d1Baseline.rps;
			const lookups = `${route.trips} D1 lookup${route.trips > 1 ? "s" : ""}`;
			judge(m.name, `${fixed(ratio, 2)}× hello world + ${lookups}`, BUDGETS.cheapRoute, ratio);
		}
	}
	const { ours, peer } = r.bundles;
	judge(
		"bundle size",
		`${kib(ours.rawBytes)} raw, ${kib(ours.gzipBytes)} gzip, script and text modules`,
		BUDGETS.bundleGzipKiB,
		ours.gzipBytes / 1024,
	);

	const peerRows: string[][] = [];
	const serviceMeasurements = r.routes.map((route) => route.m);
	for (const pair of PEER_PAIRS) {
		const mine = named(serviceMeasurements, pair.ours);
		peerRows.push([pair.what, `ours: ${pair.ours}`, String(mine.connections), ...figures(mine)]);
		for (const run of r.peers) {
			const theirs = named(run.routes, pair.theirs);
			peerRows.push([
				pair.what,
				`Better Auth, ${run.hash}: ${pair.theirs}`,
				String(theirs.connections),
				...figures(theirs),
			]);
		}
		if (pair.budget === "sessionVsPeer") {
			// get-session hashes nothing, so both variants run the same code: the faster run is theirs.
			const theirs = Math.max(...r.peers.map((run) => named(run.routes, pair.theirs).rps));
			const ratio = mine.rps / theirs;
			judge(
				`${pair.ours} vs ${pair.theirs}`,
				`${fixed(ratio, 2)}× Better Auth's req/s (its faster run)`,
				BUDGETS[pair.budget],
				ratio,
			);
		} else {
			const bcryptRun = r.peers.find((run) => run.hash === "bcrypt");
			const theirs = bcryptRun === undefined ? Number.NaN : named(bcryptRun.routes, pair.theirs).rps;
			// One connection each, so 1000 ÷ req/s is the time one request takes.
			const ratio = theirs / mine.rps;
			judge(
				`${pair.ours} vs ${pair.theirs}, bcrypt ${c.bcryptCost} both`,
				`${fixed(ratio, 2)}× Better Auth's ms per request (${fixed(1000 / mine.rps)} ms ÷ ${fixed(1000 / theirs)} ms)`,
				BUDGETS[pair.budget],
				ratio,
			);
		}
	}
	const bundleRatio = ours.gzipBytes / peer.gzipBytes;
	judge(
		"bundle size vs Better Auth",
		`${fixed(bundleRatio, 2)}× Better Auth's upload (${kib(ours.gzipBytes)} ÷ ${kib(peer.gzipBytes)} gzip)`,
		BUDGETS.bundleVsPeer,
		bundleRatio,
	);

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
		table(["what", "route", "connections", ...columns], peerRows),
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
			`Against ${fixed(bcryptMs("compare"))} ms for one bcrypt comparison at cost ${c.bcryptCost}, both are noise; ` +
			"the list adds about 30 KiB gzipped to the bundle.",
		"",
		`Total run time: ${c.totalSeconds} s.`,
	];
	return { markdown: `${lines.join("\n")}\n`, failed };
}
