/**
 * When a session expires and when it is renewed: a sliding expiry (each renewal pushes it a full TTL
 * ahead), capped by an absolute lifetime from the login (OWASP ASVS 7.3.2), and renewals at most once per
 * interval, so a busy session costs a write a day, not one per request.
 *
 * @module
 */

/** The two lifetimes of a session, in seconds. */
export interface SessionLifetimes {
	/** How long a session lasts without being used. */
	readonly ttlSeconds: number;
	/** How long a session lasts after the login, however much it is used. */
	readonly maxLifetimeSeconds: number;
}

/** Longest time between two renewals of a session that is in use. */
const RENEWAL_INTERVAL_MS = 24 * 3600 * 1000;

/** Returns when a session created at `createdAt` and used at `usedAt` expires. */
export function expiryOf(createdAt: Date, usedAt: Date, lifetimes: SessionLifetimes): Date {
	return new Date(
		Math.min(
			usedAt.getTime() + lifetimes.ttlSeconds * 1000,
			createdAt.getTime() + lifetimes.maxLifetimeSeconds * 1000,
		),
	);
}

/**
 * Tells whether a session last recorded as used at `lastUsedAt` is due for renewal at `now`: once a day,
 * or once half its TTL has passed when the TTL is shorter than two days.
 */
export function isRenewalDue(lastUsedAt: Date, now: Date, lifetimes: SessionLifetimes): boolean {
	const interval = Math.min(RENEWAL_INTERVAL_MS, (lifetimes.ttlSeconds * 1000) / 2);
	return now.getTime() - lastUsedAt.getTime() >= interval;
}
