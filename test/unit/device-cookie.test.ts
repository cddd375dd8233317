/** Device cookies as functions: signed per account, verified in constant time, a few accounts per device. */
import { describe, expect, it } from "vitest";
import { deviceNonce, withDeviceToken } from "../../src/auth/device-cookie";
import { keysOf } from "../../src/auth/keys";
import { loadConfig } from "../../src/config";

const keys = keysOf(loadConfig({}));
const otherKeys = keysOf(loadConfig({ AUTH_SECRET: "another-auth-secret-of-32-characters!!" }));

describe("device cookies", () => {
	it("hold a token for the account that verifies, under the key that signed it only", async () => {
		const ref = await keys.accountRef("bob@example.com");
		const cookie = await withDeviceToken(null, ref, keys);
		expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
		expect(cookie).not.toContain("bob");
		expect(await deviceNonce(cookie, ref, keys)).toBe(cookie.split(".")[1]);
		expect(await deviceNonce(cookie, ref, otherKeys)).toBeNull();
		expect(await deviceNonce(cookie, await keys.accountRef("eve@example.com"), keys)).toBeNull();
	});

	it("refuse a token whose nonce or account was altered", async () => {
		const ref = await keys.accountRef("bob@example.com");
		const [account, nonce, signature] = (await withDeviceToken(null, ref, keys)).split(".");
		const altered = `${account}.${nonce?.replace(/^./, (c) => (c === "A" ? "B" : "A"))}.${signature}`;
		expect(await deviceNonce(altered, ref, keys)).toBeNull();
		expect(await deviceNonce("garbage", ref, keys)).toBeNull();
		expect(await deviceNonce("x".repeat(600), ref, keys)).toBeNull();
	});

	it("remember the last five accounts of a device, the newest first, one token each", async () => {
		let cookie: string | null = null;
		const refs: string[] = [];
		for (let i = 0; i < 7; i++) {
			refs.push(await keys.accountRef(`user${i}@example.com`));
			cookie = await withDeviceToken(cookie, refs[i] ?? "", keys);
		}
		cookie = await withDeviceToken(cookie, refs[4] ?? "", keys);
		const kept = cookie.split("~").map((token) => token.split(".")[0]);
		expect(kept).toEqual([refs[4], refs[6], refs[5], refs[3], refs[2]]);
		for (const ref of kept) {
			expect(await deviceNonce(cookie, ref ?? "", keys)).not.toBeNull();
		}
	});
});
