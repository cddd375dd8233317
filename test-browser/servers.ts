/**
 * vitest's global setup for the browser tests: the two `wrangler dev` servers they drive, each on a fresh
 * local database. The development configuration (`response` mode) and the production environment
 * (`email` mode, queue and email simulated, messages written under its own temporary directory). When
 * `BASE_URL`, `EMAIL_BASE_URL` and `MAIL_DIR` are set (CI, which has started the servers already), those
 * are used instead and nothing is started.
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
	export interface ProvidedContext {
		/** The server in `response` mode (the top-level configuration). */
		baseUrl: string;
		/** The server in `email` mode (`--env production`). */
		emailBaseUrl: string;
		/** Where the `email` mode server writes the messages it sends. */
		mailDir: string;
	}
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = path.join(ROOT, "node_modules/.bin/wrangler");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false" };

/** One `wrangler dev` started here. */
interface Server {
	readonly url: string;
	readonly process: ChildProcess;
	readonly log: string;
}

/** Migrates a fresh local database under `state` and starts `wrangler dev` on `port` over it. */
function start(state: string, port: number, args: string[]): Server {
	mkdirSync(path.join(state, "tmp"), { recursive: true });
	const environment = args.includes("--env") ? ["--env", "production"] : [];
	execFileSync(
		WRANGLER,
		["d1", "migrations", "apply", "DB", "--local", "--persist-to", state, ...environment],
		{
			cwd: ROOT,
			env: ENV,
			stdio: "ignore",
		},
	);
	const log = path.join(state, "dev.log");
	const output = openSync(log, "w");
	// Its own process group, so stopping it stops the workerd it starts. TMPDIR is where the local
	// send_email binding writes messages.
	const child = spawn(WRANGLER, ["dev", "--port", String(port), "--persist-to", state, ...args], {
		cwd: ROOT,
		env: { ...ENV, TMPDIR: path.join(state, "tmp") },
		stdio: ["ignore", output, output],
		detached: true,
	});
	return { url: `http://localhost:${port}`, process: child, log };
}

/** Waits until `server` answers, or throws with its log if it exits or stays silent for 60 s. */
async function ready(server: Server): Promise<void> {
	for (let waited = 0; waited < 60_000; waited += 500) {
		if (server.process.exitCode !== null) {
			break;
		}
		try {
			if ((await fetch(server.url)).ok) {
				return;
			}
		} catch {
			// Not listening yet.
		}
		await sleep(500);
	}
	throw new Error(`wrangler dev at ${server.url} did not start:\n${readFileSync(server.log, "utf8")}`);
}

/** Stops a server and the workerd it started. */
function stop(server: Server): void {
	if (server.process.pid !== undefined && server.process.exitCode === null) {
		try {
			process.kill(-server.process.pid, "SIGTERM");
		} catch {
			// Already gone.
		}
	}
}

/** Starts the servers (unless given), provides their URLs to the tests, and stops them afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
	const { BASE_URL, EMAIL_BASE_URL, MAIL_DIR } = process.env;
	if (BASE_URL && EMAIL_BASE_URL && MAIL_DIR) {
		project.provide("baseUrl", BASE_URL);
		project.provide("emailBaseUrl", EMAIL_BASE_URL);
		project.provide("mailDir", MAIL_DIR);
		return () => {};
	}
	const port = Number(process.env.BROWSER_TEST_PORT ?? "5100");
	const work = mkdtempSync(path.join(os.tmpdir(), "auth-browser-"));
	const emailState = path.join(work, "production");
	const servers = [
		start(path.join(work, "development"), port, []),
		start(emailState, port + 1, [
			"--env",
			"production",
			"--var",
			`PUBLIC_BASE_URL:http://localhost:${port + 1}`,
			"--var",
			"AUTH_SECRET:browser-test-only-auth-secret-0123456789",
			"--var",
			"PASSWORD_PEPPER:browser-test-only-password-pepper-01234",
		]),
	];
	const teardown = () => {
		servers.forEach(stop);
		rmSync(work, { recursive: true, force: true });
	};
	try {
		await Promise.all(servers.map(ready));
	} catch (error) {
		teardown();
		throw error;
	}
	project.provide("baseUrl", servers[0]?.url ?? "");
	project.provide("emailBaseUrl", servers[1]?.url ?? "");
	project.provide("mailDir", path.join(emailState, "tmp"));
	return teardown;
}
