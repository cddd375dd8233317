/**
 * Authentication use cases, built per request: the HTTP layer talks to {@link Auth} only, and {@link Db}
 * stays behind it. Each concern is a service of its own, sharing the request's context:
 * `auth.accounts` (sign-up, password change, deletion), `auth.sessions` (login and sessions per device)
 * and `auth.passwordResets`.
 *
 * @module
 */
import type { Config } from "../config";
import { Db } from "../db/db";
import { Accounts } from "./accounts";
import { type AuthContext, authContext, type RequestContext } from "./context";
import { Credentials } from "./credentials";
import { PasswordResets } from "./password-resets";
import { Sessions } from "./sessions";

export type { RequestContext } from "./context";
export type { NewSession, Session, SessionSummary } from "./sessions";

/** Registers users, checks credentials and manages their sessions, passwords and reset tokens. */
export class Auth {
	/** Sign-up, password change, deletion. */
	readonly accounts: Accounts;
	/** Login, and sessions per device. */
	readonly sessions: Sessions;
	/** Reset tokens for forgotten passwords. */
	readonly passwordResets: PasswordResets;
	/** The request's context; {@link SeedAuth} reads it too. */
	protected readonly context: AuthContext;
	/** The password checks the services share; {@link SeedAuth} uses them too. */
	protected readonly credentials: Credentials;

	/** Builds the services over a data-access object, the validated configuration and the request's facts. */
	constructor(db: Db, config: Config, request: RequestContext = {}) {
		this.context = authContext(db, config, request);
		this.credentials = new Credentials(this.context);
		this.accounts = new Accounts(this.context, this.credentials);
		this.sessions = new Sessions(this.context, this.credentials);
		this.passwordResets = new PasswordResets(this.context, this.credentials);
	}

	/** Builds the services for one request from the D1 binding, so callers never handle {@link Db}. */
	static fromD1(d1: D1Database, config: Config, request: RequestContext = {}): Auth {
		return new Auth(new Db(d1), config, request);
	}

	/** Tells whether the database answers a trivial query, for health checks; never throws. */
	async databaseIsReachable(): Promise<boolean> {
		try {
			await this.context.db.ping();
			return true;
		} catch {
			return false;
		}
	}

	/** Deletes spent throttle counters and expired sessions and returns how many; run on a schedule. */
	async purgeExpired(): Promise<{ counters: number; sessions: number }> {
		return this.context.db.purgeExpired(this.context.now());
	}
}
