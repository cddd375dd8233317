/** The plan of `npm run db:normalize-emails`: rows SQLite's lower(trim()) left apart from the service's normal form. */
import { describe, expect, it } from "vitest";
import { planEmailNormalization } from "../../scripts/email-normalization";

describe("planEmailNormalization", () => {
	it("finds what SQLite's lower(trim()) missed: non-ASCII capitals and non-space white space", () => {
		const plan = planEmailNormalization([
			{ id: 1, email: "bob@example.com" },
			{ id: 2, email: "ÉLODIE@example.com" },
			{ id: 3, email: "\u00a0carol@example.com\t" },
			{ id: 4, email: "dan@ÉXAMPLE.com" },
		]);
		expect(plan).toEqual({
			changes: [
				{ id: 2, from: "ÉLODIE@example.com", to: "élodie@example.com" },
				{ id: 3, from: "\u00a0carol@example.com\t", to: "carol@example.com" },
				{ id: 4, from: "dan@ÉXAMPLE.com", to: "dan@éxample.com" },
			],
			conflicts: [],
		});
	});

	it("leaves a row alone, as a conflict, when another account holds or would hold its normal form", () => {
		const plan = planEmailNormalization([
			{ id: 1, email: "élodie@example.com" },
			{ id: 2, email: "ÉLODIE@example.com" },
			{ id: 3, email: "Émile@example.com" },
			{ id: 4, email: "ÉMILE@example.com" },
		]);
		expect(plan.changes).toEqual([]);
		expect(plan.conflicts).toEqual([
			{ id: 2, from: "ÉLODIE@example.com", to: "élodie@example.com", with: [1] },
			{ id: 3, from: "Émile@example.com", to: "émile@example.com", with: [4] },
			{ id: 4, from: "ÉMILE@example.com", to: "émile@example.com", with: [3] },
		]);
	});

	it("has nothing to do when every email is in normal form", () => {
		expect(planEmailNormalization([{ id: 1, email: "a@b.c" }])).toEqual({ changes: [], conflicts: [] });
	});
});
