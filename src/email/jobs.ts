/**
 * The jobs the request path hands to the email queue, and the producer side of it. A job names what to
 * send and to whom; it never carries a token or a password: the consumer issues the token when it sends,
 * so none waits in a queue, and it decides whether there is anyone to send to.
 *
 * @module
 */
import * as v from "valibot";

/** Every job the consumer knows, validated when it is taken off the queue. */
export const EmailJobSchema = v.variant("kind", [
	/** A password reset was asked for this address; the consumer sends a link if it is registered. */
	v.object({ kind: v.literal("password-reset"), email: v.string() }),
	/** The owner of this address should prove it theirs (after sign-up, or on request). */
	v.object({ kind: v.literal("verify-email"), email: v.string() }),
	/** Someone tried to sign up with this registered address; its owner is told. */
	v.object({ kind: v.literal("address-taken"), email: v.string() }),
	/** The user asked to move their account to `newEmail`: a confirmation link goes there if it is free. */
	v.object({ kind: v.literal("change-email"), userId: v.number(), newEmail: v.string() }),
	/** The same request, told to the account's current address. */
	v.object({ kind: v.literal("change-email-notice"), userId: v.number(), newEmail: v.string() }),
]);

/** A job for the email queue. */
export type EmailJob = v.InferOutput<typeof EmailJobSchema>;

/** Hands jobs to the email queue (the producer binding `EMAIL_QUEUE`). */
export class Outbox {
	readonly #queue: Queue;

	/** Builds the outbox over the queue's producer binding. */
	constructor(queue: Queue) {
		this.#queue = queue;
	}

	/** Enqueues `job`; resolves once the queue has accepted it. */
	async send(job: EmailJob): Promise<void> {
		await this.#queue.send(job, { contentType: "json" });
	}

	/** Enqueues several jobs in one call; each is delivered (and retried) on its own. */
	async sendAll(jobs: readonly EmailJob[]): Promise<void> {
		await this.#queue.sendBatch(jobs.map((body) => ({ body, contentType: "json" as const })));
	}
}
