/** The benchmark's report (bench/report.ts) and budgets (bench/budgets.ts): verdicts and the text printed. */
import { describe, expect, it } from "vitest";
import { BUDGETS, limitText, PEER_PAIRS, withinBudget } from "../../bench/budgets";
import { renderReport } from "../../bench/report";
import type { BenchResults, Measurement } from "../../bench/results";

/** A measurement with round figures and 1 ms of CPU per request. */
function measurement(name: string, rps: number, connections = 10): Measurement {
	return { name, connections, rps, p50: 5, p99: 20, requests: rps * 5, expectedShare: 1, cpuMsPerRequest: 1 };
}

/**
 * A run in which every budget holds with room to spare: GET / at 0.85× hello world's rate, routes with
 * D1 at 0.9× a worker making as many lookups, hashing routes at one bcrypt operation each, the session check 3× the peer's, hashing routes as
 * fast as the bcrypt peer's, and a bundle a third of the peer's.
 */
function passingRun(): BenchResults {
	return {
		conditions: {
			date: "2026-01-01",
			machine: "test CPU",
			workerd: "1.0.0",
			betterAuth: "1.7.25",
			seconds: 5,
			bcryptSeconds: 3,
			seededUsers: 100,
			peerUsers: 20,
			bcryptCost: 10,
			totalSeconds: 60,
		},
		baseline: measurement("hello", 4000),
		d1Baseline: measurement("hello + D1", 1000),
		routes: [
			{ m: measurement("GET /", 3400), trips: 0 },
			{ m: measurement("GET /profile (valid cookie)", 900), trips: 1 },
			{ m: measurement("POST /users", 16, 1), op: "hash" },
			{ m: measurement("POST /sessions (right password)", 16, 1), op: "compare" },
			{ m: measurement("POST /sessions (wrong password)", 16, 1), op: "compare" },
		],
		peers: (["scrypt", "bcrypt"] as const).map((hash) => ({
			hash,
			routes: [
				measurement("POST sign-up/email", 16, 1),
				measurement("POST sign-in/email (right password)", 16, 1),
				measurement("POST sign-in/email (wrong password)", 16, 1),
				measurement("GET get-session (valid cookie)", 300),
			],
		})),
		bundles: {
			ours: { rawBytes: 300_000, gzipBytes: 100 * 1024 },
			peer: { rawBytes: 800_000, gzipBytes: 300 * 1024 },
		},
		bcrypt: {
			costs: [{ cost: 10, hashMs: 62.5, compareMs: 62.5 }],
			clockAdvancedMs: 60,
			rounds: [],
			policy: { commonCheckMicros: 0.5, prehashMicros: 3.5 },
		},
	};
}

/** The budget table's row whose first cell is `what`. */
function budgetRow(markdown: string, what: string): string {
	const row = markdown
		.split("\n")
		.find((line) => line.startsWith(`| ${what} |`) && /\| (PASS|FAIL) \|$/.test(line));
	if (row === undefined) {
		throw new Error(`no budget row for ${what}`);
	}
	return row;
}

describe("withinBudget and limitText", () => {
	it.each([
		[BUDGETS.noDatabaseRoute, 0.8, true, "≥ 0.80"],
		[BUDGETS.noDatabaseRoute, 0.79, false, "≥ 0.80"],
		[BUDGETS.cheapRoute, 0.5, true, "≥ 0.50"],
		[BUDGETS.cheapRoute, 0.49, false, "≥ 0.50"],
		[BUDGETS.hashingRoute, 1.3, true, "0.75–1.30"],
		[BUDGETS.hashingRoute, 0.74, false, "0.75–1.30"],
		[BUDGETS.bundleGzipKiB, 149.9, true, "< 150 KiB gzip"],
		[BUDGETS.bundleGzipKiB, 150, false, "< 150 KiB gzip"],
		[BUDGETS.sessionVsPeer, 2, true, "≥ 2.00"],
		[BUDGETS.hashingVsPeer, 1.1, true, "≤ 1.10"],
		[BUDGETS.hashingVsPeer, 1.11, false, "≤ 1.10"],
		[BUDGETS.bundleVsPeer, 0.5, false, "< 0.50"],
	])("judges %j at %d as %s and prints its limit as %s", (budget, value, pass, text) => {
		expect(withinBudget(budget, value)).toBe(pass);
		expect(limitText(budget)).toBe(text);
	});

	it("never passes NaN, the figure of a route that answered nothing", () => {
		expect(withinBudget(BUDGETS.cheapRoute, Number.NaN)).toBe(false);
	});
});

