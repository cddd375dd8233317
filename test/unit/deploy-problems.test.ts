/**
 * What `npm run deploy:check` reports (scripts/deploy-problems.ts), as a function of wrangler's resolved
 * production environment: every placeholder at once, senders the binding refuses, a URL no route serves,
 * weak secrets, and whatever the Worker's own start-up check would refuse.
 */
import { describe, expect, it } from "vitest";
import { type DeployConfig, deployProblems } from "../../scripts/deploy-problems";

/** The production environment of today's wrangler.toml, as wrangler resolves it. */
const TODAY: DeployConfig = {
	name: "workers-user-auth-production",
	vars: {
		TOKEN_DELIVERY: "email",
		PUBLIC_BASE_URL: "https://auth.example.com",
		EMAIL_FROM: "no-reply@auth.example.com",
		BCRYPT_COST: "10",
		PASSWORD_MIN_LENGTH: "8",
		REQUIRE_VERIFIED_EMAIL: "true",
	},
	d1_databases: [{ binding: "DB", database_id: "00000000-0000-0000-0000-000000000000" }],
	send_email: [{ name: "EMAIL", allowed_sender_addresses: ["no-reply@auth.example.com"] }],
	queues: { producers: [{ binding: "EMAIL_QUEUE" }] },
};

/** Today's environment with its placeholders replaced, served on a custom domain. */
const READY: DeployConfig = {
	...TODAY,
	vars: { ...TODAY.vars, PUBLIC_BASE_URL: "https://auth.acme.dev", EMAIL_FROM: "no-reply@acme.dev" },
	d1_databases: [{ binding: "DB", database_id: "2f1c2a9e-7d3b-4c55-9b1e-0a6f4d8e3c21" }],
	send_email: [{ name: "EMAIL", allowed_sender_addresses: ["no-reply@acme.dev"] }],
	routes: [{ pattern: "auth.acme.dev", custom_domain: true }],
};

const STRONG = { AUTH_SECRET: "s".repeat(64), PASSWORD_PEPPER: "p".repeat(64) };

describe("deployProblems", () => {
	it("lists every placeholder of today's wrangler.toml in one run", () => {
		expect(deployProblems(TODAY, null).map((p) => p.problem)).toEqual([
			'database_id of [[env.production.d1_databases]] is the placeholder "00000000-0000-0000-0000-000000000000"',
			"PUBLIC_BASE_URL is the placeholder https://auth.example.com",
			"EMAIL_FROM is the placeholder no-reply@auth.example.com",
			"allowed_sender_addresses of [[env.production.send_email]] holds the placeholder no-reply@auth.example.com",
		]);
	});

	it("finds nothing once they are replaced", () => {
		expect(deployProblems(READY, STRONG)).toEqual([]);
		expect(deployProblems(READY, null)).toEqual([]);
	});

	it("names the workers.dev address the Worker will have", () => {
		const onWorkersDev = {
			...READY,
			vars: { ...READY.vars, PUBLIC_BASE_URL: "https://auth.acme.workers.dev" },
		};
		expect(deployProblems(onWorkersDev, null)).toEqual([
			{
				problem: "PUBLIC_BASE_URL's host auth.acme.workers.dev is not this Worker's workers.dev address",
				fix: "the Worker is named workers-user-auth-production: its address is https://workers-user-auth-production.<your subdomain>.workers.dev",
			},
		]);
		const right = {
			...onWorkersDev,
			vars: { ...READY.vars, PUBLIC_BASE_URL: "https://workers-user-auth-production.acme.workers.dev" },
		};
		expect(deployProblems(right, null)).toEqual([]);
	});

	it("finds a custom domain no route serves, and a sender the binding refuses", () => {
		const problems = deployProblems(
			{ ...READY, routes: [], vars: { ...READY.vars, EMAIL_FROM: "hello@acme.dev" } },
			null,
		).map((p) => p.problem);
		expect(problems).toEqual([
			"PUBLIC_BASE_URL's host auth.acme.dev is not a route of this Worker",
			"EMAIL_FROM hello@acme.dev is not among allowed_sender_addresses of [[env.production.send_email]]",
		]);
	});

	it("finds missing, short and development secrets in a secrets file", () => {
		const problems = deployProblems(READY, {
			AUTH_SECRET: "short",
			PASSWORD_PEPPER: "development-only-password-pepper-not-for-deployment",
		}).map((p) => p.problem);
		expect(problems).toEqual([
			"AUTH_SECRET in the secrets file is shorter than 32 characters",
			"PASSWORD_PEPPER in the secrets file is the public development one",
		]);
		expect(deployProblems(READY, {}).map((p) => p.problem)).toEqual([
			"the secrets file has no AUTH_SECRET",
			"the secrets file has no PASSWORD_PEPPER",
		]);
	});

	it("reports what the Worker's start-up check would refuse, and missing bindings", () => {
		const problems = deployProblems(
			{
				...READY,
				queues: {},
				vars: { ...READY.vars, BCRYPT_COST: "40", PUBLIC_BASE_URL: "http://auth.acme.dev" },
			},
			null,
		).map((p) => p.problem);
		expect(problems).toEqual([
			expect.stringMatching(/^BCRYPT_COST must be an integer from 4 to 31/),
			expect.stringMatching(/^TOKEN_DELIVERY = "email" needs the queue producer binding EMAIL_QUEUE/),
			expect.stringMatching(/^PUBLIC_BASE_URL must use https/),
		]);
	});
});
