/**
 * A password check and the write it allows are two round trips apart, with bcrypt in between. Each test
 * holds a request's write batch at a gate, lets a competing request finish, then releases the gate: the
 * held write must not undo or outlive what the competing one did, and must not fail with a 500.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { interceptD1 } from "../counting-d1";
import {
	call,
	logInViaApi,
	ORIGIN,
	profileStatuses,
	registerViaApi,
	sessionSetCookie,
	uniqueEmail,
} from "../helpers";

/** A D1 binding whose `n`-th batch waits at a gate until released; the others go straight through. */
function gatedD1(n: number) {
	let batches = 0;
	let reach = () => {};
	let release = () => {};
	const reached = new Promise<void>((resolve) => {
		reach = resolve;
	});
	const released = new Promise<void>((resolve) => {
		release = resolve;
	});
	const db = interceptD1(env.DB, {
		async before(trip) {
			if (trip.kind === "batch" && ++batches === n) {
				reach();
				await released;
			}
		},
	});
	return { db, reached, release };
}

/** Starts a request through the worker over `db`, without waiting for its answer. */
function startRequest(
	db: D1Database,
	method: string,
	path: string,
	form: Record<string, string>,
	sessionId?: string,
) {
	const headers = new Headers(sessionId === undefined ? {} : { Cookie: `session_id=${sessionId}` });
	const request = new Request(`${ORIGIN}${path}`, { method, headers, body: new URLSearchParams(form) });
	return worker.fetch(request, { ...env, DB: db }, createExecutionContext());
}

/** Asks for a reset token (response mode). */
async function resetToken(email: string): Promise<string> {
	const res = await call("POST", "/reset_password", { form: { email } });
	return (await res.json<{ reset_token: string }>()).reset_token;
}

/** Whether `password` logs `email` in. */
async function logsIn(email: string, password: string): Promise<boolean> {
	return (await call("POST", "/sessions", { form: { email, password } })).status === 200;
}

describe("a login whose check passed before a password reset landed", () => {
	it("gets no session, and its re-hash of the old password does not undo the reset", async () => {
		const email = uniqueEmail();
		// Made at another cost than the configured one, so the login re-hashes the password it checked.
		await env.DB.prepare("INSERT INTO users (email, hashed_password) VALUES (?, ?)")
			.bind(email, bcrypt.hashSync("old password", 5))
			.run();
		const token = await resetToken(email);
		const gate = gatedD1(2); // 1: read the user and count the attempt; 2: store the session.
		const login = startRequest(gate.db, "POST", "/sessions", { email, password: "old password" });
		await gate.reached;
		const reset = await call("PUT", "/reset_password", {
			form: { email, reset_token: token, new_password: "new password" },
		});
		expect(reset.status).toBe(200);
		gate.release();
		const res = await login;
		expect(res.status).toBe(401);
		expect(sessionSetCookie(res)).toBeNull();
		expect(await logsIn(email, "new password")).toBe(true);
		expect(await logsIn(email, "old password")).toBe(false);
	});
});

describe("a password change whose check passed before something else landed", () => {
	it("does not overwrite a password reset", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "old password");
		const sessionId = await logInViaApi(email, "old password");
		const token = await resetToken(email);
		const gate = gatedD1(2); // 1: read the user and count the attempt; 2: the change.
		const change = startRequest(
			gate.db,
			"PUT",
			"/password",
			{ current_password: "old password", new_password: "attacker password" },
			sessionId,
		);
		await gate.reached;
		await call("PUT", "/reset_password", {
			form: { email, reset_token: token, new_password: "owner password" },
		});
		gate.release();
		const res = await change;
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: "invalid session" });
		expect(await logsIn(email, "owner password")).toBe(true);
		expect(await logsIn(email, "attacker password")).toBe(false);
	});

	it("does not go through once the asking session was ended from another device", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "old password");
		const [asking, other] = [
			await logInViaApi(email, "old password"),
			await logInViaApi(email, "old password"),
		];
		const gate = gatedD1(2);
		const change = startRequest(
			gate.db,
			"PUT",
			"/password",
			{ current_password: "old password", new_password: "new password" },
			asking,
		);
		await gate.reached;
		expect((await call("DELETE", "/sessions?scope=global", { sessionId: other })).status).toBe(302);
		gate.release();
		expect((await change).status).toBe(403);
		expect(await logsIn(email, "old password")).toBe(true);
	});
});

describe("a login whose check passed before the account was deleted", () => {
	it("answers 401, not a 500 from the foreign key", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const sessionId = await logInViaApi(email, "a password");
		const gate = gatedD1(2);
		const login = startRequest(gate.db, "POST", "/sessions", { email, password: "a password" });
		await gate.reached;
		expect((await call("DELETE", "/users/me", { sessionId, form: { password: "a password" } })).status).toBe(
			200,
		);
		gate.release();
		expect((await login).status).toBe(401);
	});
});

describe("an account deletion whose check passed before the session ended", () => {
	it("deletes nothing", async () => {
		const email = uniqueEmail();
		await registerViaApi(email, "a password");
		const [asking, other] = [await logInViaApi(email, "a password"), await logInViaApi(email, "a password")];
		const gate = gatedD1(2);
		const deletion = startRequest(gate.db, "DELETE", "/users/me", { password: "a password" }, asking);
		await gate.reached;
		await call("DELETE", "/sessions?scope=global", { sessionId: other });
		gate.release();
		expect((await deletion).status).toBe(403);
		expect(await logsIn(email, "a password")).toBe(true);
		expect(await profileStatuses([asking])).toEqual([403]);
	});
});
