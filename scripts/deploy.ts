/**
 * `npm run deploy:check` and `npm run deploy`. The check reads `[env.production]` of `wrangler.toml` (as
 * wrangler resolves it) and reports every problem at once, each with its fix, before any call to
 * Cloudflare (see `deploy-problems.ts`); it exits 1 when there is one. `deploy` runs the check, then
 * applies the migrations to the remote database and deploys the production environment.
 *
 * Secrets: give them with the first deploy as a file, `npm run deploy -- --secrets-file prod.secrets.json`
 * (JSON or .env; never commit it), which the check reads too; or set them once with
 * `npx wrangler secret put AUTH_SECRET --env production`, which the check cannot see.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { unstable_readConfig } from "wrangler";
import { type DeployConfig, deployProblems, type Secrets } from "./deploy-problems";

const args = process.argv.slice(2);
const deploy = args.includes("--deploy");
const fileFlag = args.indexOf("--secrets-file");
const secretsFile = fileFlag === -1 ? null : (args[fileFlag + 1] ?? null);

/** Reads a secrets file as `wrangler deploy --secrets-file` does: JSON, or `NAME=value` lines. */
function readSecrets(path: string): Record<string, string> {
	const text = readFileSync(path, "utf8");
	if (text.trimStart().startsWith("{")) {
		return JSON.parse(text) as Record<string, string>;
	}
	const secrets: Record<string, string> = {};
	for (const line of text.split("\n")) {
		const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
		if (match?.[1] !== undefined && !line.trimStart().startsWith("#")) {
			secrets[match[1]] = (match[2] ?? "").replace(/^(["'])(.*)\1$/, "$2");
		}
	}
	return secrets;
}

/** Runs wrangler with `args` in the terminal; exits with its status when it fails. */
function wrangler(wranglerArgs: string[]): void {
	const result = spawnSync("npx", ["wrangler", ...wranglerArgs], { stdio: "inherit" });
	if (result.status !== 0) {
		process.exit(result.status ?? 1);
	}
}

const config = unstable_readConfig(
	{ config: "wrangler.toml", env: "production" },
	{ hideWarnings: true },
) as unknown as DeployConfig;
const secrets: Secrets = secretsFile === null ? null : readSecrets(secretsFile);
const problems = deployProblems(config, secrets);
if (problems.length > 0) {
	console.error(
		`deploy:check: ${problems.length} thing(s) to fix in [env.production] of wrangler.toml first:\n`,
	);
	for (const [i, { problem, fix }] of problems.entries()) {
		console.error(`${i + 1}. ${problem}\n   fix: ${fix}`);
	}
	console.error("\nThe whole checklist: docs/deploy.md.");
	process.exit(1);
}
console.log(
	`deploy:check: [env.production] of wrangler.toml is ready to deploy as ${config.name ?? "?"}${
		secrets === null
			? " (secrets not checked: give them with --secrets-file, or check `npx wrangler secret list --env production` shows AUTH_SECRET and PASSWORD_PEPPER)"
			: ""
	}.`,
);
if (deploy) {
	wrangler(["d1", "migrations", "apply", "DB", "--remote", "--env", "production"]);
	wrangler([
		"deploy",
		"--env",
		"production",
		...(secretsFile === null ? [] : ["--secrets-file", secretsFile]),
	]);
}
