/**
 * Reading request input: the one place that turns a form body into typed fields or a 400 JSON error.
 *
 * @module
 */
import type { Context } from "hono";
import { AppError } from "../errors";

/**
 * Reads the named fields from a form body (`application/x-www-form-urlencoded` or `multipart/form-data`)
 * and returns them as strings.
 *
 * @throws {AppError} `INVALID_INPUT` naming the first field that is missing, empty or not text, or when
 *   the body cannot be parsed at all.
 */
export async function readFormFields<const Name extends string>(
	c: Context,
	names: readonly Name[],
): Promise<Record<Name, string>> {
	let body: Record<string, unknown>;
	try {
		body = await c.req.parseBody();
	} catch (cause) {
		throw new AppError("INVALID_INPUT", "the form body could not be parsed", {
			publicMessage: "malformed form body",
			cause,
		});
	}
	const fields = {} as Record<Name, string>;
	for (const name of names) {
		const value = body[name];
		if (typeof value !== "string" || value === "") {
			throw new AppError("INVALID_INPUT", `form field ${name} is missing or not text`, {
				publicMessage: `${name} is required`,
			});
		}
		fields[name] = value;
	}
	return fields;
}
