/**
 * `npm run bench`: serves the deployable bundle of the worker on workerd through Miniflare, with a
 * migrated in-memory D1, and loads each route with autocannon for a fixed time. Alongside, in the same
 * run: a hello-world Hono worker served the same way (the baseline the ratios refer to), the same worker
 * making one D1 lookup (the floor for a route with one round trip to D1), a bcryptjs worker that measures
 * hash and compare at costs 8–12 and the sync API against the async one under concurrency, and Better
 * Auth doing the same job (bench/peers/better-auth/), with its own hashing and with bcryptjs. Prints the
 * report, writes it to BENCHMARKS.md followed by the capacity section kept in bench/capacity.md, and exits
 * non-zero when a budget fails.
 *
 * `BENCH_SECONDS` sets the seconds each route is loaded for (default 5).
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations, BCRYPT_COST, seedPeer, seedService } from "./fixtures";
import { peerBindings, peerLoads, SERVICE_BINDINGS, serviceLoads } from "./loads";
import { measure } from "./measure";
import { renderReport } from "./report";
import type { BenchResults, PeerRun, ServiceRoute } from "./results";
import { buildForUpload, bundle, ROOT, serve } from "./serve";

const SECONDS = Number(process.env.BENCH_SECONDS ?? "5");
/** Seconds for each bcryptjs stage: the operations are slow and steady, so shorter windows do. */
const BCRYPT_SECONDS = Math.min(SECONDS, 3);
/** Users seeded with a live session and reset token each; enough for every rotating route's requests. */
const SEEDED_USERS = 30_000;
/** Users the peer's sign-in routes rotate over, created through its sign-up route. */
const PEER_USERS = 20;

/** The version of a package installed under `dir` (relative to the repository). */
function versionOf(name: string, dir = "."): string {
	return JSON.parse(readFileSync(path.join(ROOT, dir, "node_modules", name, "package.json"), "utf8")).version;
}

/** bcryptjs inside workerd: each cost alone, the clock it slices by, the policy's extra work, sync vs async. */
async function measureBcrypt(script: string): Promise<BenchResults["bcrypt"]> {
	const bw = await serve(script);
	try {
		const costs = [];
		for (const cost of [8, 9, 10, 11, 12]) {
			await fetch(new URL(`/warm?cost=${cost}`, bw.url));
			const ms = async (op: string) => {
				const load = {
					name: `${op} ${cost}`,
					path: `/${op}?cost=${cost}&mode=sync`,
					connections: 1,
					expectStatus: 200,
				};
				return 1000 / (await measure(bw, load, BCRYPT_SECONDS)).rps;
			};
			costs.push({ cost, hashMs: await ms("hash"), compareMs: await ms("compare") });
		}
		const clock = (await (await fetch(new URL("/clock?cost=10", bw.url))).json()) as { advancedMs: number };
		const policy = (await (
			await fetch(new URL("/policy", bw.url))
		).json()) as BenchResults["bcrypt"]["policy"];
		// Three rounds each: how requests interleave on one isolate varies from round to round.
		const rounds = [];
		for (let round = 1; round <= 3; round++) {
			for (const mode of ["sync", "async"]) {
				const [hashing, cheap] = await Promise.all([
					measure(
						bw,
						{ name: mode, path: `/compare?cost=10&mode=${mode}`, connections: 2, expectStatus: 200 },
						BCRYPT_SECONDS,
					),
					measure(bw, { name: "noop", path: "/noop", connections: 2, expectStatus: 200 }, BCRYPT_SECONDS),
				]);
				rounds.push({ round, mode, hashing, cheap });
			}
		}
		return { costs, clockAdvancedMs: clock.advancedMs, rounds, policy };
	} finally {
		await bw.mf.dispose();
	}
}

