/**
 * The account page (`GET /account`) and its forms (`POST /account/…`): end a session or all others,
 * change the password or the address, ask for a verification link, delete the account. A visit without a
 * live session goes to `/login?next=…`. Each form comes back to the page with 303 and a notice, or
 * re-renders the page with its error and status.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { AccountDeletion, EmailChange, PasswordChange } from "../api/schemas";
import type { Handout } from "../auth/auth";
import type { AppError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { parseOrThrow } from "../http/input";
import { requirePageSession, type SessionVariables } from "../http/session";
import { refuseTokenInResponseOnPublicHost } from "../http/token-delivery";
import { developmentLinkOf, isShown, readForm, renderPage } from "./render";
import {
	ACCOUNT_NOTICES,
	type AccountForm,
	type AccountNoticeKey,
	AccountPage,
	type AccountPageProps,
} from "./views/account-page";
import { formError, labelOf, sameNames } from "./views/forms";

/** The bindings and variables of the account routes: the app's, and the page's session. */
type AccountEnv = AppEnv & SessionVariables;

/**
 * For each form of the page, the input each service message is about, by the name the message starts
 * with: the policy's `password …` is about the new password; two forms ask for the current password.
 */
const FORM_FIELDS: Record<AccountForm, Readonly<Record<string, string>>> = {
	password: { ...sameNames("current_password", "new_password"), password: "new_password" },
	email: { new_email: "new_email", email: "new_email", password: "email-password" },
	delete: { password: "delete-password" },
	sessions: {},
	verification: {},
};

/** The input of each form that asks for the current password. */
const CURRENT_PASSWORD: Partial<Record<AccountForm, string>> = {
	password: "current_password",
	email: "email-password",
	delete: "delete-password",
};

/** Renders the account page for `session`, with what the action that led here left to show. */
async function renderAccount(
	c: Context<AccountEnv>,
	extra: Partial<Pick<AccountPageProps, "notice" | "error" | "newEmail">> = {},
	status: 200 | 400 | 401 | 403 | 404 | 429 = 200,
	cause?: AppError,
) {
	const { auth, session } = c.var;
	const [sessions, events, pendingEmail] = await Promise.all([
		auth.sessions.list(session),
		auth.accounts.recentEvents(session),
		auth.emailChanges.pending(session),
	]);
	return renderPage(
		c,
		<AccountPage
			user={session.user}
			sessions={sessions}
			events={events}
			pendingEmail={pendingEmail}
			notice={extra.notice ?? null}
			error={extra.error ?? null}
			newEmail={extra.newEmail}
			developmentLink={developmentLinkOf(c)}
			passwordMinLength={c.var.config.passwordMinLength}
		/>,
		status,
		cause,
	);
}

/** A link's page and token, as the page of the link the service would email, or `null` in `email` mode. */
function linkOf(handout: Handout, page: "/confirm-email" | "/verify-email"): string | null {
	return handout.via === "response" ? `${page}?${new URLSearchParams({ token: handout.token })}` : null;
}

/**
 * Where a form that asked for a link goes back to: the account page with its notice and, in `response`
 * mode (local development), the link the service would have emailed.
 */
function backWithLink(notice: AccountNoticeKey, link: string | null): string {
	const query = new URLSearchParams({ notice });
	if (link !== null) {
		query.set("dev_link", link);
	}
	return `/account?${query}`;
}

/** Re-renders the account page with an error of `form`, or rethrows what is not the user's to fix. */
async function renderFormError(
	c: Context<AccountEnv>,
	form: AccountForm,
	error: unknown,
	extra: Partial<Pick<AccountPageProps, "newEmail">> = {},
) {
	if (!isShown(error)) {
		throw error;
	}
	if (error.code === "INVALID_SESSION") {
		c.var.sessionCookie.clear();
		return c.redirect("/login?notice=session-ended&next=%2Faccount", 303);
	}
	const fields = FORM_FIELDS[form];
	// A wrong password is the current one, whatever the form calls it; `password …` may be the policy's.
	const currentPassword = CURRENT_PASSWORD[form];
	const shown =
		error.code === "WRONG_PASSWORD" && currentPassword !== undefined
			? { field: currentPassword, message: `${labelOf(currentPassword)} is incorrect` }
			: formError(error.publicMessage, fields);
	const status = ([400, 401, 403, 404, 429] as const).find((s) => s === error.status) ?? 400;
	return renderAccount(c, { ...extra, error: { form, error: shown } }, status, error);
}

