/** The soak's report renderer (bench/soak-report.ts): the plateau verdict, errors and the text printed. */
import { describe, expect, it } from "vitest";
import { growth, PLATEAU, renderSoak, type Sample } from "../../bench/soak-report";

const MiB = 2 ** 20;

/** Samples every 20 s for ten minutes (so the thirds fall on samples), RSS in MiB given by `service` and `hello`. */
function samples(service: (s: number) => number, hello: (s: number) => number, errors = 0): Sample[] {
	return Array.from({ length: 31 }, (_, i) => {
		const seconds = i * 20;
		return {
			seconds,
			service: { rssBytes: service(seconds) * MiB, requests: i * 1000, errors: i === 30 ? errors : 0 },
			hello: { rssBytes: hello(seconds) * MiB, requests: i * 5000, errors: 0 },
			d1Bytes: (1 + i) * MiB,
		};
	});
}

/** Grows fast at first and levels off, like a heap finding its size. */
const levelling = (s: number) => 100 + 400 * (1 - Math.exp(-s / 60));
/** Grows the same amount every second: a leak. */
const leaking = (s: number) => 100 + s;

const conditions = {
	date: "2026-01-01",
	machine: "test CPU",
	workerd: "1.0.0",
	seconds: 600,
	sampleSeconds: 20,
	connections: 4,
	bcryptCost: 4,
	cycle: ["POST /users", "GET /profile ×10"],
};

describe("growth", () => {
	it("sees a curve that levels off as a plateau", () => {
		const g = growth(samples(levelling, levelling), "service");
		expect(g.firstThirdBytes).toBeGreaterThan(300 * MiB);
		expect(g.lastThirdBytes).toBeLessThan(PLATEAU.share * g.firstThirdBytes);
		expect(g.plateaus).toBe(true);
	});

	it("sees a straight climb as still growing", () => {
		expect(growth(samples(leaking, levelling), "service")).toEqual({
			firstThirdBytes: 200 * MiB,
			lastThirdBytes: 200 * MiB,
			plateaus: false,
		});
	});

	it("passes a flat line whatever its noise, under the floor", () => {
		const noisy = (s: number) => 300 + (s % 60 === 0 ? 0 : PLATEAU.floorMiB - 1);
		expect(growth(samples(noisy, noisy), "hello").plateaus).toBe(true);
	});
});

describe("renderSoak", () => {
	it("passes a soak without errors whose service levels off, whatever the hello worker does", () => {
		const { markdown, failed } = renderSoak(conditions, samples(levelling, leaking), {});
		expect(failed).toBe(false);
		expect(markdown).toContain("| errors | 0 | PASS |");
		expect(markdown).toMatch(
			/\| service memory \| [\d.]+ MiB in the first third, [\d.]+ MiB in the last: levels off \| PASS \|/,
		);
		expect(markdown).toContain(
			"| hello-world memory (for comparison) | 200.0 MiB in the first third, 200.0 MiB in the last: still growing | still growing |",
		);
		expect(markdown).toContain("POST /users, GET /profile ×10");
		expect(markdown).not.toContain("## Errors");
	});

	it("fails on one error and lists it by request and answer", () => {
		const { markdown, failed } = renderSoak(conditions, samples(levelling, levelling, 1), {
			"GET /profile → 500": 1,
		});
		expect(failed).toBe(true);
		expect(markdown).toContain("| errors | 1 | FAIL |");
		expect(markdown).toContain("| GET /profile | 500 | 1 |");
	});

	it("fails when the service's memory keeps growing", () => {
		const { markdown, failed } = renderSoak(conditions, samples(leaking, levelling), {});
		expect(failed).toBe(true);
		expect(markdown).toContain("still growing | FAIL |");
	});
});
