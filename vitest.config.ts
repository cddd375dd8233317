/**
 * Test configuration: every test file runs inside workerd with the bindings from `wrangler.toml`, a local
 * D1 database that the setup file migrates with the real `migrations/`, and a low bcrypt cost.
 *
 * @module
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
	const migrations = await readD1Migrations(new URL("./migrations", import.meta.url).pathname);
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: {
					// An empty database of its own, on which test/migrations.test.ts replays the upgrades.
					d1Databases: { UPGRADE_DB: "upgrade-db" },
					// The email queue and sender of [env.production], so `email` mode can be tested: a test
					// passes TOKEN_DELIVERY = "email" in the env it hands the worker. The consumer takes each
					// message at once instead of waiting for a batch to fill.
					queueProducers: { EMAIL_QUEUE: { queueName: "auth-email-test" } },
					queueConsumers: {
						"auth-email-test": { maxBatchTimeout: 0, maxRetries: 2, deadLetterQueue: "auth-email-test-dlq" },
					},
					email: { send_email: [{ name: "EMAIL" }] },
					bindings: {
						// The secrets `email` mode asks for (`response` mode would use its development ones).
						AUTH_SECRET: "test-only-auth-secret-0123456789abcdef",
						PASSWORD_PEPPER: "test-only-password-pepper-0123456789ab",
						PUBLIC_BASE_URL: "https://auth.acme.dev",
						EMAIL_FROM: "no-reply@acme.dev",
						// bcrypt's lowest cost keeps the suite fast; the cost itself is covered by its own test.
						BCRYPT_COST: "4",
						// A front end on another origin, for the cross-site tests.
						ALLOWED_ORIGINS: "https://app.example.com",
						TEST_MIGRATIONS: migrations,
					},
				},
			}),
		],
		test: {
			// The browser tests (test-browser/) run in Node with their own config: `npm run test:browser`.
			include: ["test/**/*.test.ts"],
			setupFiles: ["./test/apply-migrations.ts"],
			// The worker logs a JSON line per request; show logs only for tests that fail.
			silent: "passed-only" as const,
		},
	};
});
