/**
 * The benchmark's budgets: each threshold written once, in {@link BUDGETS}, and both the verdict and the
 * limit printed beside it come from there. Pure, like the report that prints them.
 *
 * @module
 */
import { fixed, kib } from "./format";
import type { BenchResults, Measurement } from "./results";

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
	/** A route without D1 (GET /): its req/s over hello world's, the fixed cost of every request. */
	noDatabaseRoute: { atLeast: 0.8, digits: 2 },
	/** A route with D1: its req/s over hello world + as many D1 lookups. */
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

/** The one measurement named `name`; a missing one is a bug in the load table, so it throws. */
export function named(measurements: readonly Measurement[], name: string): Measurement {
	const found = measurements.find((m) => m.name === name);
	if (found === undefined) {
		throw new Error(`no measurement named ${JSON.stringify(name)}`);
	}
	return found;
}

/** Milliseconds of one bcrypt operation at the run's cost, measured alone. */
export function bcryptOpMs(r: BenchResults, op: "hash" | "compare"): number {
	const row = r.bcrypt.costs.find((cost) => cost.cost === r.conditions.bcryptCost);
	return row === undefined ? Number.NaN : op === "hash" ? row.hashMs : row.compareMs;
}

/** Holds every figure of a run to its budget: the rows of the budget table, and whether any failed. */
export function judgeBudgets(r: BenchResults): { rows: string[][]; failed: boolean } {
	let failed = false;
	const budgetRows: string[][] = [];
	const judge = (what: string, figure: string, budget: Budget, value: number) => {
		const pass = withinBudget(budget, value);
		failed ||= !pass;
		budgetRows.push([what, figure, limitText(budget), pass ? "PASS" : "FAIL"]);
	};

	for (const route of r.routes) {
		const { m } = route;
		if ("op" in route) {
			const opMs = bcryptOpMs(r, route.op);
			const ops = 1000 / m.rps / opMs;
			const figure = `${fixed(ops, 2)} bcrypt ${route.op} per request (${fixed(1000 / m.rps)} ms ÷ ${fixed(opMs)} ms)`;
			judge(m.name, figure, BUDGETS.hashingRoute, ops);
		} else if (route.trips === 0) {
			const ratio = m.rps / r.baseline.rps;
			judge(m.name, `${fixed(ratio, 2)}× hello world`, BUDGETS.noDatabaseRoute, ratio);
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

	const serviceMeasurements = r.routes.map((route) => route.m);
	for (const pair of PEER_PAIRS) {
		const mine = named(serviceMeasurements, pair.ours);
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
				`${pair.ours} vs ${pair.theirs}, bcrypt ${r.conditions.bcryptCost} both`,
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
	return { rows: budgetRows, failed };
}
