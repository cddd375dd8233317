/**
 * Structured logs: every line the service writes is one JSON object with a level and a message, and
 * none holds a password, token, cookie or email address. Errors are described by their chain of causes,
 * a failed query by its SQL text only (Drizzle's message embeds the parameters: hashes, digests, emails),
 * and anything shaped like an email address in an error message is replaced.
 *
 * @module
 */
import { DrizzleQueryError } from "drizzle-orm";

/** How serious a log line is; `error` lines go to `console.error`. */
export type LogLevel = "info" | "warn" | "error";

/** One error of a cause chain, as logged. */
interface LoggedError {
	name: string;
	message: string;
	stack?: string;
}

const EMAIL_ADDRESS = /[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+/g;

/** Returns only the frame lines of a stack, dropping the message lines it starts with. */
function framesOf(error: Error): string | undefined {
	const frames = error.stack?.split("\n").filter((line) => line.startsWith("    at "));
	return frames?.length ? frames.join("\n") : undefined;
}

/** Describes an error and its causes for a log line, leaving out query parameters and email addresses. */
export function describeError(error: unknown): LoggedError[] {
	const chain: LoggedError[] = [];
	for (let e = error; e !== undefined && chain.length < 5; e = e instanceof Error ? e.cause : undefined) {
		if (!(e instanceof Error)) {
			chain.push({ name: typeof e, message: "a non-Error value was thrown" });
			break;
		}
		const message = e instanceof DrizzleQueryError ? `query failed: ${e.query}` : e.message;
		chain.push({ name: e.name, message: message.replace(EMAIL_ADDRESS, "<address>"), stack: framesOf(e) });
	}
	return chain;
}

/** Writes one JSON log line: `level`, `msg`, then `fields`. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
	const line = JSON.stringify({ level, msg, ...fields });
	if (level === "error") {
		console.error(line);
	} else {
		console.log(line);
	}
}

/** Returns the domain of an address, which log lines may carry instead of the address itself. */
export function domainOf(email: string): string {
	return email.slice(email.lastIndexOf("@") + 1);
}
