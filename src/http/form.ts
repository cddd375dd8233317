/**
 * Reading request input: the one place that turns a form body into typed fields or a 400 JSON error.
 *
 * @module
 */
import type { Context } from "hono";
import { normalizeEmail } from "../auth/email";
import { AppError } from "../errors";

/**
 * Reads the named fields from a form body (`application/x-www-form-urlencoded` or `multipart/form-data`)
 * and returns them as strings; a field named `email` comes back in normal form (trimmed, lower case),
 * the form in which it is stored and echoed.
 *
 * @throws {AppError} `INVALID_INPUT` naming the first field that is missing, empty, repeated or not text,
 *   or when the body cannot be parsed at all.
 */
export async function readFormFields<const Name extends string>(
	c: Context,
	names: readonly Name[],
): Promise<Record<Name, string>> {
	let body: Record<string, unknown>;
	try {
		// `all` keeps repeated fields as arrays, so they are refused below instead of one silently winning.
		body = await c.req.parseBody({ all: true });
	} catch (cause) {
		throw new AppError("INVALID_INPUT", "the form body could not be parsed", {
			publicMessage: "malformed form body",
			cause,
		});
	}
	const fields = {} as Record<Name, string>;
	for (const name of names) {
		const value = body[name];
		if (Array.isArray(value)) {
			throw new AppError("INVALID_INPUT", `form field ${name} is repeated`, {
				publicMessage: `${name} must be given once`,
			});
		}
		if (typeof value !== "string" || value === "") {
			throw new AppError("INVALID_INPUT", `form field ${name} is missing or not text`, {
				publicMessage: `${name} is required`,
			});
		}
		fields[name] = name === "email" ? normalizeEmail(value) : value;
	}
	return fields;
}
