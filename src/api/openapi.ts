/**
 * Route descriptions for the OpenAPI document, which hono-openapi generates from the same valibot schemas
 * that validate requests: request bodies, JSON responses, and the catalog errors a route may answer.
 *
 * @module
 */
import { resolver } from "hono-openapi";
import type { OpenAPIV3_1 } from "openapi-types";
import type * as v from "valibot";
import { type ErrorCode, errorCatalog } from "../errors";
import { ErrorBody } from "./schemas";

/** Name of the cookie security scheme in the OpenAPI document. */
export const SESSION_COOKIE_SCHEME = "sessionCookie";

/** The `Set-Cookie` header of answers that start a session. */
export const SESSION_COOKIE_SET = {
	"Set-Cookie": {
		description:
			"`session_id=<id>; Max-Age=<seconds>; Path=/; HttpOnly; SameSite=Lax`, plus `Secure` over HTTPS: the session's id, kept until it expires. Any route that needs a session may send it again, with a new `Max-Age`, when the session is renewed (at most once a day).",
		schema: { type: "string" as const },
	},
};

/** The `Set-Cookie` header of answers that end this device's session. */
export const SESSION_COOKIE_CLEARED = {
	"Set-Cookie": {
		description:
			"`session_id=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`, plus `Secure` over HTTPS: the cookie is dropped.",
		schema: { type: "string" as const },
	},
};

/** The errors any route that reads a body may answer, besides its own. */
export const BODY_ERRORS = [
	"INVALID_INPUT",
	"CROSS_SITE_REQUEST",
	"PAYLOAD_TOO_LARGE",
	"UNSUPPORTED_MEDIA_TYPE",
] as const satisfies readonly ErrorCode[];

/** Options for converting schemas that normalize values (transforms have no JSON Schema form). */
const SCHEMA_OPTIONS = { errorMode: "ignore" } as const;

/** The OpenAPI request body of `validBody`: the same schema as a form or as JSON. */
export function formOrJsonBody(schema: v.GenericSchema) {
	const media = { schema: resolver(schema, SCHEMA_OPTIONS) };
	return {
		required: true,
		description: "Form fields (urlencoded or multipart) or a JSON object with the same fields.",
		content: {
			"application/x-www-form-urlencoded": media,
			"multipart/form-data": media,
			"application/json": media,
		},
	};
}

/** An OpenAPI JSON response whose body `schema` describes. */
export function jsonResponse(
	description: string,
	schema: v.GenericSchema,
	headers?: OpenAPIV3_1.ResponseObject["headers"],
) {
	return { description, headers, content: { "application/json": { schema: resolver(schema) } } };
}

/** OpenAPI error responses for the catalog codes a route may answer with. */
export function errorResponses(...codes: ErrorCode[]) {
	const responses: Record<number, ReturnType<typeof jsonResponse>> = {};
	for (const code of codes) {
		const { status, message } = errorCatalog[code];
		const previous = responses[status]?.description;
		responses[status] = jsonResponse(previous ? `${previous}; ${message}` : message, ErrorBody);
	}
	return responses;
}
