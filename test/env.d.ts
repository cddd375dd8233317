/**
 * Bindings that exist only in tests, added to the generated `Env`.
 *
 * @module
 */
declare namespace Cloudflare {
	interface Env {
		/** The SQL migrations from `migrations/`, read by `vitest.config.ts` for the setup file. */
		TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
		/** An empty database, migrated step by step by test/migrations.test.ts. */
		UPGRADE_DB: D1Database;
	}
}
