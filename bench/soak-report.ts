/**
 * The soak's report: turns the memory samples and error counts of one soak into SOAK.md, with a verdict
 * on errors and on whether each workerd process's memory levels off. Pure (no I/O, no Node APIs), so
 * `test/unit/soak-report.test.ts` runs it inside workerd; its threshold lives in {@link PLATEAU}.
 *
 * @module
 */
import { fixed, table } from "./format";

/** One reading of one workerd process. */
export interface Reading {
	rssBytes: number;
	/** Requests answered so far. */
	requests: number;
	/** Unexpected statuses and socket errors so far. */
	errors: number;
}

/** One sampling instant: seconds since the load started, both processes, and the service's D1 size. */
export interface Sample {
	seconds: number;
	service: Reading;
	hello: Reading;
	/** The service's database file, as D1 reports it after a statement. */
	d1Bytes: number;
}

/**
 * Memory levels off when the last third of the soak added at most `share` of what the first third added,
 * or less than `floorMiB` MiB (a flat line's first third adds next to nothing, and noise must not fail it).
 */
export const PLATEAU = { share: 0.25, floorMiB: 8 } as const;

/** The growth of one process over the first and the last third of the samples, and the verdict. */
export interface Growth {
	firstThirdBytes: number;
	lastThirdBytes: number;
	plateaus: boolean;
}

/** The sample nearest `seconds`. */
function nearest(samples: readonly Sample[], seconds: number): Sample {
	let best = samples[0];
	for (const sample of samples) {
		if (best === undefined || Math.abs(sample.seconds - seconds) < Math.abs(best.seconds - seconds)) {
			best = sample;
		}
	}
	if (best === undefined) {
		throw new Error("no samples");
	}
	return best;
}

/** How much a process's RSS grew in the first and the last third of the soak. */
export function growth(samples: readonly Sample[], which: "service" | "hello"): Growth {
	const end = samples.at(-1)?.seconds ?? 0;
	const rss = (seconds: number) => nearest(samples, seconds)[which].rssBytes;
	const firstThirdBytes = rss(end / 3) - rss(0);
	const lastThirdBytes = rss(end) - rss((2 * end) / 3);
	const plateaus =
		lastThirdBytes <= PLATEAU.share * Math.max(firstThirdBytes, 0) ||
		lastThirdBytes < PLATEAU.floorMiB * 2 ** 20;
	return { firstThirdBytes, lastThirdBytes, plateaus };
}

/** Formats bytes as MiB with one decimal. */
const mib = (bytes: number): string => `${fixed(bytes / 2 ** 20)} MiB`;

/** What the soak ran with, for the report's first paragraph. */
export interface SoakConditions {
	date: string;
	machine: string;
	workerd: string;
	seconds: number;
	sampleSeconds: number;
	connections: number;
	bcryptCost: number;
	/** The requests of one cycle of the service's mixed load, in order. */
	cycle: readonly string[];
}

/** Renders SOAK.md, and whether the soak failed (an error, or the service's memory still growing). */
export function renderSoak(
	c: SoakConditions,
	samples: readonly Sample[],
	errors: Readonly<Record<string, number>>,
): { markdown: string; failed: boolean } {
	const last = samples.at(-1);
	if (last === undefined) {
		throw new Error("no samples");
	}
	const service = growth(samples, "service");
	const hello = growth(samples, "hello");
	const totalErrors = last.service.errors + last.hello.errors;
	const verdict = (g: Growth) =>
		`${mib(g.firstThirdBytes)} in the first third, ${mib(g.lastThirdBytes)} in the last: ` +
		(g.plateaus ? "levels off" : "still growing");
	const lines = [
		"# Soak",
		"",
		`Run by \`npm run bench:soak\` on ${c.date}: ${c.machine}, workerd ${c.workerd}. For ${c.seconds} s, the service and ` +
			"a hello-world Hono worker (bench/workers/hello.ts), each on its own workerd process started by Miniflare with an " +
			`in-memory D1, are loaded at the same time by autocannon, ${c.connections} connections each. Each of the service's ` +
			`connections repeats one cycle: ${c.cycle.join(", ")}, with a new account each cycle (bcrypt cost ${c.bcryptCost}, ` +
			"so the cycle is bound by D1 rather than by hashing, and more requests pass in the time; throttle limits raised). " +
			"The hello worker's connections alternate `GET /` and `GET /d1` (one D1 lookup). Every " +
			`${c.sampleSeconds} s the resident memory of each workerd process (VmRSS, \`/proc/<pid>/status\`) is read, with ` +
			"the requests answered so far and the service's database size.",
		"",
		`An error is any answer with another status than the cycle expects, or a socket error or timeout. Memory levels off ` +
			`when the last third of the soak added at most ${PLATEAU.share * 100} % of what the first third added, or under ` +
			`${PLATEAU.floorMiB} MiB.`,
		"",
		"## Verdicts",
		"",
		table(
			["what", "figure", "verdict"],
			[
				["errors", String(totalErrors), totalErrors === 0 ? "PASS" : "FAIL"],
				["service memory", verdict(service), service.plateaus ? "PASS" : "FAIL"],
				[
					"hello-world memory (for comparison)",
					verdict(hello),
					hello.plateaus ? "levels off" : "still growing",
				],
			],
		),
		"",
		"## Samples",
		"",
		table(
			["s", "service RSS", "service requests", "service D1", "hello RSS", "hello requests", "errors"],
			samples.map((s) => [
				String(Math.round(s.seconds)),
				mib(s.service.rssBytes),
				String(s.service.requests),
				mib(s.d1Bytes),
				mib(s.hello.rssBytes),
				String(s.hello.requests),
				String(s.service.errors + s.hello.errors),
			]),
		),
		...(totalErrors === 0
			? []
			: [
					"",
					"## Errors",
					"",
					table(
						["request", "answer", "count"],
						Object.entries(errors).map(([k, n]) => [...k.split(" → "), String(n)]),
					),
				]),
	];
	return { markdown: `${lines.join("\n")}\n`, failed: totalErrors > 0 || !service.plateaus };
}
