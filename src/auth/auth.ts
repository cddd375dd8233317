/**
 * Authentication use cases, built per request: the HTTP layer talks to {@link Auth} only, and {@link Db}
 * stays behind it. Each concern is a service of its own, sharing the request's context:
 * `auth.accounts` (sign-up, password change, deletion), `auth.sessions` (login and sessions per device),
 * `auth.passwordResets`, `auth.emailVerification` and `auth.emailChanges`. What they share is built once
 * here: the throttle (`throttle.ts`), the credential checks (`credentials.ts`) and the token hand-out
 * (`token-handout.ts`), the one place that knows how tokens reach their owner.
 *
 * @module
 */
import { type Config, loadConfig } from "../config";
import { Connection, type D1Client } from "../db/connection";
import { Db, type Purged } from "../db/db";
import { Accounts } from "./accounts";
import { type AuthContext, authContext, type RequestContext } from "./context";
import { Credentials } from "./credentials";
import { Deliveries } from "./deliveries";
import { EmailChanges } from "./email-changes";
import { Outbox } from "./email-jobs";
import { EmailVerification } from "./email-verification";
import { PasswordResets } from "./password-resets";
import { Sessions } from "./sessions";
import { Throttle } from "./throttle";
import { type TokenHandout, tokenHandout } from "./token-handout";

export type { Handout, RequestContext } from "./context";
export type { NewSession, Session, SessionSummary } from "./sessions";

/** Registers users, checks credentials and manages their sessions, passwords and reset tokens. */
export class Auth {
	/** Sign-up, password change, deletion. */
	readonly accounts: Accounts;
	/** Login, and sessions per device. */
	readonly sessions: Sessions;
	/** Reset tokens for forgotten passwords. */
	readonly passwordResets: PasswordResets;
	/** Proof that the owner controls the account's address. */
	readonly emailVerification: EmailVerification;
	/** Moving the account to another address. */
	readonly emailChanges: EmailChanges;
	/** Which queued emails have gone out. */
	readonly deliveries: Deliveries;
	/** How tokens reach their owner, chosen once from `TOKEN_DELIVERY`. */
	readonly handout: TokenHandout;
	/** The request's context; {@link SeedAuth} reads it too. */
	protected readonly context: AuthContext;
	/** The throttle the services share; {@link SeedAuth} uses it too. */
	protected readonly throttle: Throttle;
	/** The credential checks the services share; {@link SeedAuth} uses them too. */
	protected readonly credentials: Credentials;

	/**
	 * Builds the services over a data-access object, the validated configuration, the request's facts and
	 * the email queue, if there is one.
	 */
	constructor(db: Db, config: Config, request: RequestContext = {}, outbox: Outbox | null = null) {
		const context = authContext(db, config, outbox, request);
		const throttle = new Throttle(context);
		const credentials = new Credentials(context, throttle);
		const handout = tokenHandout(context);
		this.context = context;
		this.throttle = throttle;
		this.credentials = credentials;
		this.handout = handout;
		this.sessions = new Sessions(context, throttle, credentials, handout);
		this.accounts = new Accounts(context, throttle, credentials, handout, this.sessions);
		this.passwordResets = new PasswordResets(context, throttle, handout);
		this.emailVerification = new EmailVerification(context, throttle, handout);
		this.emailChanges = new EmailChanges(context, throttle, credentials, handout);
		this.deliveries = new Deliveries(context);
	}

	/**
	 * Builds the services for one request (or queue batch) from the Worker's bindings and validated
	 * configuration, so callers never handle {@link Db}. Queries go through `database`: by default a
	 * {@link Connection} to the primary; the app passes the request's own (see `src/http/d1-bookmark.ts`)
	 * and the configuration it already read.
	 */
	static fromEnv(
		env: Env,
		request: RequestContext = {},
		database: D1Client = new Connection(env.DB, () => "first-primary"),
		config: Config = loadConfig(env),
	): Auth {
		const queue = env.EMAIL_QUEUE;
		return new Auth(new Db(database), config, request, queue === undefined ? null : new Outbox(queue));
	}

	/**
	 * Whether the answer must not depend on whether an address is registered (see `AuthContext.answer`),
	 * so carries nothing that varies with the writes the request did.
	 */
	get answerIsUniform(): boolean {
		return this.context.answer.uniform;
	}

	/** Whether this request left work for after its answer: security events to store, or a task. */
	get hasWorkAfterAnswer(): boolean {
		return this.context.afterAnswer.pending || this.context.events.pending;
	}

	/**
	 * Does the work left for after the answer: the tasks, then writing the security events recorded for
	 * known accounts (the tasks' own among them); never throws.
	 */
	async finish(requestId: string | null = null): Promise<void> {
		await this.context.afterAnswer.run(requestId);
		await this.context.events.flush();
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

	/** Deletes what has expired (counters, sessions, email tokens, old deliveries); run on a schedule. */
	async purgeExpired(): Promise<Purged> {
		return this.context.db.purgeExpired(this.sessions.liveAt());
	}
}