describe("renderReport", () => {
	it("passes a run within every budget and prints each limit from BUDGETS", () => {
		const { markdown, failed } = renderReport(passingRun());
		expect(failed).toBe(false);
		expect(markdown).not.toContain("FAIL");
		expect(budgetRow(markdown, "GET /")).toContain(
			`| 0.85× hello world | ${limitText(BUDGETS.noDatabaseRoute)} | PASS |`,
		);
		expect(budgetRow(markdown, "GET /profile (valid cookie)")).toContain("0.90× hello world + 1 D1 lookup");
		expect(budgetRow(markdown, "POST /users")).toContain(
			"| 1.00 bcrypt hash per request (62.5 ms ÷ 62.5 ms) | 0.75–1.30 | PASS |",
		);
		expect(budgetRow(markdown, "GET /profile (valid cookie) vs GET get-session (valid cookie)")).toContain(
			`| 3.00× Better Auth's req/s (its faster run) | ${limitText(BUDGETS.sessionVsPeer)} | PASS |`,
		);
		expect(budgetRow(markdown, "bundle size vs Better Auth")).toContain(
			`| 0.33× Better Auth's upload (100.0 KiB ÷ 300.0 KiB gzip) | ${limitText(BUDGETS.bundleVsPeer)} | PASS |`,
		);
	});

	it("compares every pair side by side: ours, then the peer in each variant", () => {
		const { markdown } = renderReport(passingRun());
		for (const pair of PEER_PAIRS) {
			expect(markdown).toContain(`| ${pair.what} | ours: ${pair.ours} |`);
			expect(markdown).toContain(`| ${pair.what} | Better Auth, scrypt: ${pair.theirs} |`);
			expect(markdown).toContain(`| ${pair.what} | Better Auth, bcrypt: ${pair.theirs} |`);
		}
	});

	it("holds hashing routes to the bcrypt peer only, in ms per request", () => {
		const run = passingRun();
		// The scrypt peer is far faster, which must not matter; the bcrypt peer 10 % faster than ours fails.
		const [scrypt, bcrypt] = run.peers;
		scrypt?.routes.splice(0, 1, measurement("POST sign-up/email", 100, 1));
		bcrypt?.routes.splice(0, 1, measurement("POST sign-up/email", 17.8, 1));
		const { markdown, failed } = renderReport(run);
		expect(failed).toBe(true);
		expect(budgetRow(markdown, "POST /users vs POST sign-up/email, bcrypt 10 both")).toContain(
			"| 1.11× Better Auth's ms per request (62.5 ms ÷ 56.2 ms) | ≤ 1.10 | FAIL |",
		);
		expect(
			budgetRow(
				markdown,
				"POST /sessions (right password) vs POST sign-in/email (right password), bcrypt 10 both",
			),
		).toMatch(/\| PASS \|$/);
	});

	it("judges the session check against the faster of the peer's two runs", () => {
		const run = passingRun();
		run.peers[0]?.routes.splice(3, 1, measurement("GET get-session (valid cookie)", 500));
		const { markdown, failed } = renderReport(run);
		expect(failed).toBe(true);
		expect(budgetRow(markdown, "GET /profile (valid cookie) vs GET get-session (valid cookie)")).toContain(
			"| 1.80× Better Auth's req/s (its faster run) | ≥ 2.00 | FAIL |",
		);
	});

	it("fails a bundle over its budget and one not under half the peer's", () => {
		const run = passingRun();
		run.bundles.ours.gzipBytes = 150 * 1024;
		const { markdown, failed } = renderReport(run);
		expect(failed).toBe(true);
		expect(budgetRow(markdown, "bundle size")).toMatch(/\| < 150 KiB gzip \| FAIL \|$/);
		expect(budgetRow(markdown, "bundle size vs Better Auth")).toMatch(/\| < 0\.50 \| FAIL \|$/);
	});

	it("throws when the load table and the pairs disagree on a route's name", () => {
		const run = passingRun();
		run.routes = run.routes.filter(({ m }) => m.name !== "POST /users");
		expect(() => renderReport(run)).toThrow('no measurement named "POST /users"');
	});
});
