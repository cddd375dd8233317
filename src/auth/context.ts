/**
 * What every part of {@link Auth} works with for one request: the data access, the configuration, the
 * facts of the request, and the clock.
 *
 * @module
 */
import type { Config } from "../config";
import type { Db } from "../db/db";
import { describeError, log } from "../log";
import type { Outbox } from "./email-jobs";
import { SecurityEvents } from "./security-events";

/** Facts about the request an `Auth` serves. */
export interface RequestContext {
	/** The client's IP address (`CF-Connecting-IP`), or `null` when unknown; used for throttling. */
	readonly clientIp?: string | null;
	/** The client's `User-Agent`, kept (truncated) with the sessions it starts. */
	readonly userAgent?: string | null;
	/** The value of the client's device cookie (see `device-cookie.ts`), if any. */
	readonly deviceCookie?: string | null;
	/** The request's id, for log lines. */
	readonly requestId?: string | null;
	/** The clock; tests replace it to reach expiry without waiting. */
	readonly now?: () => Date;
}

/** The shared state of the services of one `Auth`. */
export interface AuthContext {
	readonly db: Db;
	readonly config: Config;
	/** The email queue; `null` where there is none (`response` mode). */
	readonly outbox: Outbox | null;
	readonly clientIp: string | null;
	readonly userAgent: string | null;
	readonly deviceCookie: string | null;
	readonly now: () => Date;
	/** The request's security events. */
	readonly events: SecurityEvents;
	/** Work to do once the request is answered, so the answer neither waits for it nor shows it. */
	readonly afterAnswer: AfterAnswer;
	/**
	 * What the answer may carry. `uniform` is set by a use case whose answer must not depend on whether
	 * an address is registered (`email` mode's sign-up and requests for links): the HTTP layer then sends
	 * nothing that varies with the writes done, such as the D1 bookmark.
	 */
	readonly answer: { uniform: boolean };
}

/**
 * Work done after the answer (`waitUntil`): what the answer must not depend on, not even in its timing,
 * such as the verification link a refused login of an unverified account sends.
 */
export class AfterAnswer {
	readonly #tasks: (() => Promise<void>)[] = [];

	/** Adds a task. */
	add(task: () => Promise<void>): void {
		this.#tasks.push(task);
	}

	/** Whether there are tasks to run. */
	get pending(): boolean {
		return this.#tasks.length > 0;
	}

	/** Runs the tasks added so far, one after another; a failure is logged, never thrown. */
	async run(requestId: string | null): Promise<void> {
		for (const task of this.#tasks.splice(0)) {
			try {
				await task();
			} catch (error) {
				log("error", "work after the answer failed", { requestId, error: describeError(error) });
			}
		}
	}
}

/** Longest user agent kept with a session; enough to tell a browser and a device apart. */
const USER_AGENT_MAX_LENGTH = 256;

/** Builds the shared context from a request's facts, with defaults for what is unknown. */
export function authContext(
	db: Db,
	config: Config,
	outbox: Outbox | null,
	request: RequestContext,
): AuthContext {
	const facts = {
		requestId: request.requestId ?? null,
		clientIp: request.clientIp ?? null,
		userAgent: request.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
		now: request.now ?? (() => new Date()),
	};
	return {
		db,
		config,
		outbox,
		clientIp: facts.clientIp,
		userAgent: facts.userAgent,
		now: facts.now,
		deviceCookie: request.deviceCookie ?? null,
		events: new SecurityEvents(db, config, facts),
		afterAnswer: new AfterAnswer(),
		answer: { uniform: false },
	};
}

/** Returns the time `seconds` after now on the context's clock. */
export function secondsFromNow(context: AuthContext, seconds: number): Date {
	return new Date(context.now().getTime() + seconds * 1000);
}

/** How a token reached its owner: handed back to the caller (`response` mode), or queued for email. */
export type Handout = { readonly via: "response"; readonly token: string } | { readonly via: "email" };

/**
 * Returns the outbox, which `email` mode always has (the configuration refuses to start without it).
 *
 * @throws {Error} when there is none: a bug, since only `email` mode asks.
 */
export function outboxOf(context: AuthContext): Outbox {
	if (context.outbox === null) {
		throw new Error("email delivery needs the EMAIL_QUEUE binding");
	}
	return context.outbox;
}
