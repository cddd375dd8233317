/**
 * Which queued emails have gone out, so a message the queue delivers twice (Queues deliver at least once)
 * sends its email once.
 *
 * @module
 */
import type { AuthContext } from "./context";

/** Remembers sent messages by the queue's message id. */
export class Deliveries {
	readonly #context: AuthContext;

	/** Builds the service over the request's context. */
	constructor(context: AuthContext) {
		this.#context = context;
	}

	/** Tells whether the email of this queue message has gone out already. */
	async wereSent(messageId: string): Promise<boolean> {
		return this.#context.db.email.wasDelivered(messageId);
	}

	/** Records that the email of this queue message went out now. */
	async recordSent(messageId: string): Promise<void> {
		await this.#context.db.email.recordDelivery(messageId, this.#context.now());
	}
}
