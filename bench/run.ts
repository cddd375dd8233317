/**
 * `npm run bench`: serves the deployable bundle of the worker on workerd through Miniflare's API (not
 * `wrangler dev`, whose proxy caps throughput), with a migrated in-memory D1, and loads each route with
 * autocannon for a fixed time. Alongside, in the same run: a hello-world Hono worker served the same way
 * (the baseline the ratios refer to), the same worker making one D1 lookup (the floor for a route with
 * one round trip to D1), and a bcryptjs worker that measures hash and compare at costs 8–12 and the sync
 * API against the async one under concurrency. Prints the tables and budget lines and writes them to
 * BENCHMARKS.md; exits non-zero when a budget fails.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import bcrypt from "bcryptjs";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Seconds each route is loaded for; the bcryptjs stages use {@link BCRYPT_SECONDS}. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? "5");
const BCRYPT_SECONDS = Math.min(SECONDS, 3);
const WRANGLER_TOML = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
const COMPATIBILITY_DATE = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(WRANGLER_TOML)?.[1] ?? "2026-04-20";
const BCRYPT_COST = 10;
const PASSWORD = "bench-password";
/** Users seeded with a live session and reset token each; enough for every rotating route's requests. */
const SEEDED_USERS = 30_000;

/**
 * What each route sends to D1 and why; `test/costs.test.ts` counts the same figures on every test run.
 * Columns: route, round trips the answer waits for, round trips after it (the request's security events,
 * stored by `waitUntil`), bcrypt operations, and why.
 */
const ROUND_TRIPS: string[][] = [
	["GET /", "0", "0", "0", "Nothing to read."],
	[
		"POST /users",
		"2",
		"1 (0 for a taken email)",
		"1 hash",
		"One UPSERT counting the network's sign-ups (refused past the limit before any hashing); one INSERT, whose unique index on email rejects a taken one in the same statement. The sign-up event is stored after the answer.",
	],
	[
		"POST /sessions",
		"2 (1 when it fails)",
		"1 (0 for an unknown email)",
		"1 compare",
		"A batch reading the user and counting the attempt against the account and the client network (counted first, so concurrent attempts cannot slip past the limit); a success then inserts the session (ending the user's expired ones and the oldest beyond the cap), clears the account's count and takes the attempt back from the network's, in one batch. An unknown email is compared against a dummy hash.",
	],
	[
		"GET /profile",
		"1 (0 without a cookie)",
		"0",
		"0",
		"One SELECT of the session, by digest, joined to its user. A session last recorded as used more than a day ago adds one UPDATE to renew it: at most one write per session per day.",
	],
	[
		"GET /sessions",
		"2",
		"0",
		"0",
		"The session lookup (as for the profile), then one SELECT of the user's live sessions.",
	],
	[
		"DELETE /sessions",
		"1",
		"1 (0 without a live session)",
		"0",
		"One conditional DELETE that ends this session only if it is live.",
	],
	[
		"DELETE /sessions/{id}, ?scope=others",
		"2",
		"1",
		"0",
		"The session lookup, then one DELETE of the sessions named.",
	],
	[
		"DELETE /sessions?scope=global",
		"1",
		"1",
		"0",
		"One DELETE of every session of the user holding this one, if it is live.",
	],
	[
		"PUT /password",
		"3 (2 for a wrong password)",
		"1",
		"1 compare + 1 hash",
		"The session lookup; a batch reading the user and counting the attempt like a login; then one batch that stores the new hash, voids any reset token, ends the other sessions and clears the counters. Checking the current password and hashing the new one are two bcrypt operations by nature.",
	],
	[
		"DELETE /users/me",
		"3 (2 for a wrong password)",
		"0 (1 for a wrong password)",
		"1 compare",
		"The session lookup; a batch reading the user and counting the attempt; then one batch deleting the sessions, the user and its counter. The account's events go with it.",
	],
	[
		"POST /reset_password",
		"2 (1 for an unknown email)",
		"1 (0 for an unknown email)",
		"0",
		"A batch reading the user and counting the request; then an UPDATE storing the token digest.",
	],
	[
		"PUT /reset_password",
		"2 (1 for a bad token)",
		"1 (0 for a bad token)",
		"1 hash",
		"A lookup by token digest and email; then one batch, conditional on the token, that ends every session and stores the new hash, so two concurrent uses cannot both succeed. Looking first means a bad token costs no hash.",
	],
];

