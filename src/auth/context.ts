/**
 * What every part of {@link Auth} works with for one request: the data access, the configuration, the
 * facts of the request, and the clock.
 *
 * @module
 */
import type { Config } from "../config";
import type { Db } from "../db/db";

/** Facts about the request an `Auth` serves. */
export interface RequestContext {
	/** The client's IP address (`CF-Connecting-IP`), or `null` when unknown; used for throttling. */
	readonly clientIp?: string | null;
	/** The client's `User-Agent`, kept (truncated) with the sessions it starts. */
	readonly userAgent?: string | null;
	/** The clock; tests replace it to reach expiry without waiting. */
	readonly now?: () => Date;
}

/** The shared state of the services of one `Auth`. */
export interface AuthContext {
	readonly db: Db;
	readonly config: Config;
	readonly clientIp: string | null;
	readonly userAgent: string | null;
	readonly now: () => Date;
}

/** Longest user agent kept with a session; enough to tell a browser and a device apart. */
const USER_AGENT_MAX_LENGTH = 256;

/** Builds the shared context from a request's facts, with defaults for what is unknown. */
export function authContext(db: Db, config: Config, request: RequestContext): AuthContext {
	return {
		db,
		config,
		clientIp: request.clientIp ?? null,
		userAgent: request.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
		now: request.now ?? (() => new Date()),
	};
}

/** Returns the time `seconds` after now on the context's clock. */
export function secondsFromNow(context: AuthContext, seconds: number): Date {
	return new Date(context.now().getTime() + seconds * 1000);
}