/** The hello-world baselines, without and with one D1 lookup. */
async function measureBaselines(script: string): Promise<Pick<BenchResults, "baseline" | "d1Baseline">> {
	const hello = await serve(script, { d1: true });
	try {
		await (await hello.mf.getD1Database("DB")).exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
		return {
			baseline: await measure(
				hello,
				{ name: "hello", path: "/", connections: 10, expectStatus: 200 },
				SECONDS,
			),
			d1Baseline: await measure(
				hello,
				{ name: "hello + D1", path: "/d1", connections: 10, expectStatus: 200 },
				SECONDS,
			),
		};
	} finally {
		await hello.mf.dispose();
	}
}

/** The service's routes, on a D1 migrated by the real migrations and seeded. */
async function measureService(script: string): Promise<ServiceRoute[]> {
	const svc = await serve(script, { d1: true, bindings: SERVICE_BINDINGS });
	try {
		const db = await svc.mf.getD1Database("DB");
		await applyMigrations(db, "migrations");
		const routes: ServiceRoute[] = [];
		for (const load of serviceLoads(await seedService(db, SEEDED_USERS))) {
			const m = await measure(svc, load, SECONDS);
			routes.push("op" in load ? { m, op: load.op } : { m, trips: load.trips });
		}
		return routes;
	} finally {
		await svc.mf.dispose();
	}
}

/** The peer in one hashing variant, on a fresh workerd and D1 of its own. */
async function measurePeer(script: string, hash: PeerRun["hash"], runId: string): Promise<PeerRun> {
	const peer = await serve(script, { d1: true, bindings: peerBindings(hash) });
	try {
		await applyMigrations(await peer.mf.getD1Database("DB"), "bench/peers/better-auth/migrations");
		const { emails, cookie } = await seedPeer(peer.url, PEER_USERS, `${runId}-${hash}`);
		const routes = [];
		for (const load of peerLoads(emails, cookie, `${runId}-${hash}`)) {
			routes.push(await measure(peer, load, SECONDS));
		}
		return { hash, routes };
	} finally {
		await peer.mf.dispose();
	}
}

/** Runs every stage and writes the report. */
async function main(): Promise<void> {
	const started = Date.now();
	const work = mkdtempSync(path.join(os.tmpdir(), "auth-bench-"));
	try {
		const app = buildForUpload("wrangler.toml", path.join(work, "app"));
		const peerApp = buildForUpload("bench/peers/better-auth/wrangler.toml", path.join(work, "peer"));
		console.log("bcryptjs in workerd…");
		const bcrypt = await measureBcrypt(await bundle("bench/workers/bcrypt.ts", path.join(work, "bcrypt")));
		console.log("baselines…");
		const baselines = await measureBaselines(
			await bundle("bench/workers/hello.ts", path.join(work, "hello")),
		);
		console.log("the service…");
		const routes = await measureService(app.script);
		const peers = [];
		for (const hash of ["scrypt", "bcrypt"] as const) {
			console.log(`Better Auth, ${hash}…`);
			peers.push(await measurePeer(peerApp.script, hash, started.toString(36)));
		}
		const cpus = os.cpus();
		const { markdown, failed } = renderReport({
			conditions: {
				date: new Date().toISOString().slice(0, 10),
				machine:
					`${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
					`Node ${process.version}`,
				workerd: versionOf("workerd"),
				betterAuth: versionOf("better-auth", "bench/peers/better-auth"),
				seconds: SECONDS,
				bcryptSeconds: BCRYPT_SECONDS,
				seededUsers: SEEDED_USERS,
				peerUsers: PEER_USERS,
				bcryptCost: BCRYPT_COST,
				totalSeconds: Math.round((Date.now() - started) / 1000),
			},
			...baselines,
			routes,
			peers,
			bundles: { ours: app, peer: peerApp },
			bcrypt,
		});
		console.log(markdown);
		// The capacity section is reasoning on paper, not a measurement: it is kept by hand beside the bench.
		const capacity = readFileSync(path.join(ROOT, "bench/capacity.md"), "utf8");
		writeFileSync(path.join(ROOT, "BENCHMARKS.md"), `${markdown}\n${capacity}`);
		if (failed) {
			process.exitCode = 1;
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

await main();
