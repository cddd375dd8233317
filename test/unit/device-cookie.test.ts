/**
 * Device cookies as functions: signed per account and password generation, verified in constant time, a
 * few accounts per device.
 */
import { describe, expect, it } from "vitest";
import { deviceToken, withDeviceToken } from "../../src/auth/device-cookie";
import { keysOf } from "../../src/auth/keys";
import { loadConfig } from "../../src/config";

const keys = keysOf(loadConfig({}));
const otherKeys = keysOf(loadConfig({ AUTH_SECRET: "another-auth-secret-of-32-characters!!" }));

describe("device cookies", () => {
	it("hold a token for the account and its password generation that verifies, under the key that signed it only", async () => {
		const ref = await keys.accountRef("bob@example.com");
		const cookie = await withDeviceToken(null, ref, 3, keys);
		expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}\.3\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
		expect(cookie).not.toContain("bob");
		expect(await deviceToken(cookie, ref, keys)).toEqual({ nonce: cookie.split(".")[2], generation: 3 });
		expect(await deviceToken(cookie, ref, otherKeys)).toBeNull();
		expect(await deviceToken(cookie, await keys.accountRef("eve@example.com"), keys)).toBeNull();
	});

	it("refuse a token whose nonce, generation or account was altered", async () => {
		const ref = await keys.accountRef("bob@example.com");
		const [account, generation, nonce, signature] = (await withDeviceToken(null, ref, 0, keys)).split(".");
		const flipped = nonce?.replace(/^./, (c) => (c === "A" ? "B" : "A"));
		expect(await deviceToken(`${account}.${generation}.${flipped}.${signature}`, ref, keys)).toBeNull();
		// A stolen device's cookie cannot be carried past a reset by raising its generation.
		expect(await deviceToken(`${account}.1.${nonce}.${signature}`, ref, keys)).toBeNull();
		expect(await deviceToken("garbage", ref, keys)).toBeNull();
		expect(await deviceToken("x".repeat(600), ref, keys)).toBeNull();
	});

	it("remember the last five accounts of a device, the newest first, one token each", async () => {
		let cookie: string | null = null;
		const refs: string[] = [];
		for (let i = 0; i < 7; i++) {
			refs.push(await keys.accountRef(`user${i}@example.com`));
			cookie = await withDeviceToken(cookie, refs[i] ?? "", i, keys);
		}
		cookie = await withDeviceToken(cookie, refs[4] ?? "", 9, keys);
		const kept = cookie.split("~").map((token) => token.split(".")[0]);
		expect(kept).toEqual([refs[4], refs[6], refs[5], refs[3], refs[2]]);
		for (const ref of kept) {
			expect(await deviceToken(cookie, ref ?? "", keys)).not.toBeNull();
		}
		expect((await deviceToken(cookie, refs[4] ?? "", keys))?.generation).toBe(9);
	});
});
