/**
 * The email queue's consumer: takes each job off the queue, issues the token it needs, renders the
 * message and sends it with the `send_email` binding. A message is claimed before any of that, so one the
 * queue delivers twice, even at once, is handled once; a job too old to honour (its link would outlive
 * what was asked) is dropped; no address gets more than `MAIL_MAX_PER_ADDRESS` emails a window, nor more
 * than `NOTICE_MAX_PER_ADDRESS` notices of one kind it did not ask for, and a suppressed email issues no
 * token. A
 * message whose email cannot go out now is retried with exponential backoff, and after the queue's
 * `max_retries` lands in the dead-letter queue, whose consumer logs it as an error. Log lines name the
 * job and the recipient's domain, never a token or an address.
 *
 * @module
 */
import * as v from "valibot";
import { Auth } from "../auth/auth";
import type { MailQuota } from "../auth/deliveries";
import { type EmailJob, EmailJobSchema } from "../auth/email-jobs";
import { type Config, loadConfig } from "../config";
import { describeError, domainOf, log } from "../log";
import {
	addressInUseEmail,
	addressTakenEmail,
	changeEmailConfirmation,
	changeEmailNotice,
	type EmailContent,
	emailChangedNotice,
	passwordResetEmail,
	verificationEmail,
} from "./templates";

/** What sends mail: the `send_email` binding, or a recorder in tests. */
export type Mailer = Pick<SendEmail, "send">;

/** First retry delay; each further attempt doubles it, up to {@link MAX_RETRY_DELAY_SECONDS}. */
const FIRST_RETRY_DELAY_SECONDS = 30;
const MAX_RETRY_DELAY_SECONDS = 15 * 60;

/** How long a notice (no link in it) stays worth sending. */
const NOTICE_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** Returns the delay before the next attempt of a message that has failed `attempts` times, with jitter. */
export function retryDelaySeconds(attempts: number): number {
	const base = Math.min(FIRST_RETRY_DELAY_SECONDS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_SECONDS);
	// Up to a fifth more, so messages that failed together do not all come back at once.
	return Math.round(base * (1 + Math.random() / 5));
}

/** How old a job may be when it is handled: a link sent later than that would outlive the request. */
function maxAgeSeconds(job: EmailJob, config: Config): number {
	switch (job.kind) {
		case "password-reset":
			return config.resetTokenTtlSeconds;
		case "verify-email":
		case "change-email":
			return config.verificationTokenTtlSeconds;
		default:
			return NOTICE_MAX_AGE_SECONDS;
	}
}

/** Builds the links of emails from the service's public URL. */
function linkTo(config: Config, path: string, query: Record<string, string> = {}): string {
	const url = new URL(`${config.publicBaseUrl ?? ""}${path}`);
	for (const [name, value] of Object.entries(query)) {
		url.searchParams.set(name, value);
	}
	return url.href;
}

/**
 * An email a job calls for: to whom, which quota it counts against, and how to write it. Writing it
 * issues its token, if it carries one, so nothing is issued (or replaced) for an email that is not sent.
 */
interface PlannedEmail {
	readonly to: string;
	readonly quota: MailQuota;
	write(): Promise<EmailContent>;
}

/** Returns the email a job calls for, or `null` when there is nobody to send to; issues nothing yet. */
async function plan(job: EmailJob, auth: Auth, config: Config, now: Date): Promise<PlannedEmail | null> {
	switch (job.kind) {
		case "password-reset": {
			const user = await auth.passwordResets.recipient(job.email);
			return (
				user && {
					to: user.email,
					quota: "asked",
					async write() {
						const issued = await auth.passwordResets.issueForEmail(user);
						const link = linkTo(config, "/reset-password", { email: user.email, token: issued.token });
						return passwordResetEmail(config, user.email, link, issued.expiresAt, now);
					},
				}
			);
		}
		case "verify-email": {
			const user = await auth.emailVerification.recipient(job.email);
			return (
				user && {
					to: user.email,
					quota: "asked",
					async write() {
						const issued = await auth.emailVerification.issueForEmail(user);
						const link = linkTo(config, "/verify-email", { token: issued.token });
						return verificationEmail(config, user.email, link, issued.expiresAt, now);
					},
				}
			);
		}
		case "address-taken":
			return {
				to: job.email,
				quota: "address-taken",
				write: async () =>
					addressTakenEmail(config, job.email, linkTo(config, "/login"), linkTo(config, "/forgot-password")),
			};
		case "change-email": {
			const change = await auth.emailChanges.toSend(job.changeId);
			if (change === null) {
				return null;
			}
			if (change.kind === "taken") {
				return {
					to: change.newEmail,
					quota: "address-in-use",
					write: async () => addressInUseEmail(config, change.newEmail),
				};
			}
			return {
				to: change.newEmail,
				quota: "asked",
				async write() {
					const issued = await auth.emailChanges.issueForEmail(change);
					const link = linkTo(config, "/confirm-email", { token: issued.token });
					return changeEmailConfirmation(config, change.newEmail, link, issued.expiresAt, now);
				},
			};
		}
		case "change-email-notice":
			return {
				to: job.to,
				quota: "asked",
				write: async () => changeEmailNotice(config, job.to, job.newEmail),
			};
		case "email-changed":
			return {
				to: job.to,
				quota: "asked",
				write: async () => emailChangedNotice(config, job.to, job.newEmail),
			};
	}
}

