/**
 * Browser tests (`npm run test:browser`): Node drives Debian's Chromium with playwright-core against
 * `wrangler dev` servers that test-browser/servers.ts starts (or that CI gives through `BASE_URL`,
 * `EMAIL_BASE_URL` and `MAIL_DIR`). Separate from `npm test`, which stays the fast workerd suite.
 *
 * @module
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test-browser/**/*.test.ts"],
		environment: "node",
		globalSetup: ["./test-browser/servers.ts"],
		// One browser at a time on a small machine; the tests within a file share their browser.
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 120_000,
	},
});
