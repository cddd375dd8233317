/**
 * `npm run db:normalize-emails [-- --remote] [-- --env production] [-- --apply]`: finds the users whose
 * stored email differs from the service's normal form (see `scripts/email-normalization.ts`) and reports
 * them. It changes nothing unless `--apply` is given, and even then leaves alone the rows whose normal
 * form another account holds, for an operator to merge. Runs through `wrangler d1 execute`, on the local
 * database unless `--remote` is given.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { planEmailNormalization, type StoredEmail } from "./email-normalization";

const args = process.argv.slice(2);
const apply = args.includes("--apply");
const target = args.includes("--remote") ? "--remote" : "--local";
const envIndex = args.indexOf("--env");
const envArgs = envIndex >= 0 && args[envIndex + 1] ? ["--env", args[envIndex + 1] ?? ""] : [];

/** Runs `wrangler d1 execute` on the DB binding and returns its JSON output. */
function execute(extra: string[]): unknown {
	const output = execFileSync(
		"npx",
		["wrangler", "d1", "execute", "DB", target, ...envArgs, "--json", ...extra],
		{ encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	return JSON.parse(output);
}

/** Quotes a string for SQL. */
function quote(text: string): string {
	return `'${text.replaceAll("'", "''")}'`;
}

const [result] = execute(["--command", "SELECT id, email FROM users ORDER BY id"]) as [
	{ results: StoredEmail[] },
];
const plan = planEmailNormalization(result?.results ?? []);

console.log(`${plan.changes.length} email(s) to normalise, ${plan.conflicts.length} conflict(s).`);
for (const change of plan.changes) {
	console.log(`  user ${change.id}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`);
}
for (const conflict of plan.conflicts) {
	console.log(
		`  user ${conflict.id}: ${JSON.stringify(conflict.from)} → ${JSON.stringify(conflict.to)}, held by user(s) ${conflict.with.join(", ")}: left alone`,
	);
}

if (!apply) {
	if (plan.changes.length > 0) {
		console.log("Nothing changed (dry run). Run again with --apply to update the rows above.");
	}
} else if (plan.changes.length > 0) {
	const dir = mkdtempSync(path.join(os.tmpdir(), "normalize-emails-"));
	const file = path.join(dir, "normalize.sql");
	// Each update checks the row still holds what was planned, so a concurrent change is not overwritten.
	writeFileSync(
		file,
		plan.changes
			.map((c) => `UPDATE users SET email = ${quote(c.to)} WHERE id = ${c.id} AND email = ${quote(c.from)};`)
			.join("\n"),
	);
	try {
		execute(["--file", file]);
		console.log(`Updated ${plan.changes.length} row(s).`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
