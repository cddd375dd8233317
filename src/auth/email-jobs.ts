/**
 * The jobs the request path hands to the email queue, and the producer side of it. A job names what to
 * send and to whom; it never carries a token or a password: the consumer issues the token when it sends,
 * so none waits in a queue, and it decides whether there is anyone to send to.
 *
 * @module
 */
import * as v from "valibot";

/** When the job was queued, in milliseconds since the epoch: the consumer drops jobs too old to honour. */
const at = v.number();

/** Every job the consumer knows, validated when it is taken off the queue. */
export const EmailJobSchema = v.variant("kind", [
	/** A password reset was asked for this address; the consumer sends a link if it is registered. */
	v.object({ kind: v.literal("password-reset"), email: v.string(), at }),
	/** The owner of this address should prove it theirs (after sign-up, or on request). */
	v.object({ kind: v.literal("verify-email"), email: v.string(), at }),
	/** Someone tried to sign up with this registered address; its owner is told. */
	v.object({ kind: v.literal("address-taken"), email: v.string(), at }),
	/** A change of address was asked for (see `pending_email_changes`): a link goes to the new address. */
	v.object({ kind: v.literal("change-email"), changeId: v.string(), at }),
	/** The same request, told to the address the account had when it was asked. */
	v.object({ kind: v.literal("change-email-notice"), to: v.string(), newEmail: v.string(), at }),
	/** The change was confirmed: the old address is told the account has left it. */
	v.object({ kind: v.literal("email-changed"), to: v.string(), newEmail: v.string(), at }),
]);

/** A job for the email queue. */
export type EmailJob = v.InferOutput<typeof EmailJobSchema>;

/** A job as the request path writes it; the outbox stamps the time. */
export type NewEmailJob = EmailJob extends infer Job
	? Job extends EmailJob
		? Omit<Job, "at">
		: never
	: never;

/** Hands jobs to the email queue (the producer binding `EMAIL_QUEUE`). */
export class Outbox {
	readonly #queue: Queue;

	/** Builds the outbox over the queue's producer binding. */
	constructor(queue: Queue) {
		this.#queue = queue;
	}

	/** Enqueues `job`, stamped with the time; resolves once the queue has accepted it. */
	async send(job: NewEmailJob): Promise<void> {
		await this.#queue.send({ ...job, at: Date.now() }, { contentType: "json" });
	}

	/** Enqueues several jobs in one call; each is delivered (and retried) on its own. */
	async sendAll(jobs: readonly NewEmailJob[]): Promise<void> {
		const at = Date.now();
		await this.#queue.sendBatch(jobs.map((job) => ({ body: { ...job, at }, contentType: "json" as const })));
	}
}
