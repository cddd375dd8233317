/**
 * The email queue's consumer: takes each job off the queue, issues the token it needs, renders the
 * message and sends it with the `send_email` binding. A message whose email cannot go out now is retried
 * with exponential backoff, and after the queue's `max_retries` lands in the dead-letter queue; none is
 * dropped silently. A message delivered twice sends once. Log lines name the job and the recipient's
 * domain, never a token or an address.
 *
 * @module
 */
import * as v from "valibot";
import { Auth } from "../auth/auth";
import { type Config, loadConfig } from "../config";
import { describeError, domainOf, log } from "../log";
import { type EmailJob, EmailJobSchema } from "./jobs";
import {
	addressInUseEmail,
	addressTakenEmail,
	changeEmailConfirmation,
	changeEmailNotice,
	type EmailContent,
	passwordResetEmail,
	verificationEmail,
} from "./templates";

/** What sends mail: the `send_email` binding, or a recorder in tests. */
export type Mailer = Pick<SendEmail, "send">;

/** First retry delay; each further attempt doubles it, up to {@link MAX_RETRY_DELAY_SECONDS}. */
const FIRST_RETRY_DELAY_SECONDS = 30;
const MAX_RETRY_DELAY_SECONDS = 15 * 60;

/** Returns the delay before the next attempt of a message that has failed `attempts` times, with jitter. */
export function retryDelaySeconds(attempts: number): number {
	const base = Math.min(FIRST_RETRY_DELAY_SECONDS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_SECONDS);
	// Up to a fifth more, so messages that failed together do not all come back at once.
	return Math.round(base * (1 + Math.random() / 5));
}

/** Builds the links of emails from the service's public URL. */
function linkTo(config: Config, path: string, query: Record<string, string> = {}): string {
	const url = new URL(`${config.publicBaseUrl ?? ""}${path}`);
	for (const [name, value] of Object.entries(query)) {
		url.searchParams.set(name, value);
	}
	return url.href;
}

/** Returns the emails a job calls for (none when there is nobody to send to), issuing their tokens. */
async function emailsFor(job: EmailJob, auth: Auth, config: Config, now: Date): Promise<EmailContent[]> {
	switch (job.kind) {
		case "password-reset": {
			const issued = await auth.passwordResets.issueByEmail(job.email);
			if (issued === null) {
				return [];
			}
			const link = linkTo(config, "/reset-password", { email: issued.user.email, token: issued.token });
			return [passwordResetEmail(issued.user.email, link, issued.expiresAt, now)];
		}
		case "verify-email": {
			const issued = await auth.emailVerification.issueByEmail(job.email);
			if (issued === null) {
				return [];
			}
			const link = linkTo(config, "/verify-email", { token: issued.token });
			return [verificationEmail(issued.user.email, link, issued.expiresAt, now)];
		}
		case "address-taken":
			return [addressTakenEmail(job.email, linkTo(config, "/login"), linkTo(config, "/forgot-password"))];
		case "change-email": {
			const change = await auth.emailChanges.issueForChange(job.userId, job.newEmail);
			if (change === null) {
				return [];
			}
			if (change.kind === "taken") {
				return [addressInUseEmail(change.newEmail)];
			}
			const link = linkTo(config, "/confirm-email", { token: change.token });
			return [changeEmailConfirmation(change.newEmail, link, change.expiresAt, now)];
		}
		case "change-email-notice": {
			const current = await auth.emailChanges.currentAddressOf(job.userId);
			return current === null || current === job.newEmail ? [] : [changeEmailNotice(current, job.newEmail)];
		}
	}
}

/** Sends the email of one queue message, or settles why there is none; throws when it should be retried. */
async function deliver(message: Message<unknown>, auth: Auth, mailer: Mailer, config: Config): Promise<void> {
	const parsed = v.safeParse(EmailJobSchema, message.body);
	if (!parsed.success) {
		// A body no version of the producer writes: retrying cannot help, so it is logged loudly and dropped.
		log("error", "email job malformed", { messageId: message.id, issue: parsed.issues[0]?.message });
		return;
	}
	const job = parsed.output;
	if (await auth.deliveries.wereSent(message.id)) {
		log("info", "email already sent", { kind: job.kind, messageId: message.id });
		return;
	}
	const emails = await emailsFor(job, auth, config, new Date());
	for (const email of emails) {
		await mailer.send({ from: config.emailFrom ?? "", ...email });
	}
	await auth.deliveries.recordSent(message.id);
	log("info", emails.length === 0 ? "email not needed" : "email sent", {
		kind: job.kind,
		messageId: message.id,
		attempt: message.attempts,
		toDomain: emails.map((email) => domainOf(email.to)),
	});
}

/**
 * Handles a batch of the email queue: each message is acknowledged once its email is sent (or found not
 * needed), or retried later on its own when sending fails.
 */
export async function deliverEmails(
	batch: MessageBatch<unknown>,
	env: Env,
	mailer: Mailer | undefined = env.EMAIL,
): Promise<void> {
	const config = loadConfig(env);
	const auth = Auth.fromEnv(env);
	for (const message of batch.messages) {
		try {
			if (mailer === undefined) {
				throw new Error("the send_email binding EMAIL is missing");
			}
			await deliver(message, auth, mailer, config);
			message.ack();
		} catch (error) {
			const delaySeconds = retryDelaySeconds(message.attempts);
			log("error", "email delivery failed", {
				messageId: message.id,
				attempt: message.attempts,
				retryInSeconds: delaySeconds,
				error: describeError(error),
			});
			message.retry({ delaySeconds });
		}
	}
}