/** What became of one message: acknowledge it, or retry it later. */
type Outcome = "ack" | "retry";

/** Handles one message; throws when it should be retried. */
async function deliver(
	message: Message<unknown>,
	auth: Auth,
	mailer: Mailer,
	config: Config,
): Promise<Outcome> {
	const parsed = v.safeParse(EmailJobSchema, message.body);
	if (!parsed.success) {
		// A body no version of the producer writes: retrying cannot help, so it is logged loudly and dropped.
		log("error", "email job malformed", { messageId: message.id, issue: parsed.issues[0]?.message });
		return "ack";
	}
	const job = parsed.output;
	const facts = { kind: job.kind, messageId: message.id, attempt: message.attempts };
	const now = new Date();
	if (now.getTime() - job.at > maxAgeSeconds(job, config) * 1000) {
		log("error", "email job too old, dropped", {
			...facts,
			ageSeconds: Math.round((now.getTime() - job.at) / 1000),
		});
		return "ack";
	}
	const claim = await auth.deliveries.claim(message.id);
	if (claim !== "claimed") {
		// `sent`: done by an earlier delivery. `busy`: another consumer has it now; come back later.
		log("info", claim === "sent" ? "email already sent" : "email being sent elsewhere", facts);
		return claim === "sent" ? "ack" : "retry";
	}
	try {
		const planned = await plan(job, auth, config, now);
		if (planned === null) {
			log("info", "email not needed", facts);
		} else if (!(await auth.deliveries.allowMailTo(planned.to, planned.quota))) {
			// Checked before writing the email: a suppressed link issues no token, so the last one sent works.
			log("error", "email suppressed: too many to one address", {
				...facts,
				quota: planned.quota,
				toDomain: domainOf(planned.to),
			});
		} else {
			const email = await planned.write();
			await mailer.send({ from: config.emailFrom ?? "", ...email });
			log("info", "email sent", { ...facts, toDomain: domainOf(email.to) });
		}
		await auth.deliveries.markSent(message.id);
		return "ack";
	} catch (error) {
		await auth.deliveries.release(message.id);
		throw error;
	}
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
		const delaySeconds = retryDelaySeconds(message.attempts);
		try {
			if (mailer === undefined) {
				throw new Error("the send_email binding EMAIL is missing");
			}
			if ((await deliver(message, auth, mailer, config)) === "ack") {
				message.ack();
			} else {
				message.retry({ delaySeconds });
			}
		} catch (error) {
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

/**
 * Handles a batch of the dead-letter queue: the messages whose email could not be sent after every retry.
 * Each is logged as an error (the kind of message, the recipient's domain where the job names it) for an
 * operator to see, and acknowledged.
 */
export function reportUndeliverable(batch: MessageBatch<unknown>): void {
	for (const message of batch.messages) {
		const parsed = v.safeParse(EmailJobSchema, message.body);
		const job = parsed.success ? parsed.output : null;
		const to = job === null ? null : "email" in job ? job.email : "to" in job ? job.to : null;
		log("error", "email undeliverable", {
			messageId: message.id,
			kind: job?.kind ?? "malformed",
			toDomain: to === null ? null : domainOf(to),
			queuedAt: job === null ? null : new Date(job.at).toISOString(),
		});
		message.ack();
	}
}
