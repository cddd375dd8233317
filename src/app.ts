/**
 * The Hono app: frames every request (its id, HTTPS, protective headers, its log line), limits the body
 * and refuses cross-site requests of the methods that write, builds an {@link Auth} and a D1 connection
 * per request (handing the D1 bookmark back), mounts the API's route modules and the pages,
 * serves its OpenAPI document (the reference viewer at `/doc/` is a static asset), and maps every error in
 * one place: to an HTML page on the pages' paths, to JSON everywhere else.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { openAPIRouteHandler } from "hono-openapi";
import { emailRoutes } from "./api/email";
import { SESSION_COOKIE_SCHEME } from "./api/openapi";
import { passwordRoutes } from "./api/passwords";
import { serviceRoutes } from "./api/service";
import { sessionRoutes } from "./api/sessions";
import { userRoutes } from "./api/users";
import { Auth } from "./auth/auth";
import { loadConfig } from "./config";
import { AppError } from "./errors";
import type { AppEnv } from "./http/app-env";
import { readDeviceCookie } from "./http/cookie";
import { refuseCrossSite } from "./http/cross-site";
import { requestConnection, sendBookmark } from "./http/d1-bookmark";
import { refuseDevelopmentConfiguration } from "./http/deployment-guard";
import { requestFrame } from "./http/frame";
import { answerFor } from "./http/log";
import { RequestSessionCookie } from "./http/session";
import { accountPageRoutes } from "./web/account";
import { linkPageRoutes } from "./web/links";
import { pageRoutes } from "./web/pages";
import { renderErrorPage } from "./web/render";

/** Largest request body accepted; the forms this API takes are a few hundred bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;

const app = new Hono<AppEnv>();
app.use(requestFrame());
// What every request gets once: its configuration, its Auth over its D1 connection (handing the D1
// bookmark back), its session cookie (resolved on first use, renewed cookie sent again), and the work
// left for after the answer.
app.use(async function requestContext(c, next) {
	const config = loadConfig(c.env);
	refuseDevelopmentConfiguration(c, config);
	const connection = requestConnection(c);
	const auth = Auth.fromEnv(
		c.env,
		{
			requestId: c.get("requestId"),
			clientIp: c.req.header("CF-Connecting-IP") ?? null,
			userAgent: c.req.header("User-Agent") ?? null,
			deviceCookie: readDeviceCookie(c),
		},
		connection,
		config,
	);
	c.set("config", config);
	c.set("auth", auth);
	c.set("sessionCookie", new RequestSessionCookie(c, auth));
	await next();
	await c.var.sessionCookie.finish();
	sendBookmark(c, connection, auth.answerIsUniform);
	// The request's security events are kept after the answer, in one round trip, after whatever else
	// the request left for then.
	if (auth.hasWorkAfterAnswer) {
		c.executionCtx.waitUntil(auth.finish(c.get("requestId")));
	}
});
// Only requests that may change state carry a body to limit and need an origin check: a GET skips both
// (and no route answers any other method).
app.on(
	["POST", "PUT", "PATCH", "DELETE"],
	"*",
	bodyLimit({
		maxSize: BODY_LIMIT_BYTES,
		onError: () => {
			throw new AppError("PAYLOAD_TOO_LARGE");
		},
	}),
	refuseCrossSite<AppEnv>((c) => c.var.config.allowedOrigins),
);

const routes = app
	.route("/", serviceRoutes)
	.route("/", userRoutes)
	.route("/", sessionRoutes)
	.route("/", passwordRoutes)
	.route("/", emailRoutes);

// The pages for people: not part of the API's type or its OpenAPI document.
const pages = new Hono<AppEnv>()
	.route("/", pageRoutes)
	.route("/", accountPageRoutes)
	.route("/", linkPageRoutes);
app.route("/", pages);

/** The paths of the pages: an error on one answers an HTML page, on any other path the API's JSON. */
const PAGE_PATHS: ReadonlySet<string> = new Set(pages.routes.map((route) => route.path));

app.get(
	"/openapi.json",
	openAPIRouteHandler(app, {
		documentation: {
			openapi: "3.1.0",
			info: {
				title: "workers-user-auth",
				version: "0.1.0",
				description: "Email + password authentication: registration, cookie sessions and password reset.",
			},
			components: {
				securitySchemes: {
					[SESSION_COOKIE_SCHEME]: {
						type: "apiKey",
						in: "cookie",
						name: "session_id",
						description: "The session id set by `POST /sessions`.",
					},
				},
			},
		},
		// The pages, which have no `describeRoute`, are left out as well: they are for people, not the API.
		exclude: ["/openapi.json", "/doc"],
	}),
);

// The API reference is Swagger UI, served as static assets from /doc/ (see wrangler.toml's [assets]).
app.get("/doc", (c) => c.redirect("/doc/", 301));

/** The one shape of every error answer: the catalog status, `Retry-After` when known, `{"message"}`. */
function errorJson(c: Context<AppEnv>, error: AppError): Response {
	if (error.retryAfterSeconds !== undefined) {
		c.header("Retry-After", String(error.retryAfterSeconds));
	}
	return c.json({ message: error.publicMessage }, error.status);
}

/**
 * Maps the framework's own HTTP errors (the body parser's 400 and 415) to catalog errors, keeping the
 * original as the cause: their messages name parser internals. Any other is unexpected and answers 500.
 */
function fromFramework(error: HTTPException): AppError | HTTPException {
	if (error.status === 415) {
		return new AppError("UNSUPPORTED_MEDIA_TYPE", error.message, { cause: error });
	}
	if (error.status === 400) {
		return new AppError("INVALID_INPUT", error.message, {
			publicMessage: "malformed request body",
			cause: error,
		});
	}
	return error;
}

app.notFound((c) => errorJson(c, new AppError("NOT_FOUND")));

// The one error boundary: every error thrown anywhere (a middleware's refusal, a route's, a failure of
// the service) ends here, and answers in the language of the path it was thrown on.
app.onError((error, c) => {
	const failure = error instanceof HTTPException ? fromFramework(error) : error;
	const known = answerFor(failure, { requestId: c.var.requestId, method: c.req.method, path: c.req.path });
	return PAGE_PATHS.has(c.req.path) ? renderErrorPage(c, known) : errorJson(c, known);
});

/** The API's type, for Hono's typed `hc` client (request bodies as `json`). */
export type AppType = typeof routes;

/** The Hono app with every route and middleware; `src/index.ts` serves it. */
export { app };
