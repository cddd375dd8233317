/**
 * Helpers of the email tests: running message bodies through the consumer with the plugin's queue
 * helpers, jobs stamped now, and users with a pending change of address.
 *
 * @module
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import type { EmailJob, NewEmailJob } from "../../src/auth/email-jobs";
import { deliverEmails } from "../../src/queue/consumer";
import {
	emailModeEnv,
	logInViaApi,
	recordingMailer,
	registerViaApi,
	storedSessions,
	storedUser,
	testDb,
	uniqueEmail,
} from "../helpers";

/** The public URL emailed links start with in the test configuration. */
export const BASE = "https://auth.acme.dev";

/** A job as the queue holds it, stamped `agoMs` milliseconds ago (now by default). */
export function job(body: NewEmailJob, agoMs = 0): EmailJob {
	return { ...body, at: Date.now() - agoMs } as EmailJob;
}

/** Runs one batch of message bodies through the consumer in `email` mode, over a recording mailer. */
export async function consume(
	bodies: unknown[],
	mailer = recordingMailer(),
	messages: { id?: string; attempts?: number }[] = [],
) {
	const batch = createMessageBatch<unknown>(
		"auth-email-test",
		bodies.map((body, i) => ({
			id: messages[i]?.id ?? crypto.randomUUID(),
			timestamp: new Date(),
			attempts: messages[i]?.attempts ?? 1,
			body,
		})),
	);
	const ctx = createExecutionContext();
	await deliverEmails(batch, emailModeEnv(), mailer);
	return { mailer, result: await getQueueResult(batch, ctx), batch };
}

/** A registered user (through the API, in `response` mode so no job is queued). */
export async function registered(password = "a password"): Promise<string> {
	const email = uniqueEmail();
	await registerViaApi(email, password);
	return email;
}

/**
 * A registered, logged-in user with a pending change of address to `newEmail`, asked from that session,
 * as `PUT /users/me/email` records it.
 */
export async function withPendingChange(newEmail = uniqueEmail("new")) {
	const email = await registered();
	const sessionId = await logInViaApi(email, "a password");
	const user = await storedUser(email);
	const [session] = await storedSessions(email);
	const changeId = crypto.randomUUID();
	await testDb().email.startChange({
		id: changeId,
		userId: user?.id ?? 0,
		sessionId: session?.id ?? "",
		newEmail,
		createdAt: new Date(),
	});
	return { email, newEmail, sessionId, changeId, userId: user?.id ?? 0 };
}
