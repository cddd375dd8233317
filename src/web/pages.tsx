/**
 * The pages of someone who is not logged in: `/signup`, `/login` (and its request for a new verification
 * link), `/forgot-password`, `/reset-password` (the emailed link), `/check-email` (where a request for a
 * link leads) and `POST /logout`. Each form posts to its own path and works without a script: success
 * answers 303 to the next page, so a reload never posts again; a refusal re-renders the form with the
 * error, the fields kept (never a password) and the error's status. They call `Auth` like the API does,
 * and validate presence with the API's own schemas.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type * as v from "valibot";
import { Credentials, PasswordUpdate, ResetRequest, VerificationRequest } from "../api/schemas";
import { normalizeEmail } from "../auth/email";
import type { AppError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { firstIssue } from "../http/input";
import { refuseTokenInResponseOnPublicHost, refuseTokenOnPublicHost } from "../http/token-delivery";
import { checkEmailPath, developmentLinkOf, isShown, localPath, readForm, renderPage } from "./render";
import {
	CheckEmailPage,
	ForgotPasswordPage,
	LoginPage,
	NOTICES,
	type NoticeKey,
	ResetPasswordPage,
	SENT,
	type SentKey,
	SignupPage,
} from "./views/auth-pages";
import { type FormError, formError, type Problem, sameNames } from "./views/forms";

/** Returns the first problem `schema` finds with `form`, as an error on its field, or `null`. */
function missing(
	schema: v.GenericSchema,
	form: Record<string, string>,
	fields: Readonly<Record<string, string>>,
): FormError | null {
	const issue = firstIssue(schema, form);
	return issue === null ? null : formError(issue, fields);
}

/** The fields of the sign-up and login forms. */
const CREDENTIALS = sameNames("email", "password");
/** The field of the forms that ask for an address only. */
const EMAIL = sameNames("email");
/** The fields of the reset form, where the policy's `password …` messages are about the new password. */
const NEW_PASSWORD = { ...sameNames("email", "new_password"), password: "new_password" };

/** What a sign-up with a taken address is told (`response` mode), with the ways on. */
const TAKEN: Problem = {
	field: "email",
	message: "Email address already has an account:",
	links: [
		{ href: "/login", text: "log in" },
		{ href: "/forgot-password", text: "reset its password" },
	],
};

/** The notice of `?notice=`, when it is one of the known ones. */
function noticeOf(key: string | undefined): NoticeKey | null {
	return key !== undefined && Object.hasOwn(NOTICES, key) ? (key as NoticeKey) : null;
}

/** The minimum length new passwords must have, which the forms state. */
function minLength(c: Context<AppEnv>): number {
	return c.var.config.passwordMinLength;
}

