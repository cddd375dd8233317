/** Unit tests of configuration parsing. */
import { describe, expect, it } from "vitest";
import { DEFAULT_BCRYPT_COST, loadConfig } from "../src/config";

describe("loadConfig", () => {
	it("uses cost 10 when BCRYPT_COST is unset or blank", () => {
		expect(DEFAULT_BCRYPT_COST).toBe(10);
		expect(loadConfig({}).bcryptCost).toBe(10);
		expect(loadConfig({ BCRYPT_COST: " " }).bcryptCost).toBe(10);
	});

	it("reads a valid BCRYPT_COST", () => {
		expect(loadConfig({ BCRYPT_COST: "12" }).bcryptCost).toBe(12);
	});

	it.each(["3", "32", "ten", "10.5", "-1"])("refuses BCRYPT_COST=%j with a clear error", (value) => {
		expect(() => loadConfig({ BCRYPT_COST: value })).toThrow(/BCRYPT_COST must be an integer from 4 to 31/);
	});
});
