/**
 * Security events: one structured log line for each thing that matters to an account's security (a
 * sign-up, a login and a failed one, a throttled or locked attempt, a device remembered, a reset asked
 * for and done, a verification, a password or address change, a session ended, an account deleted),
 * and, when the account is known, a row in `security_events` that its owner sees as recent activity.
 * Neither holds a secret or an address: the account appears as its keyed reference, the client as its
 * network (/24 or /64). Rows are written after the answer, in one statement per request. What anyone can
 * cause (a wrong password, a throttled or locked attempt, a reset or verification asked for) is counted
 * per kind and hour instead of kept one by one ({@link isCounted}), so strangers cannot push the owner's
 * own events out of the recent activity.
 *
 * @module
 */
import type { Config } from "../config";
import type { Db, NewSecurityEvent } from "../db/db";
import type { EventOutcome } from "../db/schema";
import { log } from "../log";
import { keysOf } from "./keys";
import { reportedNetwork } from "./network";

/** Every event name, as logged and stored. */
export type SecurityEventName =
	| "signup"
	| "login"
	| "throttled"
	| "locked"
	| "device.remembered"
	| "reset.requested"
	| "reset.completed"
	| "verification.requested"
	| "email.verified"
	| "password.changed"
	| "email_change.requested"
	| "email_change.cancelled"
	| "email.changed"
	| "session.ended"
	| "session.revoked"
	| "sessions.ended_others"
	| "sessions.ended_all"
	| "account.deleted";

/** One event: what happened, how it ended, to which account (by email and/or id), and any detail. */
export interface SecurityEvent {
	readonly name: SecurityEventName;
	readonly outcome: EventOutcome;
	/** The (normalised) email the attempt named, logged as its keyed reference. */
	readonly email?: string | null;
	/** The account's id, when it exists: the event is then kept for it. */
	readonly userId?: number | null;
	/** What limit refused it (`ip`, `account`, `device`), and the like; never a value from the request. */
	readonly detail?: string;
}

/** The events that anyone may cause, with or without the password, when they succeed. */
const COUNTED_SUCCESSES: ReadonlySet<SecurityEventName> = new Set([
	"reset.requested",
	"verification.requested",
]);

/** How long one counted row of an account gathers its kind of event. */
const COUNT_WINDOW_MS = 3600 * 1000;

/**
 * Tells whether an event is counted per window rather than kept on its own: every failure and refusal,
 * and the successes a stranger can cause ({@link COUNTED_SUCCESSES}).
 */
export function isCounted(event: Pick<SecurityEvent, "name" | "outcome">): boolean {
	return event.outcome !== "success" || COUNTED_SUCCESSES.has(event.name);
}

/** The facts of the request events are recorded for. */
export interface EventFacts {
	readonly requestId: string | null;
	readonly clientIp: string | null;
	readonly userAgent: string | null;
	readonly now: () => Date;
}

/** Records the security events of one request. */
export class SecurityEvents {
	readonly #db: Db;
	readonly #config: Config;
	readonly #facts: EventFacts;
	readonly #pending: NewSecurityEvent[] = [];

	/** Builds the recorder for one request. */
	constructor(db: Db, config: Config, facts: EventFacts) {
		this.#db = db;
		this.#config = config;
		this.#facts = facts;
	}

	/** Logs `event` now, and keeps it for its account (written by {@link flush}) when the account is known. */
	async record(event: SecurityEvent): Promise<void> {
		const network = this.#facts.clientIp === null ? null : reportedNetwork(this.#facts.clientIp);
		const account = event.email ? await keysOf(this.#config).accountRef(event.email) : null;
		log("info", "security event", {
			requestId: this.#facts.requestId,
			event: event.name,
			outcome: event.outcome,
			account,
			network,
			...(event.detail === undefined ? {} : { detail: event.detail }),
		});
		if (event.userId != null) {
			const createdAt = this.#facts.now();
			const at = createdAt.getTime();
			this.#pending.push({
				userId: event.userId,
				event: event.name,
				outcome: event.outcome,
				network,
				userAgent: this.#facts.userAgent,
				createdAt,
				count: 1,
				windowStart: isCounted(event) ? new Date(at - (at % COUNT_WINDOW_MS)) : null,
				detail: event.detail ?? null,
			});
		}
	}

	/** Whether events are kept that {@link flush} has yet to write. */
	get pending(): boolean {
		return this.#pending.length > 0;
	}

	/** Writes the events kept so far, in one statement; run after the answer. Never throws. */
	async flush(): Promise<void> {
		const events = this.#pending.splice(0);
		try {
			await this.#db.events.record(events);
		} catch (error) {
			log("error", "security events not stored", {
				requestId: this.#facts.requestId,
				count: events.length,
				error: String(error instanceof Error ? error.name : error),
			});
		}
	}
}
