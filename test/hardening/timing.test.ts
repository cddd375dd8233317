/** An unknown email costs one bcrypt comparison at the configured cost, exactly like a wrong password. */
import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dummyHash } from "../../src/auth/password";
import { call, registerViaApi, testAuth, uniqueEmail } from "../helpers";

afterEach(() => {
	vi.restoreAllMocks();
});

/** Logs in through the API while counting bcrypt comparisons; returns the costs of the hashes compared. */
async function comparedCosts(email: string, password: string): Promise<number[]> {
	const compare = vi.spyOn(bcrypt, "compareSync");
	try {
		const res = await call("POST", "/sessions", { form: { email, password } });
		expect(res.status).toBe(401);
		return compare.mock.calls.map(([, hash]) => bcrypt.getRounds(hash));
	} finally {
		compare.mockRestore();
	}
}

describe("no timing oracle on login", () => {
	it("does one comparison at the configured cost for a wrong password and for an unknown email", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "right password");
		expect(await comparedCosts(email, "wrong password")).toEqual([4]);
		expect(await comparedCosts(uniqueEmail(), "wrong password")).toEqual([4]);
	});

	it("does the same comparison for a password too long to have been set", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "right password");
		expect(await comparedCosts(email, "x".repeat(100))).toEqual([4]);
		expect(await comparedCosts(uniqueEmail(), "x".repeat(100))).toEqual([4]);
	});

	it("does one comparison in validLogin too, for an unknown email as for a wrong password", async () => {
		const auth = testAuth();
		const email = uniqueEmail();
		await auth.registerUser(email, "right password");
		const compare = vi.spyOn(bcrypt, "compareSync");
		expect(await auth.validLogin(email, "wrong password")).toBe(false);
		expect(await auth.validLogin(uniqueEmail(), "wrong password")).toBe(false);
		expect(compare.mock.calls.map(([, hash]) => bcrypt.getRounds(hash))).toEqual([4, 4]);
	});

	it("uses a dummy hash that is well formed, of the requested cost, and matches nothing", async () => {
		for (const cost of [4, 10, 12]) {
			expect(bcrypt.getRounds(dummyHash(cost))).toBe(cost);
		}
		expect(await bcrypt.compare("", dummyHash(4))).toBe(false);
		expect(await bcrypt.compare("password", dummyHash(4))).toBe(false);
	});
});
