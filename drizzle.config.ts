/**
 * drizzle-kit configuration: generates flat SQL migrations from `src/db/schema.ts` into `migrations/`,
 * where `wrangler d1 migrations apply` and the test setup both read them.
 *
 * @module
 */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
	dialect: "sqlite",
	schema: "./src/db/schema.ts",
	out: "./migrations",
});
