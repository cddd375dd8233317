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

/**
 * The quota an email counts against: `asked` for mail its recipient may have asked for, or the kind of
 * an unasked notice, each counted on its own.
 */
export type MailQuota = "asked" | "address-taken" | "address-in-use";

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
	 * Counts one email to `address` against its quota and tells whether it may go out, so no route can be
	 * used to flood a mailbox (or the sender's reputation) however it is asked. Mail the owner may have
	 * asked for (links, notices of changes to the account) shares `MAIL_MAX_PER_ADDRESS` per window; a
	 * notice the owner did not ask for (someone signed up with the address, or tried to move another
	 * account to it) has a quota of its own per kind, `NOTICE_MAX_PER_ADDRESS` per window, so strangers
	 * who cause those cannot starve the mail the owner asks for.
	 */
	async allowMailTo(address: string, quota: MailQuota): Promise<boolean> {
		const { config, db } = this.#context;
		const now = this.#context.now();
		const ref = await keysOf(config).accountRef(address);
		const rule =
			quota === "asked"
				? { key: `mail:to:${ref}`, limit: config.mailLimit }
				: { key: `mail:${quota}:${ref}`, limit: config.noticeLimit };
		const [counter] = await db.throttle.count(incrementOf(rule, now));
		return waitFor(rule, counter, now) === null;
	}

	/** Gives up the claim on a message whose email could not be sent. */
	async release(messageId: string): Promise<void> {
		await this.#context.db.email.releaseDelivery(messageId);
	}
}
