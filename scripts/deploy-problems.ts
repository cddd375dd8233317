/**
 * What `npm run deploy:check` finds wrong with the production environment of `wrangler.toml`, before any
 * call to Cloudflare: every placeholder left (the zero database id, `example.com` addresses), addresses
 * the sending binding may not use, a public URL no route serves, and, when a secrets file is given,
 * missing or weak secrets. It also runs the Worker's own start-up check (`loadConfig`) on the same
 * variables, so anything the Worker would refuse at start-up is reported here first. All problems are
 * reported together, each with its fix.
 *
 * Pure: it reads nothing itself (`scripts/deploy.ts` reads the configuration), so it is tested in
 * `test/unit/deploy-problems.test.ts`.
 *
 * @module
 */
import { DEVELOPMENT_SECRETS, isReservedDomain, loadConfig } from "../src/config";

/** The part of wrangler's resolved configuration for one environment that the check reads. */
export interface DeployConfig {
	readonly name?: string;
	readonly vars?: Record<string, unknown>;
	readonly d1_databases?: readonly { readonly binding: string; readonly database_id?: string }[];
	readonly send_email?: readonly { readonly name: string; readonly allowed_sender_addresses?: string[] }[];
	readonly queues?: { readonly producers?: readonly { readonly binding: string }[] };
	readonly routes?: readonly (string | { readonly pattern: string; readonly custom_domain?: boolean })[];
	readonly route?: string | { readonly pattern: string };
	readonly workers_dev?: boolean;
}

/** One thing to fix before deploying. */
export interface DeployProblem {
	/** What is wrong, naming the setting. */
	readonly problem: string;
	/** What to do about it. */
	readonly fix: string;
}

/** The secrets the Worker needs, as a secrets file gives them; `null` when no file was given. */
export type Secrets = Readonly<Record<string, string>> | null;

/** The secrets the Worker cannot start without in production. */
const REQUIRED_SECRETS = ["AUTH_SECRET", "PASSWORD_PEPPER"] as const;

/** Shortest secret the Worker accepts. */
const SECRET_MIN_LENGTH = 32;

/** The domain of an address. */
function domainOf(address: string): string {
	return address.slice(address.lastIndexOf("@") + 1);
}

/** The host names the routes of the configuration serve (custom domains and route patterns). */
function routedHosts(config: DeployConfig): string[] {
	const routes = [...(config.routes ?? []), ...(config.route === undefined ? [] : [config.route])];
	return routes.map((route) => (typeof route === "string" ? route : route.pattern).split("/")[0] ?? "");
}

/** The problems of the database binding. */
function databaseProblems(config: DeployConfig): DeployProblem[] {
	const database = config.d1_databases?.find((d) => d.binding === "DB");
	if (database === undefined) {
		return [{ problem: "no D1 binding DB", fix: 'add [[env.production.d1_databases]] with binding = "DB"' }];
	}
	if (database.database_id === undefined || /^[0-]+$/.test(database.database_id)) {
		return [
			{
				problem: `database_id of [[env.production.d1_databases]] is the placeholder "${database.database_id ?? ""}"`,
				fix: "run `npx wrangler d1 create workers-user-auth` and put the id it prints there",
			},
		];
	}
	return [];
}

/** The problems of the public URL: a placeholder, plain HTTP, or a host this Worker is not served on. */
function urlProblems(config: DeployConfig, publicBaseUrl: string): DeployProblem[] {
	let url: URL;
	try {
		url = new URL(publicBaseUrl);
	} catch {
		return []; // The start-up check reports it.
	}
	if (isReservedDomain(url.hostname)) {
		return [
			{
				problem: `PUBLIC_BASE_URL is the placeholder ${publicBaseUrl}`,
				fix: `set it to the URL people reach the service at: https://${config.name ?? "<worker name>"}.<your subdomain>.workers.dev, or a custom domain of yours (docs/deploy.md)`,
			},
		];
	}
	if (url.hostname.endsWith(".workers.dev")) {
		const problems: DeployProblem[] = [];
		if (config.name !== undefined && url.hostname.split(".")[0] !== config.name) {
			problems.push({
				problem: `PUBLIC_BASE_URL's host ${url.hostname} is not this Worker's workers.dev address`,
				fix: `the Worker is named ${config.name}: its address is https://${config.name}.<your subdomain>.workers.dev`,
			});
		}
		if (config.workers_dev === false) {
			problems.push({
				problem: "PUBLIC_BASE_URL is a workers.dev address, but workers_dev = false",
				fix: "remove workers_dev = false from [env.production], or use a custom domain",
			});
		}
		return problems;
	}
	if (!routedHosts(config).includes(url.hostname)) {
		return [
			{
				problem: `PUBLIC_BASE_URL's host ${url.hostname} is not a route of this Worker`,
				fix: `add routes = [{ pattern = "${url.hostname}", custom_domain = true }] under [env.production]`,
			},
		];
	}
	return [];
}

