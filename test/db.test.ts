/** Unit tests of {@link Db} beyond the original examples: edge cases of lookups and updates. */
import { describe, expect, it } from "vitest";
import { digestSecret } from "../src/auth/secrets";
import { InvalidRequestError, NoResultFound, ValueError } from "../src/db/errors";
import { logInViaApi, registerViaApi, testDb, uniqueEmail } from "./helpers";

describe("Db.findUserBy", () => {
	it("matches on every attribute given", async () => {
		const db = testDb();
		const email = uniqueEmail();
		const user = await db.addUser(email, "hash");
		expect(await db.findUserBy({ id: user.id, email })).toEqual(user);
		await expect(db.findUserBy({ id: user.id, email: uniqueEmail() })).rejects.toBeInstanceOf(NoResultFound);
	});

	it("matches a null attribute with IS NULL", async () => {
		const db = testDb();
		const email = uniqueEmail();
		await db.addUser(email, "hash");
		expect((await db.findUserBy({ email, resetToken: null })).email).toBe(email);
	});

	it("refuses an empty filter instead of returning an arbitrary user", async () => {
		await expect(testDb().findUserBy({})).rejects.toBeInstanceOf(InvalidRequestError);
	});
});

describe("Db.updateUser", () => {
	it("raises NoResultFound for an id no user has", async () => {
		await expect(testDb().updateUser(2 ** 31, { resetToken: null })).rejects.toBeInstanceOf(NoResultFound);
	});

	it("refuses to change the primary key", async () => {
		const db = testDb();
		const user = await db.addUser(uniqueEmail(), "hash");
		// @ts-expect-error `id` is not an updatable attribute; the check also holds at run time.
		await expect(db.updateUser(user.id, { id: user.id + 1000 })).rejects.toBeInstanceOf(ValueError);
	});

	it("sets and clears nullable attributes", async () => {
		const db = testDb();
		const user = await db.addUser(uniqueEmail(), "hash");
		const expiresAt = new Date(Date.now() + 60_000);
		await db.updateUser(user.id, { resetToken: "r", resetTokenExpiresAt: expiresAt });
		expect(await db.findUserBy({ id: user.id })).toMatchObject({
			resetToken: "r",
			resetTokenExpiresAt: expiresAt,
		});
		await db.updateUser(user.id, { resetToken: null, resetTokenExpiresAt: null });
		expect(await db.findUserBy({ id: user.id })).toMatchObject({
			resetToken: null,
			resetTokenExpiresAt: null,
		});
	});
});

describe("Db.sessions.resolve", () => {
	it("answers the same for one digest (SQL built once) as the query builder does for several", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "pwd");
		const sessionId = await logInViaApi(email, "pwd");
		const digest = await digestSecret(sessionId);
		const at = { now: new Date(), bornAfter: new Date(Date.now() - 30 * 24 * 3600 * 1000) };
		const db = testDb();
		const once = await db.sessions.resolve([digest], at);
		const built = await db.sessions.resolve([digest, "0".repeat(64)], at);
		expect(once).toHaveLength(1);
		expect(once).toEqual(built);
		const [found] = once;
		expect(found?.session.expiresAt).toBeInstanceOf(Date);
		expect(found?.user.email).toBe(email);
		// A column the account leaves empty comes back null either way.
		expect(found?.user.resetToken).toBeNull();
		expect(
			await db.sessions.resolve([digest], { ...at, now: new Date(Date.now() + 8 * 24 * 3600 * 1000) }),
		).toEqual([]);
	});
});
