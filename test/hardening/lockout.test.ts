/**
 * An attacker cannot lock the owner out (OWASP's device-cookie design): a browser that logged in to an
 * account before carries a signed device cookie, and the account's lock does not apply to it (its own
 * failures are counted per device); an attempt refused by the per-IP limit is not counted against the
 * account. The account's lock still stops a distributed guesser without the cookie.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountRef, call, registerViaApi, setCookie, uniqueEmail, uniqueIp } from "../helpers";

/** Logs in and returns the status and the `device` cookie's value, if one was set. */
async function logIn(
	email: string,
	password: string,
	options: { device?: string; ip?: string; env?: Env } = {},
) {
	const res = await call("POST", "/sessions", {
		form: { email, password },
		ip: options.ip ?? uniqueIp(),
		headers: options.device === undefined ? {} : { Cookie: `device=${options.device}` },
		env: options.env,
	});
	const device = /^device=([^;]+)/.exec(setCookie(res, "device") ?? "")?.[1];
	return { status: res.status, device };
}

/** Registers a user and logs it in once from its own browser; returns the email and that browser's device cookie. */
async function ownerWithDevice() {
	const email = uniqueEmail();
	await registerViaApi(email, "owner password");
	const { device } = await logIn(email, "owner password");
	if (device === undefined) {
		throw new Error("the login set no device cookie");
	}
	return { email, device };
}

/** Runs `count` attempts one after another and returns their statuses. */
async function repeat(count: number, attempt: () => Promise<number>): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < count; i++) {
		statuses.push(await attempt());
	}
	return statuses;
}

