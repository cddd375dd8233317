/**
 * `npm run dev` and `npm run dev:email`: migrates the local D1 database, then serves the Worker with
 * `wrangler dev` on the port `PORT` names (5000 by default, the exercise's), in the development
 * configuration or, with `--email`, in `[env.production]` with the queue and email simulated and its
 * emailed links pointing at that same port. A port already taken is reported with what to do, before
 * wrangler would fail on it. Arguments after `--` go to `wrangler dev` (`-- --ip 0.0.0.0` serves the LAN).
 *
 * Plain Node (no TypeScript loader): it is the first thing a new user runs.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

/** The local-only secrets `dev:email` runs with; production's are set with `wrangler secret put`. */
const LOCAL_SECRETS = {
	AUTH_SECRET: "local-development-only-auth-secret",
	PASSWORD_PEPPER: "local-development-only-password-pepper",
};

const WRANGLER = join(
	dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
	"bin/wrangler.js",
);
const email = process.argv.includes("--email");
const passThrough = process.argv.slice(2).filter((arg) => arg !== "--email");
const port = Number(process.env.PORT ?? "5000");

if (!Number.isInteger(port) || port < 1 || port > 65535) {
	console.error(`PORT must be a port number, got "${process.env.PORT}".`);
	process.exit(1);
}

/** Resolves whether something already listens on `port` of the loopback interface. */
function portTaken(port) {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once("error", (error) => resolve(error.code === "EADDRINUSE" || error.code === "EACCES"));
		probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
	});
}

/** Runs wrangler with `args`, inheriting the terminal; returns its exit status. */
function wrangler(args) {
	return spawnSync(process.execPath, [WRANGLER, ...args], { stdio: "inherit" }).status ?? 1;
}

if (await portTaken(port)) {
	const other = port === 5000 ? 5050 : port + 1;
	console.error(
		[
			`Port ${port} is already in use${port === 5000 ? " (on macOS 12 and later, AirPlay Receiver listens on 5000)" : ""}.`,
			`Pick another one: PORT=${other} npm run dev${email ? ":email" : ""}`,
			`(on Windows: set PORT=${other} and run the command again). The emailed links and`,
			`npm run e2e${email ? ":email" : ""} follow PORT too.`,
		].join("\n"),
	);
	process.exit(1);
}

const environment = email ? ["--env", "production"] : [];
if (wrangler(["d1", "migrations", "apply", "DB", "--local", ...environment]) !== 0) {
	process.exit(1);
}
const vars = email
	? [["PUBLIC_BASE_URL", `http://localhost:${port}`], ...Object.entries(LOCAL_SECRETS)].flatMap(
			([name, value]) => ["--var", `${name}:${value}`],
		)
	: [];
const dev = spawn(
	process.execPath,
	[WRANGLER, "dev", "--port", String(port), ...environment, ...vars, ...passThrough],
	{
		stdio: "inherit",
	},
);
dev.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
for (const signal of ["SIGINT", "SIGTERM"]) {
	process.on(signal, () => dev.kill(signal));
}
