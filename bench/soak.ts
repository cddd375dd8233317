/**
 * `npm run bench:soak`: drives a mixed load (sign-up, login right and wrong, profile reads, logout, a
 * password reset) against the service on workerd for ten minutes, beside a hello-world worker under load
 * at the same time, samples each workerd process's memory, counts errors and writes SOAK.md (see
 * soak-report.ts for what is judged). Exits non-zero on any error or when the service's memory keeps
 * growing. Not part of CI: it takes ten minutes.
 *
 * `SOAK_SECONDS` (default 600) and `SOAK_SAMPLE_SECONDS` (default 30) shorten it for checks.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { applyMigrations, PASSWORD } from "./fixtures";
import { SERVICE_BINDINGS } from "./loads";
import { rssBytes } from "./proc";
import { buildForUpload, bundle, ROOT, type Served, serve } from "./serve";
import { type Reading, renderSoak, type Sample } from "./soak-report";

const SECONDS = Number(process.env.SOAK_SECONDS ?? "600");
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? "30");
/** Connections per worker. */
const CONNECTIONS = 4;
/** bcrypt's lowest cost: the soak is about memory and errors, and a cheap hash lets more requests through. */
const BCRYPT_COST = 4;
/** Profile reads per cycle: sessions are checked far more often than they are made. */
const PROFILE_READS = 10;

/** What one autocannon request of a cycle sends and expects, using the connection's cycle state. */
interface Step {
	name: string;
	method: "GET" | "POST" | "PUT" | "DELETE";
	path: string;
	expectStatus: number;
	form?: (cycle: Cycle) => Record<string, string>;
	withCookie?: boolean;
	/** Keeps what a later step needs from the answer. */
	keep?: (cycle: Cycle, body: string, headers: Record<string, string | string[]>) => void;
}

/** The state of one connection's current cycle; autocannon hands each connection a fresh one per cycle. */
interface Cycle {
	email?: string;
	session?: string;
	token?: string;
}

let accounts = 0;

/** The service's cycle: a new account, its logins, reads, logout and a password reset. */
const STEPS: Step[] = [
	{
		name: "POST /users",
		method: "POST",
		path: "/users",
		expectStatus: 200,
		form: (cycle) => {
			cycle.email = `soak-${process.pid}-${accounts++}@example.com`;
			return { email: cycle.email, password: PASSWORD };
		},
	},
	{
		name: "POST /sessions (right password)",
		method: "POST",
		path: "/sessions",
		expectStatus: 200,
		form: (cycle) => ({ email: cycle.email ?? "", password: PASSWORD }),
		keep: (cycle, _body, headers) => {
			const setCookie =
				Object.entries(headers).find(([name]) => name.toLowerCase() === "set-cookie")?.[1] ?? [];
			cycle.session = [setCookie]
				.flat()
				.map((line) => line.split(";")[0] ?? "")
				.find((pair) => pair.startsWith("session_id="));
		},
	},
	...Array.from(
		{ length: PROFILE_READS },
		(): Step => ({
			name: "GET /profile",
			method: "GET",
			path: "/profile",
			expectStatus: 200,
			withCookie: true,
		}),
	),
	{
		name: "POST /sessions (wrong password)",
		method: "POST",
		path: "/sessions",
		expectStatus: 401,
		form: (cycle) => ({ email: cycle.email ?? "", password: "wrong-password" }),
	},
	{ name: "DELETE /sessions", method: "DELETE", path: "/sessions", expectStatus: 302, withCookie: true },
	{
		name: "POST /reset_password",
		method: "POST",
		path: "/reset_password",
		expectStatus: 200,
		form: (cycle) => ({ email: cycle.email ?? "" }),
		keep: (cycle, body) => {
			cycle.token = (JSON.parse(body) as { reset_token?: string }).reset_token;
		},
	},
	{
		name: "PUT /reset_password",
		method: "PUT",
		path: "/reset_password",
		expectStatus: 200,
		form: (cycle) => ({
			email: cycle.email ?? "",
			reset_token: cycle.token ?? "",
			new_password: "new-password",
		}),
	},
];

/** Answers and errors of one worker's load, counted as they come. */
class Tally {
	requests = 0;
	errors = 0;
	readonly byKind: Record<string, number> = {};

	/** Counts an answer, and an error when its status is not the expected one. */
	answer(name: string, status: number, expected: number): void {
		this.requests++;
		if (status !== expected) {
			this.error(`${name} → ${status}`);
		}
	}

	/** Counts an error of any kind. */
	error(kind: string): void {
		this.errors++;
		this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
	}

	/** The reading of a process now. */
	reading(pid: number): Reading {
		return { rssBytes: rssBytes(pid), requests: this.requests, errors: this.errors };
	}
}

