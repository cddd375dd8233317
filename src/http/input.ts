/**
 * Request input: the one middleware that reads a body as a form (urlencoded or multipart) or as JSON and
 * validates it with the route's schema, so every route answers the same 400s and 415s for either
 * encoding, and its counterpart for the query string.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import * as v from "valibot";
import { AppError, errorCatalog } from "../errors";
import type { AppEnv } from "./app-env";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * Reads the raw body as an object of fields: JSON as parsed, a form with repeated fields as arrays.
 *
 * @throws {AppError} `INVALID_INPUT` for a body that cannot be parsed, `UNSUPPORTED_MEDIA_TYPE` for one
 *   that is neither form nor JSON.
 */
export async function readRawBody<E extends AppEnv>(c: Context<E>): Promise<unknown> {
	const contentType = c.req.header("Content-Type");
	const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
	try {
		if (JSON_TYPE.test(mediaType)) {
			return await c.req.json();
		}
		if (FORM_TYPES.has(mediaType)) {
			return await c.req.parseBody({ all: true });
		}
	} catch (cause) {
		throw new AppError("INVALID_INPUT", "the body could not be parsed", {
			publicMessage: "malformed request body",
			cause,
		});
	}
	if (contentType === undefined && (await c.req.arrayBuffer()).byteLength === 0) {
		return {};
	}
	throw new AppError("UNSUPPORTED_MEDIA_TYPE", `unsupported Content-Type ${contentType ?? "(none)"}`);
}

/**
 * Middleware that validates the request body, sent as a form (urlencoded or multipart) or as JSON, with
 * `schema`, and hands the result to the handler as `c.req.valid("json")` whatever the encoding was. The
 * JSON target also types Hono's `hc` client, which sends JSON.
 *
 * @throws {AppError} `INVALID_INPUT` naming the first problem, `UNSUPPORTED_MEDIA_TYPE` for a body that
 *   is neither form nor JSON.
 */
export function validBody<Schema extends v.GenericSchema<unknown, object>>(
	schema: Schema,
): MiddlewareHandler<
	AppEnv,
	string,
	{ in: { json: v.InferInput<Schema> }; out: { json: v.InferOutput<Schema> } }
> {
	return async (c, next) => {
		c.req.addValidatedData("json", parseOrThrow(schema, await readRawBody(c)));
		await next();
	};
}

/**
 * Middleware that validates the query string with `schema` (a parameter given twice is an array) and
 * hands the result to the handler as `c.req.valid("query")`.
 *
 * @throws {AppError} `INVALID_INPUT` naming the first problem.
 */
export function validQuery<Schema extends v.GenericSchema<unknown, object>>(
	schema: Schema,
): MiddlewareHandler<
	AppEnv,
	string,
	{ in: { query: v.InferInput<Schema> }; out: { query: v.InferOutput<Schema> } }
> {
	return async (c, next) => {
		const raw = Object.fromEntries(
			Object.entries(c.req.queries()).map(([name, values]) => [
				name,
				values.length === 1 ? values[0] : values,
			]),
		);
		c.req.addValidatedData("query", parseOrThrow(schema, raw));
		await next();
	};
}

/** The message of the first of `issues`, which name the field they are about. */
function messageOf(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues[0]?.message ?? errorCatalog.INVALID_INPUT.message;
}

/** Returns the message of the first problem `schema` finds with `input`, or `null` when there is none. */
export function firstIssue(schema: v.GenericSchema, input: unknown): string | null {
	const result = v.safeParse(schema, input);
	return result.success ? null : messageOf(result.issues);
}

/**
 * Returns `input` validated by `schema`.
 *
 * @throws {AppError} `INVALID_INPUT` naming the first problem.
 */
export function parseOrThrow<Schema extends v.GenericSchema>(
	schema: Schema,
	input: unknown,
): v.InferOutput<Schema> {
	const result = v.safeParse(schema, input);
	if (!result.success) {
		const message = messageOf(result.issues);
		throw new AppError("INVALID_INPUT", `invalid input: ${message}`, { publicMessage: message });
	}
	return result.output;
}