/** Routes of the account page and its forms. */
export const accountPageRoutes = new Hono<AccountEnv>()
	// `/account/*` covers `/account` too.
	.use("/account/*", requirePageSession)
	.get("/account", async (c) => {
		const key = c.req.query("notice");
		const notice =
			key !== undefined && Object.hasOwn(ACCOUNT_NOTICES, key) ? (key as AccountNoticeKey) : null;
		return renderAccount(c, { notice });
	})
	.post("/account/sessions/end", async (c) => {
		const { session } = c.var;
		const form = await readForm(c);
		try {
			const { wasCurrent } = await c.var.auth.sessions.endById(session, form.id ?? "");
			if (wasCurrent) {
				c.var.sessionCookie.clear();
				return c.redirect("/login?notice=logged-out", 303);
			}
			return c.redirect("/account?notice=session-ended", 303);
		} catch (error) {
			return renderFormError(c, "sessions", error);
		}
	})
	.post("/account/sessions/end-others", async (c) => {
		const { session } = c.var;
		await c.var.auth.sessions.endOthers(session);
		return c.redirect("/account?notice=others-ended", 303);
	})
	.post("/account/password", async (c) => {
		const { session } = c.var;
		const form = await readForm(c);
		try {
			parseOrThrow(PasswordChange, form);
			const changed = await c.var.auth.accounts.changePassword(
				session,
				form.current_password ?? "",
				form.new_password ?? "",
			);
			c.var.sessionCookie.replaceWith(changed);
			return c.redirect("/account?notice=password-changed", 303);
		} catch (error) {
			return renderFormError(c, "password", error);
		}
	})
	.post("/account/email", refuseTokenInResponseOnPublicHost, async (c) => {
		const { session } = c.var;
		const form = await readForm(c);
		try {
			parseOrThrow(EmailChange, form);
			const newEmail = form.new_email ?? "";
			const handout = await c.var.auth.emailChanges.request(session, form.password ?? "", newEmail);
			return c.redirect(backWithLink("email-change-sent", linkOf(handout, "/confirm-email")), 303);
		} catch (error) {
			return renderFormError(c, "email", error, { newEmail: form.new_email });
		}
	})
	.post("/account/email/resend", refuseTokenInResponseOnPublicHost, async (c) => {
		try {
			const handout = await c.var.auth.emailChanges.resend(c.var.session);
			if (handout === null) {
				return c.redirect("/account", 303);
			}
			return c.redirect(backWithLink("email-change-sent", linkOf(handout, "/confirm-email")), 303);
		} catch (error) {
			return renderFormError(c, "email", error);
		}
	})
	.post("/account/email/cancel", async (c) => {
		await c.var.auth.emailChanges.cancel(c.var.session);
		return c.redirect("/account?notice=email-change-cancelled", 303);
	})
	.post("/account/verification", refuseTokenInResponseOnPublicHost, async (c) => {
		const { session } = c.var;
		try {
			const handout = await c.var.auth.emailVerification.request(session.user.email);
			return c.redirect(backWithLink("verification-sent", linkOf(handout, "/verify-email")), 303);
		} catch (error) {
			return renderFormError(c, "verification", error);
		}
	})
	.post("/account/delete", async (c) => {
		const { session } = c.var;
		const form = await readForm(c);
		try {
			parseOrThrow(AccountDeletion, form);
			await c.var.auth.accounts.delete(session, form.password ?? "");
			c.var.sessionCookie.clear();
			return c.redirect("/login?notice=account-deleted", 303);
		} catch (error) {
			return renderFormError(c, "delete", error);
		}
	});
