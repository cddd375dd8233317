/**
 * Setup file: applies the real migrations to the test D1 database before any test runs. It may run more
 * than once; `applyD1Migrations` skips migrations that are already applied.
 *
 * @module
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