/** The problems of the sender: a placeholder, or an address the send_email binding may not send from. */
function senderProblems(config: DeployConfig, emailFrom: string): DeployProblem[] {
	const problems: DeployProblem[] = [];
	if (isReservedDomain(domainOf(emailFrom))) {
		problems.push({
			problem: `EMAIL_FROM is the placeholder ${emailFrom}`,
			fix: "set it to an address on a domain onboarded to Cloudflare Email Service (docs/deploy.md)",
		});
	}
	const binding = config.send_email?.find((b) => b.name === "EMAIL");
	const allowed = binding?.allowed_sender_addresses ?? [];
	for (const address of allowed.filter((a) => isReservedDomain(domainOf(a)))) {
		problems.push({
			problem: `allowed_sender_addresses of [[env.production.send_email]] holds the placeholder ${address}`,
			fix: "list EMAIL_FROM there",
		});
	}
	if (binding !== undefined && allowed.length > 0 && !allowed.includes(emailFrom)) {
		problems.push({
			problem: `EMAIL_FROM ${emailFrom} is not among allowed_sender_addresses of [[env.production.send_email]]`,
			fix: "list EMAIL_FROM there: the binding refuses any other sender",
		});
	}
	return problems;
}

/** The problems of a secrets file: a missing secret, a short one, or a development one. */
function secretProblems(secrets: Readonly<Record<string, string>>): DeployProblem[] {
	const development: readonly string[] = Object.values(DEVELOPMENT_SECRETS);
	return REQUIRED_SECRETS.flatMap((name) => {
		const value = secrets[name];
		if (value === undefined || value === "") {
			return [{ problem: `the secrets file has no ${name}`, fix: `add it: openssl rand -base64 48` }];
		}
		if (value.length < SECRET_MIN_LENGTH || development.includes(value)) {
			return [
				{
					problem: `${name} in the secrets file is ${value.length < SECRET_MIN_LENGTH ? "shorter than 32 characters" : "the public development one"}`,
					fix: "use a random one: openssl rand -base64 48",
				},
			];
		}
		return [];
	});
}

/**
 * Returns everything to fix before deploying `config` (wrangler's resolved production environment),
 * with `secrets` from a secrets file, or `null` when none was given (they are then not checked: a
 * secret set with `wrangler secret put` cannot be seen without calling Cloudflare).
 */
export function deployProblems(config: DeployConfig, secrets: Secrets): DeployProblem[] {
	const vars = Object.fromEntries(
		Object.entries(config.vars ?? {}).map(([name, value]) => [name, String(value)]),
	) as Record<string, string>;
	const problems = [
		...databaseProblems(config),
		...(vars.PUBLIC_BASE_URL ? urlProblems(config, vars.PUBLIC_BASE_URL) : []),
		...(vars.EMAIL_FROM ? senderProblems(config, vars.EMAIL_FROM) : []),
		...(secrets === null ? [] : secretProblems(secrets)),
	];
	// The Worker's own start-up check, on the same variables; what the checks above said already is left out.
	const bindings = {
		EMAIL_QUEUE: config.queues?.producers?.some((p) => p.binding === "EMAIL_QUEUE") ? {} : undefined,
		EMAIL: config.send_email?.some((b) => b.name === "EMAIL") ? {} : undefined,
	};
	const stand = "x".repeat(SECRET_MIN_LENGTH);
	try {
		loadConfig({ AUTH_SECRET: stand, PASSWORD_PEPPER: stand, ...vars, ...bindings });
	} catch (error) {
		const said = problems.map((p) => p.problem).join("\n");
		for (const line of (error instanceof Error ? error.message : String(error)).split("\n")) {
			const [name] = line.split(" ");
			if (name === undefined || !said.includes(name)) {
				problems.push({ problem: line, fix: "fix it in [env.production.vars] (README, Configuration)" });
			}
		}
	}
	return problems;
}