/** One measured route. */
interface Measurement {
	name: string;
	connections: number;
	rps: number;
	p50: number;
	p99: number;
	requests: number;
	/** Share of answers with the expected status. */
	expectedShare: number;
}

/** A worker served on workerd for the length of one benchmark stage. */
interface Served {
	url: URL;
	mf: Miniflare;
}

/** Starts workerd with one bundled module worker. */
async function serve(
	scriptPath: string,
	extra: { d1?: boolean; bindings?: Record<string, string> } = {},
): Promise<Served> {
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			name: "bench",
			// The worker still writes its log line per request; printing them to this terminal is left out.
			handleStructuredLogs: () => {},
			host: "127.0.0.1",
			port: 0,
			// The bundle, and the text modules wrangler writes beside it (the common-password list).
			modules: [
				{ type: "ESModule", path: scriptPath },
				...readdirSync(path.dirname(scriptPath))
					.filter((file) => file.endsWith(".txt"))
					.map((file) => ({ type: "Text" as const, path: path.join(path.dirname(scriptPath), file) })),
			],
			modulesRoot: path.dirname(scriptPath),
			compatibilityDate: COMPATIBILITY_DATE,
			compatibilityFlags: ["nodejs_compat"],
			d1Databases: extra.d1 ? ["DB"] : [],
			bindings: extra.bindings ?? {},
		}),
	);
	return { url: await mf.ready, mf };
}

/** A request for autocannon: fixed, or made anew for each request by `next`. */
interface Load {
	name: string;
	path: string;
	method?: "GET" | "POST" | "PUT" | "DELETE";
	connections: number;
	expectStatus: number;
	headers?: Record<string, string>;
	form?: () => Record<string, string>;
	cookie?: () => string;
}

/** Drives one route for `seconds` and returns its figures. */
async function measure(base: URL, load: Load, seconds = SECONDS): Promise<Measurement> {
	let expected = 0;
	const result = await autocannon({
		url: base.href,
		connections: load.connections,
		duration: seconds,
		requests: [
			{
				method: load.method ?? "GET",
				path: load.path,
				setupRequest: (request) => {
					const headers: Record<string, string> = { ...load.headers };
					if (load.cookie) {
						headers.cookie = `session_id=${load.cookie()}`;
					}
					if (load.form) {
						headers["content-type"] = "application/x-www-form-urlencoded";
						return { ...request, headers, body: new URLSearchParams(load.form()).toString() };
					}
					return { ...request, headers };
				},
				onResponse: (status) => {
					if (status === load.expectStatus) {
						expected++;
					}
				},
			},
		],
	});
	return {
		name: load.name,
		connections: load.connections,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		requests: result.requests.total,
		expectedShare: result.requests.total === 0 ? 0 : expected / result.requests.total,
	};
}

/** Bundles a small benchmark worker with esbuild the way wrangler would (ES module, workerd conditions). */
async function bundle(entry: string, outdir: string): Promise<string> {
	const outfile = path.join(outdir, `${path.basename(entry, ".ts")}.js`);
	await build({
		entryPoints: [path.join(ROOT, entry)],
		bundle: true,
		format: "esm",
		platform: "neutral",
		conditions: ["workerd", "worker", "browser"],
		mainFields: ["module", "main"],
		external: ["crypto", "node:*"],
		loader: { ".txt": "text" },
		outfile,
		logLevel: "error",
	});
	return outfile;
}

/**
 * Builds the deployable bundle with `wrangler deploy --dry-run` and returns the script's path and the
 * size of everything uploaded with it (the script and its text modules; not the source map).
 */
