/**
 * The table of the service's D1 round trips and bcrypt operations per route, which the report prints into
 * BENCHMARKS.md beside the measured figures. Pure data, so the report stays testable inside workerd.
 *
 * @module
 */

/**
 * What each route sends to D1 and why; `test/costs.test.ts` counts the same figures on every test run.
 * Columns: route, round trips the answer waits for, round trips after it (the request's security events,
 * stored by `waitUntil`), bcrypt operations, and why.
 */
export const ROUND_TRIPS: readonly (readonly string[])[] = [
	["GET /", "0", "0", "0", "Nothing to read."],
	[
		"POST /users",
		"2",
		"1 (0 for a taken email)",
		"1 hash",
		"One UPSERT counting the network's sign-ups (refused past the limit before any hashing); one INSERT, whose unique index on email rejects a taken one in the same statement. The sign-up event is stored after the answer.",
	],
	[
		"POST /sessions",
		"2 (1 when it fails)",
		"1 (0 for an unknown email)",
		"1 compare",
		"A batch reading the user and counting the attempt against the account and the client network (counted first, so concurrent attempts cannot slip past the limit); a success then inserts the session (ending the user's expired ones and the oldest beyond the cap), clears the account's count and takes the attempt back from the network's, in one batch. An unknown email is compared against a dummy hash.",
	],
	[
		"GET /profile",
		"1 (0 without a cookie)",
		"0",
		"0",
		"One SELECT of the session, by digest, joined to its user. A session last recorded as used more than a day ago adds one UPDATE to renew it: at most one write per session per day.",
	],
	[
		"GET /sessions",
		"2",
		"0",
		"0",
		"The session lookup (as for the profile), then one SELECT of the user's live sessions.",
	],
	[
		"DELETE /sessions",
		"1",
		"1 (0 without a live session)",
		"0",
		"One conditional DELETE that ends this session only if it is live.",
	],
	[
		"DELETE /sessions/{id}, ?scope=others",
		"2",
		"1",
		"0",
		"The session lookup, then one DELETE of the sessions named.",
	],
	[
		"DELETE /sessions?scope=global",
		"1",
		"1",
		"0",
		"One DELETE of every session of the user holding this one, if it is live.",
	],
	[
		"PUT /password",
		"3 (2 for a wrong password)",
		"1",
		"1 compare + 1 hash",
		"The session lookup; a batch reading the user and counting the attempt like a login; then one batch that stores the new hash, voids any reset token, ends the other sessions and clears the counters. Checking the current password and hashing the new one are two bcrypt operations by nature.",
	],
	[
		"DELETE /users/me",
		"3 (2 for a wrong password)",
		"0 (1 for a wrong password)",
		"1 compare",
		"The session lookup; a batch reading the user and counting the attempt; then one batch deleting the sessions, the user and its counter. The account's events go with it.",
	],
	[
		"POST /reset_password",
		"2 (1 for an unknown email)",
		"1 (0 for an unknown email)",
		"0",
		"A batch reading the user and counting the request; then an UPDATE storing the token digest.",
	],
	[
		"PUT /reset_password",
		"2 (1 for a bad token)",
		"1 (0 for a bad token)",
		"1 hash",
		"A lookup by token digest and email; then one batch, conditional on the token, that ends every session and stores the new hash, so two concurrent uses cannot both succeed. Looking first means a bad token costs no hash.",
	],
];
