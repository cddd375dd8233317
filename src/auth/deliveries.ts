/**
 * Claims on queue messages, so a message the queue delivers twice, even concurrently, is handled once:
 * a consumer claims a message before issuing its token and sending, marks it sent afterwards, and gives
 * the claim up when sending failed, for the retry. A consumer that dies holding a claim loses it after
 * {@link CLAIM_STALE_MS}. And the count of emails per recipient.
 *
 * @module
 */
import type { Claim } from "../db/email-store";
import type { AuthContext } from "./context";
import { keysOf } from "./keys";
import { incrementOf, waitFor } from "./throttle";

/** How long a claim holds without its email being sent: well past any handling time. */
const CLAIM_STALE_MS = 5 * 60 * 1000;

/** Claims, completes and gives up queue messages by the queue's message id. */
export class Deliveries {
	readonly #context: AuthContext;

	/** Builds the service over the request's context. */
	constructor(context: AuthContext) {
		this.#context = context;
	}

	/** Claims a message: `claimed` to go ahead, `sent` when done already, `busy` when another consumer has it. */
	async claim(messageId: string): Promise<Claim> {
		return this.#context.db.email.claimDelivery(messageId, this.#context.now(), CLAIM_STALE_MS);
	}

	/** Records that the claimed message's email went out. */
	async markSent(messageId: string): Promise<void> {
		await this.#context.db.email.markDelivered(messageId, this.#context.now());
	}

	/**
	 * Counts one email to `address` and tells whether it may go out: at most `MAIL_MAX_PER_ADDRESS` per
	 * window, so no route can be used to flood a mailbox (or the sender's reputation) however it is asked.
	 */
	async allowMailTo(address: string): Promise<boolean> {
		const { config, db } = this.#context;
		const now = this.#context.now();
		const rule = { key: `mail:to:${await keysOf(config).accountRef(address)}`, limit: config.mailLimit };
		const [counter] = await db.throttle.count(incrementOf(rule, now));
		return waitFor(rule, counter, now) === null;
	}

	/** Gives up the claim on a message whose email could not be sent. */
	async release(messageId: string): Promise<void> {
		await this.#context.db.email.releaseDelivery(messageId);
	}
}