/** Loads a served worker with a sequence of requests per connection for the soak's length. */
function drive(served: Served, tally: Tally, requests: autocannon.Request[]): Promise<autocannon.Result> {
	return new Promise((resolve, reject) => {
		const options = { url: served.url.href, connections: CONNECTIONS, duration: SECONDS, requests };
		const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
		instance.on("reqError", (error: Error) => tally.error(`socket error: ${error.message}`));
	});
}

/** Runs the soak and writes SOAK.md. */
async function main(): Promise<void> {
	const work = mkdtempSync(path.join(os.tmpdir(), "auth-soak-"));
	try {
		const app = buildForUpload("wrangler.toml", path.join(work, "app"));
		const svc = await serve(app.script, {
			d1: true,
			bindings: { ...SERVICE_BINDINGS, BCRYPT_COST: String(BCRYPT_COST) },
		});
		const hello = await serve(await bundle("bench/workers/hello.ts", path.join(work, "hello")), { d1: true });
		const db = await svc.mf.getD1Database("DB");
		await applyMigrations(db, "migrations");
		await (await hello.mf.getD1Database("DB")).exec("CREATE TABLE t (k TEXT PRIMARY KEY)");

		const ours = new Tally();
		const theirs = new Tally();
		const d1Bytes = async () => (await db.prepare("SELECT 1").run()).meta.size_after ?? Number.NaN;
		const samples: Sample[] = [];
		const started = Date.now();
		const sample = async () => {
			const seconds = (Date.now() - started) / 1000;
			samples.push({
				seconds,
				service: ours.reading(svc.pid),
				hello: theirs.reading(hello.pid),
				d1Bytes: await d1Bytes(),
			});
			console.log(`${Math.round(seconds)} s: ${JSON.stringify(samples.at(-1))}`);
		};
		await sample();
		// The sample under way, if any: it awaits D1, so it can end after the load does.
		let sampling = Promise.resolve();
		const timer = setInterval(() => {
			sampling = sample();
		}, SAMPLE_SECONDS * 1000);
		const results = await Promise.all([
			drive(
				svc,
				ours,
				STEPS.map((step) => ({
					method: step.method,
					path: step.path,
					setupRequest: (request, context) => {
						const cycle = context as Cycle;
						const headers: Record<string, string> = {};
						if (step.withCookie && cycle.session) {
							headers.cookie = cycle.session;
						}
						if (step.form) {
							headers["content-type"] = "application/x-www-form-urlencoded";
							return { ...request, headers, body: new URLSearchParams(step.form(cycle)).toString() };
						}
						return { ...request, headers };
					},
					onResponse: (status, body, context, headers) => {
						ours.answer(step.name, status, step.expectStatus);
						if (status === step.expectStatus) {
							step.keep?.(context as Cycle, body, headers as Record<string, string | string[]>);
						}
					},
				})),
			),
			drive(
				hello,
				theirs,
				["/", "/d1"].map((route) => ({
					method: "GET",
					path: route,
					onResponse: (status) => theirs.answer(`GET ${route}`, status, 200),
				})),
			),
		]);
		clearInterval(timer);
		await sampling;
		for (const [tally, result] of [
			[ours, results[0]],
			[theirs, results[1]],
		] as const) {
			// Timeouts are not socket errors to autocannon and come only in its result.
			for (let i = 0; i < result.timeouts; i++) tally.error("timeout");
		}
		// The last reading, with the timeouts; it replaces a timed one taken as the load ended.
		if ((Date.now() - started) / 1000 - (samples.at(-1)?.seconds ?? 0) < 1) {
			samples.pop();
		}
		await sample();
		await svc.mf.dispose();
		await hello.mf.dispose();

		const cpus = os.cpus();
		const { markdown, failed } = renderSoak(
			{
				date: new Date().toISOString().slice(0, 10),
				machine: `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, Node ${process.version}`,
				workerd: JSON.parse(readFileSync(path.join(ROOT, "node_modules/workerd/package.json"), "utf8"))
					.version,
				seconds: SECONDS,
				sampleSeconds: SAMPLE_SECONDS,
				connections: CONNECTIONS,
				bcryptCost: BCRYPT_COST,
				cycle: STEPS.map((step) => step.name)
					.filter((name, i, names) => names.indexOf(name) === i)
					.map((name) => {
						const times = STEPS.filter((step) => step.name === name).length;
						return times > 1 ? `${name} ×${times}` : name;
					}),
			},
			samples,
			{ ...ours.byKind, ...theirs.byKind },
		);
		console.log(markdown);
		writeFileSync(path.join(ROOT, "SOAK.md"), markdown);
		if (failed) {
			process.exitCode = 1;
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

await main();
