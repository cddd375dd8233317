/**
 * Building and serving the benchmark's workers: the deployable bundle as `wrangler deploy --dry-run`
 * would upload it (for the service and for its Better Auth peer alike, so their sizes compare), small
 * workers bundled with esbuild, and each served on its own workerd through Miniflare's API (not
 * `wrangler dev`, whose proxy caps throughput).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { workerdChildren } from "./proc";

/** The repository's root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The service's compatibility date, used for every worker served, the peer included. */
export const COMPATIBILITY_DATE =
	/^compatibility_date\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, "wrangler.toml"), "utf8"))?.[1] ??
	"2026-04-20";

/** The D1 database of a Miniflare instance, as its Node API hands it out. */
export type BenchD1 = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/** A worker served on its own workerd process. */
export interface Served {
	url: URL;
	mf: Miniflare;
	/** The workerd process serving it, for its CPU time and memory. */
	pid: number;
}

/** What serving a worker needs beyond its script. */
export interface ServeOptions {
	/** Bind an empty in-memory D1 database as `DB`. */
	d1?: boolean;
	bindings?: Record<string, string>;
	/** Receives each line the worker logs; by default they are dropped rather than printed here. */
	onLog?: (level: string, message: string) => void;
}

/** Starts workerd with one bundled module worker and the text modules beside it. */
export async function serve(scriptPath: string, options: ServeOptions = {}): Promise<Served> {
	const before = workerdChildren();
	const dir = path.dirname(scriptPath);
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			name: "bench",
			handleStructuredLogs: ({ level, message }: { level: string; message: string }) =>
				options.onLog?.(level, message),
			host: "127.0.0.1",
			port: 0,
			// The bundle, and the text modules wrangler writes beside it (the common-password list).
			modules: [
				{ type: "ESModule", path: scriptPath },
				...readdirSync(dir)
					.filter((file) => file.endsWith(".txt"))
					.map((file) => ({ type: "Text" as const, path: path.join(dir, file) })),
			],
			modulesRoot: dir,
			compatibilityDate: COMPATIBILITY_DATE,
			compatibilityFlags: ["nodejs_compat"],
			d1Databases: options.d1 ? ["DB"] : [],
			bindings: options.bindings ?? {},
		}),
	);
	const url = await mf.ready;
	// Instances are started one at a time, so the one new workerd child is this instance's.
	const started = [...workerdChildren()].filter((pid) => !before.has(pid));
	if (started.length !== 1 || started[0] === undefined) {
		await mf.dispose();
		throw new Error(`expected one new workerd process, found ${started.length}`);
	}
	return { url, mf, pid: started[0] };
}

/** Bundles a small benchmark worker with esbuild the way wrangler would (ES module, workerd conditions). */
export async function bundle(entry: string, outdir: string): Promise<string> {
	const outfile = path.join(outdir, `${path.basename(entry, ".ts")}.js`);
	await build({
		entryPoints: [path.join(ROOT, entry)],
		bundle: true,
		format: "esm",
		platform: "neutral",
		conditions: ["workerd", "worker", "browser"],
		mainFields: ["module", "main"],
		external: ["crypto", "node:*"],
		loader: { ".txt": "text" },
		outfile,
		logLevel: "error",
	});
	return outfile;
}

/** A deployable bundle and the size of what would be uploaded. */
export interface Upload {
	script: string;
	rawBytes: number;
	gzipBytes: number;
}

/**
 * Builds a worker with `wrangler deploy --dry-run` from its wrangler config and returns the script's
 * path and the size of everything uploaded with it (the script and its text modules; not the source map).
 */
export function buildForUpload(configPath: string, outdir: string): Upload {
	execFileSync(
		path.join(ROOT, "node_modules/.bin/wrangler"),
		["deploy", "--dry-run", "--outdir", outdir, "--config", path.join(ROOT, configPath)],
		{ cwd: ROOT, stdio: "ignore", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	const modules = readdirSync(outdir).filter((file) => file.endsWith(".js") || file.endsWith(".txt"));
	const scripts = modules.filter((file) => file.endsWith(".js"));
	if (scripts.length !== 1 || scripts[0] === undefined) {
		throw new Error(`expected one script from wrangler in ${outdir}, found ${scripts.join(", ")}`);
	}
	let rawBytes = 0;
	let gzipBytes = 0;
	for (const file of modules) {
		const code = readFileSync(path.join(outdir, file));
		rawBytes += code.length;
		gzipBytes += gzipSync(code, { level: 9 }).length;
	}
	return { script: path.join(outdir, scripts[0]), rawBytes, gzipBytes };
}
