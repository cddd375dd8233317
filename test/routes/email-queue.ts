/**
 * Helpers of the HTTP tests of `email` mode: spies on the email queue, the jobs it was sent with the
 * addresses masked (so a registered and an unknown address can be compared), and requests in that mode.
 *
 * @module
 */
import { env } from "cloudflare:workers";
import { expect, type MockInstance, vi } from "vitest";
import { call, emailModeEnv, uniqueIp } from "../helpers";

/** Spies on the test configuration's email queue; vitest's `restoreAllMocks` removes them. */
export function spyOnEmailQueue(): { send: MockInstance; sendBatch: MockInstance } {
	const queue = env.EMAIL_QUEUE;
	if (queue === undefined) {
		throw new Error("the test configuration has no EMAIL_QUEUE");
	}
	return { send: vi.spyOn(queue, "send"), sendBatch: vi.spyOn(queue, "sendBatch") };
}

/** A queued job with every address replaced by `<email>`, and without its time stamp. */
export function anonymous(job: unknown, addresses: readonly string[]): unknown {
	let text = JSON.stringify(job);
	for (const address of addresses) {
		text = text.replaceAll(address, "<email>");
	}
	const { at, ...rest } = JSON.parse(text) as { at: unknown };
	expect(at).toEqual(expect.any(Number));
	return rest;
}

/** The jobs a `send` spy has seen, made {@link anonymous}. */
export function jobsOf(send: MockInstance, addresses: readonly string[]): unknown[] {
	return send.mock.calls.map(([job]) => anonymous(job, addresses));
}

/** Sends a request in `email` mode, from its own client address. */
export function callEmail(method: string, path: string, form: Record<string, string>, sessionId?: string) {
	return call(method, path, { form, sessionId, env: emailModeEnv(), ip: uniqueIp() });
}