function buildApp(outdir: string): { script: string; rawBytes: number; gzipBytes: number } {
	execFileSync(
		path.join(ROOT, "node_modules/.bin/wrangler"),
		["deploy", "--dry-run", "--outdir", outdir, "--config", path.join(ROOT, "wrangler.toml")],
		{ cwd: ROOT, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	const modules = readdirSync(outdir).filter((file) => file.endsWith(".js") || file.endsWith(".txt"));
	let rawBytes = 0;
	let gzipBytes = 0;
	for (const file of modules) {
		const code = readFileSync(path.join(outdir, file));
		rawBytes += code.length;
		gzipBytes += gzipSync(code, { level: 9 }).length;
	}
	return { script: path.join(outdir, "index.js"), rawBytes, gzipBytes };
}

/** SHA-256 in hex, as the service stores session ids and reset tokens. */
function sha256Hex(value: string): string {
	return createHash("sha256").update(value).digest("hex");
}

/** Applies the real migrations to the served D1 database. */
async function migrate(db: Awaited<ReturnType<Miniflare["getD1Database"]>>): Promise<void> {
	const dir = path.join(ROOT, "migrations");
	for (const file of readdirSync(dir)
		.filter((f) => f.endsWith(".sql"))
		.sort()) {
		const statements = readFileSync(path.join(dir, file), "utf8")
			.split("--> statement-breakpoint")
			.map((s) => s.replace(/^\s*--.*$/gm, "").trim())
			.filter((s) => s !== "");
		await db.batch(statements.map((s) => db.prepare(s)));
	}
}

/** Seeds users that each hold a live session and a live reset token; returns their raw secrets. */
async function seed(
	db: Awaited<ReturnType<Miniflare["getD1Database"]>>,
): Promise<{ email: string; session: string; token: string }[]> {
	// The service's scheme for passwords of 72 bytes or fewer (see src/auth/password.ts): no re-hash at login.
	const hash = `nfc$${bcrypt.hashSync(PASSWORD, BCRYPT_COST)}`;
	const now = Date.now();
	// Used just now: profile reads during the run do not renew (and write), which happens once a day.
	const sessionExpiry = now + 7 * 24 * 3600 * 1000;
	const tokenExpiry = now + 3600 * 1000;
	const users = Array.from({ length: SEEDED_USERS }, (_, i) => ({
		id: i + 1,
		email: `bench-${i}@example.com`,
		session: randomUUID(),
		token: randomUUID(),
	}));
	const statements = [];
	for (let i = 0; i < users.length; i += 200) {
		// Every value is generated here (hex digests, UUIDs, numbers), so inlining them is safe.
		const batch = users.slice(i, i + 200);
		const userRows = batch.map(
			(u) => `(${u.id}, '${u.email}', '${hash}', '${sha256Hex(u.token)}', ${tokenExpiry})`,
		);
		const sessionRows = batch.map(
			(u) =>
				`('${sha256Hex(u.session)}', '${sha256Hex(u.email).slice(0, 32)}', ${u.id}, ${now}, ${now}, ${sessionExpiry}, 'bench')`,
		);
		statements.push(
			db.prepare(
				`INSERT INTO users (id, email, hashed_password, reset_token, reset_token_expires_at) VALUES ${userRows.join(", ")}`,
			),
			db.prepare(
				`INSERT INTO sessions (id, public_id, user_id, created_at, last_used_at, expires_at, user_agent) VALUES ${sessionRows.join(", ")}`,
			),
		);
	}
	await db.batch(statements);
	return users;
}

/** Returns a function that hands out the items of `items` in turn, starting at `from`. */
function rotate<T>(items: readonly T[], from = 0): () => T {
	let i = from;
	return () => {
		const item = items[i % items.length];
		i++;
		if (item === undefined) {
			throw new Error("rotate() needs at least one item");
		}
		return item;
	};
}

/** Formats a number with a fixed count of decimals. */
function fixed(value: number, digits = 1): string {
	return value.toFixed(digits);
}

/** Formats KiB with one decimal. */
function kib(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Renders a Markdown table. */
function table(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
	return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Runs every stage and writes the report. */
async function main(): Promise<void> {
	const started = Date.now();
	const work = mkdtempSync(path.join(os.tmpdir(), "auth-bench-"));
	const out: string[] = [];
	const say = (text = "") => {
		console.log(text);
		out.push(text);
	};
	let failed = false;
	const verdict = (pass: boolean) => {
		failed ||= !pass;
		return pass ? "PASS" : "FAIL";
	};

	try {
		const app = buildApp(path.join(work, "app"));
		const helloScript = await bundle("bench/workers/hello.ts", path.join(work, "hello"));
		const bcryptScript = await bundle("bench/workers/bcrypt.ts", path.join(work, "bcrypt"));

		// Stage 1: bcryptjs inside workerd.
		const bw = await serve(bcryptScript);
		const costRows: string[][] = [];
		console.log("bcryptjs in workerd…");
		const opMs = new Map<string, number>();
		for (const cost of [8, 9, 10, 11, 12]) {
			await fetch(new URL(`/warm?cost=${cost}`, bw.url));
			const row = [String(cost)];
			for (const op of ["hash", "compare"]) {
				const m = await measure(
					bw.url,
					{ name: `${op} ${cost}`, path: `/${op}?cost=${cost}&mode=sync`, connections: 1, expectStatus: 200 },
					BCRYPT_SECONDS,
				);
				const ms = 1000 / m.rps;
				opMs.set(`${op}:${cost}`, ms);
				row.push(fixed(ms));
			}
			costRows.push(row);
		}
		const clock = (await (await fetch(new URL("/clock?cost=10", bw.url))).json()) as { advancedMs: number };
		const policy = (await (await fetch(new URL("/policy", bw.url))).json()) as {
			commonCheckMicros: number;
			prehashMicros: number;
		};
		// Three rounds each: how requests interleave on one isolate varies from round to round.
		const modeRows: string[][] = [];
		for (let round = 1; round <= 3; round++) {
			for (const mode of ["sync", "async"]) {
				const [hashing, cheap] = await Promise.all([
					measure(
						bw.url,
						{ name: mode, path: `/compare?cost=10&mode=${mode}`, connections: 2, expectStatus: 200 },
						BCRYPT_SECONDS,
					),
					measure(bw.url, { name: "noop", path: "/noop", connections: 2, expectStatus: 200 }, BCRYPT_SECONDS),
				]);
				modeRows.push([
					String(round),
					mode,
					fixed(hashing.rps),
					String(hashing.p50),
					String(hashing.p99),
					fixed(cheap.rps),
					String(cheap.p50),
					String(cheap.p99),
				]);
			}
		}
		await bw.mf.dispose();

		// Stage 2: the hello-world baselines, without and with one D1 lookup.
		console.log("baselines…");
		const hello = await serve(helloScript, { d1: true });
		const helloDb = await hello.mf.getD1Database("DB");
		await helloDb.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
		const baseline = await measure(hello.url, {
			name: "hello",
			path: "/",
			connections: 10,
			expectStatus: 200,
		});
		const d1Baseline = await measure(hello.url, {
			name: "hello + D1",
			path: "/d1",
			connections: 10,
			expectStatus: 200,
		});
		await hello.mf.dispose();

		// Stage 3: the service itself.
		console.log("the service…");
		const limits = "1000000"; // Throttling is measured by the tests; here it must not turn runs into 429s.
		const svc = await serve(app.script, {
			d1: true,
			bindings: {
				BCRYPT_COST: String(BCRYPT_COST),
				LOGIN_MAX_FAILURES_PER_ACCOUNT: limits,
				LOGIN_MAX_FAILURES_PER_IP: limits,
				RESET_MAX_REQUESTS_PER_ACCOUNT: limits,
				RESET_MAX_REQUESTS_PER_IP: limits,
				SIGNUP_MAX_PER_IP: limits,
			},
		});
		const db = await svc.mf.getD1Database("DB");
		await migrate(db);
		const users = await seed(db);
		const [first] = users;
		if (first === undefined) {
			throw new Error("no users were seeded");
		}
		const emails = users.map((u) => u.email);
		let fresh = 0;
		// `trips`: D1 round trips per request, as test/costs.test.ts counts them, with the one after the answer
		// that stores the request's security events: the answer does not wait for it, but D1 does the work.
		const cheapLoads: (Load & { trips: number })[] = [
			{ name: "GET /", path: "/", connections: 10, expectStatus: 200, trips: 0 },
			{ name: "GET /health", path: "/health", connections: 10, expectStatus: 200, trips: 1 },
			{
				name: "GET /profile (valid cookie)",
				path: "/profile",
				connections: 10,
				expectStatus: 200,
				trips: 1,
				cookie: () => first.session,
			},
			{
				name: "GET /sessions",
				path: "/sessions",
				connections: 10,
				expectStatus: 200,
				trips: 2,
				cookie: () => first.session,
			},
			{
				name: "GET /profile (bad cookie)",
				path: "/profile",
				connections: 10,
				expectStatus: 403,
				trips: 1,
				cookie: () => randomUUID(),
			},
			{
				name: "DELETE /sessions",
				path: "/sessions",
				method: "DELETE",
				connections: 10,
				expectStatus: 302,
				trips: 2,
				cookie: rotate(users.slice(1).map((u) => u.session)),
			},
			{
				name: "POST /reset_password",
				path: "/reset_password",
				method: "POST",
				connections: 10,
				expectStatus: 200,
				trips: 3,
				// The second half of the users, so the tokens PUT /reset_password spends stay valid.
				form: (() => {
					const next = rotate(emails.slice(SEEDED_USERS / 2));
					return () => ({ email: next() });
				})(),
			},
		];
		const hashingLoads: (Load & { op: "hash" | "compare" })[] = [
			{
				name: "POST /sessions (right password)",
				path: "/sessions",
				method: "POST",
				connections: 1,
				expectStatus: 200,
				op: "compare",
				form: (() => {
					const next = rotate(emails, 1);
					return () => ({ email: next(), password: PASSWORD });
				})(),
			},
			{
				name: "POST /sessions (wrong password)",
				path: "/sessions",
				method: "POST",
				connections: 1,
				expectStatus: 401,
				op: "compare",
				form: (() => {
					const next = rotate(emails, 1);
					return () => ({ email: next(), password: "wrong-password" });
				})(),
			},
			{
				name: "POST /sessions (unknown email)",
				path: "/sessions",
				method: "POST",
				connections: 1,
				expectStatus: 401,
				op: "compare",
				form: () => ({ email: `nobody-${fresh++}@example.com`, password: PASSWORD }),
			},
			{
				name: "POST /users",
				path: "/users",
				method: "POST",
				connections: 1,
				expectStatus: 200,
				op: "hash",
				form: () => ({ email: `new-${fresh++}@example.com`, password: PASSWORD }),
			},
			{
				name: "PUT /reset_password",
				path: "/reset_password",
				method: "PUT",
				connections: 1,
				expectStatus: 200,
				op: "hash",
				form: (() => {
					const next = rotate(users.slice(1, SEEDED_USERS / 2));
					return () => {
						const u = next();
						return { email: u.email, reset_token: u.token, new_password: "new-password" };
					};
				})(),
			},
		];
		const routeRows: string[][] = [];
		const budgetRows: string[][] = [];
		for (const load of cheapLoads) {
			const m = await measure(svc.url, load);
			const ratio = m.rps / baseline.rps;
			routeRows.push(routeRow(m, ratio));
			if (load.trips === 0) {
				budgetRows.push([load.name, `${fixed(ratio, 2)}× hello world (≥ 0.50)`, verdict(ratio >= 0.5)]);
			} else {
				// Judged against a worker that makes the same number of D1 lookups and nothing else.
				const d1Ratio = (m.rps * load.trips) / d1Baseline.rps;
				budgetRows.push([
					load.name,
					`${fixed(d1Ratio, 2)}× hello world + ${load.trips} D1 lookup${load.trips > 1 ? "s" : ""} (≥ 0.50); ${fixed(ratio, 2)}× hello world`,
					verdict(d1Ratio >= 0.5),
				]);
			}
		}
		for (const load of hashingLoads) {
			const m = await measure(svc.url, load);
			routeRows.push(routeRow(m, m.rps / baseline.rps));
			const bcryptMs = opMs.get(`${load.op}:${BCRYPT_COST}`) ?? Number.NaN;
			const ops = 1000 / m.rps / bcryptMs;
			budgetRows.push([
				load.name,
				`${fixed(ops, 2)} bcrypt ${load.op} per request (${fixed(1000 / m.rps)} ms ÷ ${fixed(bcryptMs)} ms; 0.75–1.30)`,
				verdict(ops >= 0.75 && ops <= 1.3),
			]);
		}
		await svc.mf.dispose();

		const bundleOk = app.gzipBytes < 150 * 1024;
		budgetRows.push([
			"bundle size",
			`${kib(app.rawBytes)} raw, ${kib(app.gzipBytes)} gzip, script and text modules (< 150 KiB gzip)`,
			verdict(bundleOk),
		]);

		const cpu = os.cpus()[0]?.model ?? "unknown CPU";
		const workerdVersion = JSON.parse(
			readFileSync(path.join(ROOT, "node_modules/workerd/package.json"), "utf8"),
		).version as string;
		say("# Benchmarks");
		say();
		say(
			`Run by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpu}, ${os.cpus().length} cores, ` +
				`${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, workerd ${workerdVersion}. ` +
				`Each route is loaded for ${SECONDS} s by autocannon over loopback against workerd run by Miniflare ` +
				`(one isolate), with an in-memory D1 migrated from \`migrations/\` and ${SEEDED_USERS} seeded users. ` +
				`bcrypt cost ${BCRYPT_COST}; throttle limits raised so no run is answered 429.`,
		);
		say();
		say("## Routes");
		say();
		say(
			`Baselines in the same run, 10 connections: hello-world Hono ${fixed(baseline.rps)} req/s ` +
				`(p50 ${baseline.p50} ms, p99 ${baseline.p99} ms); the same plus one D1 lookup ${fixed(d1Baseline.rps)} req/s ` +
				`(p50 ${d1Baseline.p50} ms, p99 ${d1Baseline.p99} ms), ${fixed(d1Baseline.rps / baseline.rps, 2)}× hello world: ` +
				"local D1 runs every query through Miniflare's SQLite-backed simulator, and that, not the route, sets the " +
				"ceiling of every route that reads or writes.",
		);
		say("Hashing routes run on 1 connection, so their latency is the service time of one request.");
		say();
		say(
			table(
				["route", "connections", "req/s", "p50 ms", "p99 ms", "× hello", "requests", "expected status"],
				routeRows,
			),
		);
		say();
		say("## Budgets");
		say();
		say(table(["what", "figure", "verdict"], budgetRows));
		say();
		say("## D1 round trips and bcrypt operations per route");
		say();
		say(table(["route", "D1 round trips", "after the answer", "bcrypt", "what and why"], ROUND_TRIPS));
		say();
		say(
			"A login whose stored hash was made at another cost than `BCRYPT_COST` also hashes the password anew, in the same write batch: the one case of two bcrypt operations in a request.",
		);
		say();
		say("## bcryptjs in workerd");
		say();
		say("Milliseconds of one operation (sync API, 1 connection, 1000 / req/s):");
		say();
		say(table(["cost", "hash ms", "compare ms"], costRows));
		say();
		say(
			`bcryptjs's async API lets other requests run only after \`Date.now()\` shows 100 ms of hashing. Here, ` +
				`\`Date.now()\` advanced ${clock.advancedMs} ms across one cost-10 hash, so it yields at most once per hash; ` +
				"once deployed, Workers' clocks only advance on I/O, so it never yields. Both APIs therefore run a hash in one piece, " +
				"and whether cheap requests wait behind hashes (no-op req/s ≈ compare req/s) or pass them (hundreds of req/s) " +
				"varies from round to round and run to run with either API. The service uses the sync API.",
		);
		say();
		say(
			`Sync against async API under concurrency: 2 connections run cost-10 compares while 2 others hit a no-op route on the same worker, ${BCRYPT_SECONDS} s per round.`,
		);
		say();
		say(
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
				modeRows,
			),
		);
		say();
		say("## The password policy's extra work");
		say();
		say(
			`Per new or checked password, in workerd: the lookup among the 10,000 most common passwords ${fixed(policy.commonCheckMicros, 2)} µs; ` +
				`the HMAC-SHA-256 pre-hash of a password over 72 bytes ${fixed(policy.prehashMicros, 2)} µs. ` +
				`Against ${fixed(opMs.get(`compare:${BCRYPT_COST}`) ?? Number.NaN)} ms for one bcrypt comparison at cost ${BCRYPT_COST}, both are noise; ` +
				"the list adds about 30 KiB gzipped to the bundle (below).",
		);
		say();
		say(`Total run time: ${fixed((Date.now() - started) / 1000, 0)} s.`);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}

	writeFileSync(path.join(ROOT, "BENCHMARKS.md"), `${out.join("\n")}\n`);
	if (failed) {
		process.exitCode = 1;
	}
}

/** Formats one row of the routes table. */
function routeRow(m: Measurement, ratio: number): string[] {
	return [
		m.name,
		String(m.connections),
		fixed(m.rps),
		String(m.p50),
		String(m.p99),
		fixed(ratio, 2),
		String(m.requests),
		`${fixed(m.expectedShare * 100, 1)} %`,
	];
}

await main();
