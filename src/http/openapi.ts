/**
 * Route definitions on `@hono/zod-openapi`: the router factory every route module uses, request bodies
 * accepted as form or JSON with one schema, the error responses in the catalog's shape, and the session
 * cookie security scheme.
 *
 * @module
 */
import { OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { AppError, type ErrorCode, errorCatalog } from "../errors";
import { ErrorBody } from "./schemas";

/** Name of the cookie security scheme in the OpenAPI document. */
export const SESSION_COOKIE_SCHEME = "sessionCookie";

/** Turns a failed validation into the catalog's 400, naming the first problem. */
function failValidation(error: z.ZodError): never {
	const message = error.issues[0]?.message ?? errorCatalog.INVALID_INPUT.message;
	throw new AppError("INVALID_INPUT", `invalid input: ${message}`, { publicMessage: message });
}

/** Returns a router for route modules, whose validation failures answer the catalog's 400. */
export function createRouter(): OpenAPIHono<AppEnv> {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) {
				failValidation(result.error);
			}
		},
	});
}

/**
 * A request body that may come as a form (`application/x-www-form-urlencoded` or `multipart/form-data`)
 * or as `application/json`, validated by `schema` either way. It is declared optional because
 * zod-openapi then runs only the validator that matches the request's `Content-Type`; {@link requireBody}
 * covers requests without one, and {@link markBodiesRequired} corrects the document.
 */
export function formOrJson<T extends z.ZodType>(schema: T) {
	return {
		description: "Form fields (urlencoded or multipart) or a JSON object with the same fields.",
		content: {
			"application/x-www-form-urlencoded": { schema },
			"application/json": { schema },
		},
	} as const;
}

/** The OpenAPI 3.1 document type zod-openapi generates. */
type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

/** Marks every request body of an OpenAPI document required, as the service treats them. */
export function markBodiesRequired(document: OpenApiDocument): OpenApiDocument {
	for (const item of Object.values(document.paths ?? {})) {
		for (const method of ["get", "put", "post", "delete", "patch"] as const) {
			const body = item[method]?.requestBody;
			if (body !== undefined && "content" in body) {
				body.required = true;
			}
		}
	}
	return document;
}

/** Tells whether the request body is JSON, so a handler reads the matching validated data. */
export function isJsonRequest(c: Context): boolean {
	return /^application\/([\w.-]+\+)?json\b/i.test(c.req.header("Content-Type") ?? "");
}

/**
 * Route middleware for {@link formOrJson} bodies: with both form and JSON validators declared, only the
 * one matching the request's `Content-Type` runs, so a request without one is validated here as an empty
 * form and gets the schema's own message (e.g. `email is required`).
 */
export function requireBody(schema: z.ZodType): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		if (c.req.header("Content-Type") === undefined) {
			const result = schema.safeParse({});
			if (!result.success) {
				failValidation(result.error);
			}
		}
		await next();
	};
}

/** Error responses for the OpenAPI document, from the catalog codes a route may answer with. */
export function errorResponses(...codes: ErrorCode[]) {
	const responses: Record<
		number,
		{ description: string; content: { "application/json": { schema: typeof ErrorBody } } }
	> = {};
	for (const code of codes) {
		const { status, message } = errorCatalog[code];
		const previous = responses[status]?.description;
		responses[status] = {
			description: previous ? `${previous}; ${message}` : message,
			content: { "application/json": { schema: ErrorBody } },
		};
	}
	return responses;
}