describe("a login that succeeds", () => {
	it("sets a signed, HttpOnly, SameSite=Strict device cookie that holds no address", async () => {
		const { email, device } = await ownerWithDevice();
		expect(device).toMatch(/^[A-Za-z0-9_-]{22}\.0\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
		expect(device.startsWith(await accountRef(email))).toBe(true);
		expect(device).not.toContain(email.split("@")[0]);
	});
});

describe("the owner's device", () => {
	it("still logs in after 11 wrong passwords from 11 addresses have locked the account for everyone else", async () => {
		const { email, device } = await ownerWithDevice();
		expect(await repeat(11, async () => (await logIn(email, "guess")).status)).toEqual([
			...Array(10).fill(401),
			429,
		]);
		expect((await logIn(email, "owner password")).status).toBe(429);
		expect((await logIn(email, "owner password", { device })).status).toBe(200);
	});

	it("has its own failures counted and limited, per device", async () => {
		const { email, device } = await ownerWithDevice();
		const statuses = await repeat(11, async () => (await logIn(email, "typo", { device })).status);
		expect(statuses).toEqual([...Array(10).fill(401), 429]);
		expect((await logIn(email, "owner password", { device })).status).toBe(429);
		// Those failures were not the account's: a fresh browser is not locked out.
		expect((await logIn(email, "owner password")).status).toBe(200);
	});

	it("cannot be forged or borrowed: another account's cookie, or an altered one, counts as none", async () => {
		const { email } = await ownerWithDevice();
		const attacker = await ownerWithDevice();
		const forged = `${await accountRef(email)}.${attacker.device.split(".").slice(1).join(".")}`;
		await repeat(10, async () => (await logIn(email, "guess")).status);
		for (const device of [attacker.device, forged]) {
			expect((await logIn(email, "owner password", { device })).status).toBe(429);
		}
	});
});

/** Resets the password of `email` through the API (response mode hands the token back). */
async function resetPassword(email: string, newPassword: string): Promise<void> {
	const asked = await call("POST", "/reset_password", { form: { email } });
	const { reset_token } = await asked.json<{ reset_token: string }>();
	const form = { email, reset_token, new_password: newPassword };
	expect((await call("PUT", "/reset_password", { form })).status).toBe(200);
}

describe("a password reset", () => {
	it("ends the allowance of a device remembered before it: once the account is locked, it is locked out too", async () => {
		const { email, device } = await ownerWithDevice();
		await resetPassword(email, "the new owner password");
		await repeat(10, async () => (await logIn(email, "guess")).status);
		expect((await logIn(email, "the new owner password", { device })).status).toBe(429);
	});

	it("ends the guesses of its own such a device had: they count against the account again", async () => {
		const { email, device } = await ownerWithDevice();
		await resetPassword(email, "the new owner password");
		const guesses = await repeat(11, async () => (await logIn(email, "guess", { device })).status);
		expect(guesses).toEqual([...Array(10).fill(401), 429]);
		expect((await logIn(email, "the new owner password")).status).toBe(429);
	});
});

describe("a password change", () => {
	it("leaves the device that made it a fresh cookie of the new generation, and none other", async () => {
		const { email, device } = await ownerWithDevice();
		const sessionId = /^session_id=([^;]+)/.exec(
			setCookie(
				await call("POST", "/sessions", {
					form: { email, password: "owner password" },
					headers: { Cookie: `device=${device}` },
				}),
				"session_id",
			) ?? "",
		)?.[1];
		const changed = await call("PUT", "/password", {
			form: { current_password: "owner password", new_password: "a changed password" },
			headers: { Cookie: `session_id=${sessionId}; device=${device}` },
		});
		expect(changed.status).toBe(200);
		const fresh = /^device=([^;]+)/.exec(setCookie(changed, "device") ?? "")?.[1] ?? "";
		expect(fresh.split(".")[1]).toBe("1");
		await repeat(10, async () => (await logIn(email, "guess")).status);
		expect((await logIn(email, "a changed password", { device })).status).toBe(429);
		expect((await logIn(email, "a changed password", { device: fresh })).status).toBe(200);
	});
});

describe("the per-IP limit", () => {
	it("refuses attempts without counting them against the account they name", async () => {
		const strict = { ...env, LOGIN_MAX_FAILURES_PER_IP: "3" } as Env;
		const email = uniqueEmail();
		await registerViaApi(email, "owner password");
		const ip = uniqueIp();
		const statuses = await repeat(20, async () => (await logIn(email, "guess", { ip, env: strict })).status);
		expect(statuses).toEqual([401, 401, 401, ...Array(17).fill(429)]);
		// Only the three that got past the network's limit were the account's: after six more failures
		// from elsewhere (nine in all), the owner's tenth attempt is still within the account's limit.
		expect(await repeat(6, async () => (await logIn(email, "guess", { env: strict })).status)).toEqual(
			Array(6).fill(401),
		);
		expect((await logIn(email, "owner password", { env: strict })).status).toBe(200);
	});
});

describe("reset requests", () => {
	/** Asks for a reset of `email`; returns the status. */
	async function askReset(email: string, options: { device?: string; ip?: string; env?: Env } = {}) {
		const res = await call("POST", "/reset_password", {
			form: { email },
			ip: options.ip ?? uniqueIp(),
			headers: options.device === undefined ? {} : { Cookie: `device=${options.device}` },
			env: options.env,
		});
		return res.status;
	}

	it("used up by someone else leave the owner its own asking, from another network or its device", async () => {
		const { email, device } = await ownerWithDevice();
		const stranger = uniqueIp();
		expect(await repeat(6, () => askReset(email, { ip: stranger }))).toEqual([...Array(5).fill(200), 429]);
		expect(await askReset(email)).toBe(200);
		expect(await askReset(email, { ip: stranger, device })).toBe(200);
	});

	it("refused by the per-IP limit use up nothing of the accounts they name", async () => {
		const strict = { ...env, RESET_MAX_REQUESTS_PER_IP: "2" } as Env;
		const email = uniqueEmail();
		await registerViaApi(email, "owner password");
		const ip = uniqueIp();
		// Junk for unknown addresses first, then the victim's: all past the network's limit.
		await repeat(2, () => askReset(uniqueEmail(), { ip, env: strict }));
		expect(await repeat(10, () => askReset(email, { ip, env: strict }))).toEqual(Array(10).fill(429));
		expect(await repeat(5, () => askReset(email, { env: strict }))).toEqual(Array(5).fill(200));
	});
});