/** Routes that serve the pages of someone not logged in, and the logout form. */
export const pageRoutes = new Hono<AppEnv>()
	.get("/signup", async (c) => {
		if ((await c.var.sessionCookie.forPage()) !== null) {
			return c.redirect("/account", 303);
		}
		return renderPage(c, <SignupPage error={null} passwordMinLength={minLength(c)} />);
	})
	.post("/signup", async (c) => {
		const form = await readForm(c);
		const email = form.email ?? "";
		const password = form.password ?? "";
		// Every field at once: the email's problem and the password's, not the first of them.
		const problems = c.var.auth.accounts
			.signUpProblems(email, password)
			.map((message) => formError(message, CREDENTIALS));
		if (problems.length > 0) {
			return renderPage(
				c,
				<SignupPage email={email} error={problems} passwordMinLength={minLength(c)} />,
				400,
			);
		}
		const { config } = c.var;
		try {
			if (config.requireVerifiedEmail) {
				// In `response` mode the outcome is a verification link on the page: a token, which a public
				// host must not hand out. Checked before the account exists.
				refuseTokenOnPublicHost(c);
			}
			const started = await c.var.auth.accounts.signUpAndStart(email, password);
			if (started.next === "check-email") {
				// Registered or not, the same page: sign-up tells nothing about an address.
				return c.redirect(checkEmailPath("signup"), 303);
			}
			if (started.next === "verify-email") {
				// No login before the address is verified: local development shows the link it would email.
				return c.redirect(
					checkEmailPath("signup", `/verify-email?${new URLSearchParams({ token: started.token })}`),
					303,
				);
			}
			await c.var.sessionCookie.start(started);
			return c.redirect("/account", 303);
		} catch (error) {
			if (!isShown(error)) {
				throw error;
			}
			const shown =
				error.code === "EMAIL_ALREADY_REGISTERED" ? TAKEN : formError(error.publicMessage, CREDENTIALS);
			return renderPage(
				c,
				<SignupPage email={email} error={shown} passwordMinLength={config.passwordMinLength} />,
				error.status,
				error,
			);
		}
	})
	.get("/login", async (c) => {
		const next = localPath(c.req.query("next"));
		const cookies = c.var.sessionCookie.count;
		if ((await c.var.sessionCookie.forPage()) !== null) {
			return c.redirect(next ?? "/account", 303);
		}
		// A lone cookie that names no live session: this device was logged out (from elsewhere, by a
		// password change or reset, or by expiry); it was cleared, and the visitor is told. Several cookies
		// and none usable: one may have been planted by another site of the same domain; none is cleared
		// (that would delete ours and keep theirs), and the visitor is told that too.
		const notice =
			cookies === "several"
				? "several-cookies"
				: (noticeOf(c.req.query("notice")) ?? (cookies === "one" ? "signed-out" : null));
		return renderPage(c, <LoginPage error={null} next={next} notice={notice} />);
	})
	.post("/login", async (c) => {
		const next = localPath(c.req.query("next"));
		const form = await readForm(c);
		const email = form.email ?? "";
		const rerender = (error: FormError, status: 400 | 401 | 403 | 429, cause?: AppError) =>
			renderPage(c, <LoginPage email={email} error={error} next={next} notice={null} />, status, cause);
		const problem = missing(Credentials, form, CREDENTIALS);
		if (problem !== null) {
			return rerender(problem, 400);
		}
		try {
			const login = await c.var.auth.sessions.logIn(email, form.password ?? "");
			if (login === null) {
				if (c.var.auth.handout.mailboxOnly && c.var.config.requireVerifiedEmail) {
					// A right password of an unverified address is answered like a wrong one (a new link goes
					// to the address), so the page says both, to everyone, with a way to ask for another link.
					const message =
						"The email address or the password is wrong. If you just signed up, confirm your address first: follow the link we sent to it.";
					return renderPage(
						c,
						<LoginPage email={email} error={{ message }} next={next} notice={null} unverified />,
						401,
					);
				}
				return rerender({ message: "The email address or the password is wrong." }, 401);
			}
			await c.var.sessionCookie.start(login);
			return c.redirect(next ?? "/account", 303);
		} catch (error) {
			if (!isShown(error)) {
				throw error;
			}
			if (error.code === "EMAIL_NOT_VERIFIED") {
				// Said only to whoever gave the right password, so it tells nobody else about the address.
				const message =
					"Your email address is not verified yet. Follow the link we sent to it, or ask for a new one.";
				return renderPage(
					c,
					<LoginPage email={email} error={{ message }} next={next} notice={null} unverified />,
					403,
					error,
				);
			}
			const status =
				error.status === 401 || error.status === 403 || error.status === 429 ? error.status : 400;
			return rerender(formError(error.publicMessage, CREDENTIALS), status, error);
		}
	})
	.post("/logout", async (c) => {
		await c.var.sessionCookie.end("current");
		// With several session cookies none was cleared (that would delete ours and keep one planted beside
		// it): the login page says what to do instead.
		return c.redirect(c.var.sessionCookie.count === "several" ? "/login" : "/login?notice=logged-out", 303);
	})
	.get("/check-email", (c) => {
		const key = c.req.query("for");
		const sent: SentKey = key !== undefined && Object.hasOwn(SENT, key) ? (key as SentKey) : "verify";
		return renderPage(c, <CheckEmailPage sent={sent} developmentLink={developmentLinkOf(c)} />);
	})
	.get("/forgot-password", (c) => renderPage(c, <ForgotPasswordPage error={null} />))
	.post("/forgot-password", refuseTokenInResponseOnPublicHost, async (c) => {
		const form = await readForm(c);
		const email = form.email ?? "";
		const problem = missing(ResetRequest, form, EMAIL);
		if (problem !== null) {
			return renderPage(c, <ForgotPasswordPage email={email} error={problem} />, 400);
		}
		try {
			const handout = await c.var.auth.passwordResets.request(email);
			const link =
				handout.via === "email"
					? undefined
					: `/reset-password?${new URLSearchParams({ email: normalizeEmail(email), token: handout.token })}`;
			return c.redirect(checkEmailPath("reset", link), 303);
		} catch (error) {
			if (!isShown(error)) {
				throw error;
			}
			return renderPage(
				c,
				<ForgotPasswordPage email={email} error={formError(error.publicMessage, EMAIL)} />,
				error.status,
				error,
			);
		}
	})
	.get("/reset-password", (c) => {
		const email = c.req.query("email") ?? "";
		const token = c.req.query("token") ?? "";
		const error = token === "" ? { message: "This link is incomplete: ask for a new one." } : null;
		return renderPage(
			c,
			<ResetPasswordPage email={email} token={token} error={error} passwordMinLength={minLength(c)} />,
			token === "" ? 400 : 200,
		);
	})
	.post("/reset-password", async (c) => {
		const form = await readForm(c);
		const email = form.email ?? "";
		const token = form.token ?? "";
		const rerender = (error: FormError, status: 400 | 403 | 429, cause?: AppError) =>
			renderPage(
				c,
				<ResetPasswordPage email={email} token={token} error={error} passwordMinLength={minLength(c)} />,
				status,
				cause,
			);
		const update = { email, reset_token: token, new_password: form.new_password ?? "" };
		const problem = missing(PasswordUpdate, update, NEW_PASSWORD);
		if (problem !== null) {
			const incomplete = token === "" ? { message: "This link is incomplete: ask for a new one." } : problem;
			return rerender(incomplete, 400);
		}
		try {
			await c.var.auth.passwordResets.complete(token, form.new_password ?? "", email);
			return c.redirect("/login?notice=password-reset", 303);
		} catch (error) {
			if (!isShown(error)) {
				throw error;
			}
			const message =
				error.code === "INVALID_RESET_TOKEN"
					? "This link is no longer valid: ask for a new one."
					: error.publicMessage;
			return rerender(
				formError(message, NEW_PASSWORD),
				error.status === 403 || error.status === 429 ? error.status : 400,
				error,
			);
		}
	})
	.post("/verify-email/send", refuseTokenInResponseOnPublicHost, async (c) => {
		const form = await readForm(c);
		const email = form.email ?? "";
		const problem = missing(VerificationRequest, form, EMAIL);
		if (problem !== null) {
			return renderPage(c, <LoginPage email={email} error={problem} next={null} notice={null} />, 400);
		}
		try {
			const handout = await c.var.auth.emailVerification.request(email);
			const link =
				handout.via === "email"
					? undefined
					: `/verify-email?${new URLSearchParams({ token: handout.token })}`;
			return c.redirect(checkEmailPath("verify", link), 303);
		} catch (error) {
			if (!isShown(error)) {
				throw error;
			}
			return renderPage(
				c,
				<LoginPage email={email} error={formError(error.publicMessage, EMAIL)} next={null} notice={null} />,
				error.status === 429 || error.status === 403 ? error.status : 400,
				error,
			);
		}
	});
