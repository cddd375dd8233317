/**
 * The pages the emailed links open: `/verify-email` (proves the address of an account) and
 * `/confirm-email` (moves an account to the address that received the link). `GET` shows a button and
 * spends nothing; its `POST` spends the token through `Auth` and answers 303 to the account page (logged
 * in) or the login page, or re-renders the page with why the link no longer works.
 *
 * @module
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app-env";
import type { Auth } from "../auth/auth";
import type { AppError } from "../errors";
import { isLoggedIn, isShown, readForm, renderPage } from "../http/pages";
import { TokenBody } from "../http/schemas";
import { ConfirmLinkPage, type LinkCopy } from "../pages/auth-pages";

/** One kind of link: its page's words, what spending its token does, and where a success goes. */
interface Link {
	readonly copy: LinkCopy;
	/** Spends the token through `Auth`. */
	spend(auth: Auth, token: string): Promise<unknown>;
	/** Where a success goes, for someone logged in or not. */
	readonly done: { readonly loggedIn: string; readonly loggedOut: string };
	/** What the page says when the token is refused. */
	refusal(error: AppError): string;
}

const LINKS: readonly Link[] = [
	{
		copy: {
			path: "/verify-email",
			title: "Confirm your email address",
			text: "Confirm that this address is yours.",
			button: "Confirm my address",
		},
		spend: (auth, token) => auth.emailVerification.verify(token),
		done: { loggedIn: "/account?notice=email-verified", loggedOut: "/login?notice=email-verified" },
		refusal: () => "This link is no longer valid: ask for a new one from your account page.",
	},
	{
		copy: {
			path: "/confirm-email",
			title: "Confirm your new email address",
			text: "Someone logged in to an account asked to move it to this address. If it was you, confirm it.",
			button: "Move my account to this address",
		},
		spend: (auth, token) => auth.emailChanges.confirm(token),
		done: { loggedIn: "/account?notice=email-changed", loggedOut: "/login?notice=email-verified" },
		refusal: (error) =>
			error.code === "EMAIL_ALREADY_REGISTERED"
				? "Another account uses that address now, so yours was not moved."
				: "This link is no longer valid.",
	},
];

/** Routes of the pages the emailed links open. */
export const linkPageRoutes = new Hono<AppEnv>();

for (const link of LINKS) {
	linkPageRoutes
		.get(link.copy.path, async (c) =>
			renderPage(
				c,
				<ConfirmLinkPage
					copy={link.copy}
					token={c.req.query("token") ?? ""}
					error={null}
					loggedIn={await isLoggedIn(c)}
				/>,
			),
		)
		.post(link.copy.path, async (c) => {
			const form = await readForm(c);
			const loggedIn = await isLoggedIn(c);
			try {
				const parsed = v.safeParse(TokenBody, form);
				await link.spend(c.var.auth, parsed.success ? parsed.output.token : "");
				return c.redirect(loggedIn ? link.done.loggedIn : link.done.loggedOut, 303);
			} catch (error) {
				if (!isShown(error)) {
					throw error;
				}
				return renderPage(
					c,
					<ConfirmLinkPage
						copy={link.copy}
						token={form.token ?? ""}
						error={{ message: link.refusal(error) }}
						loggedIn={loggedIn}
					/>,
					error.status === 400 ? 400 : 403,
					error,
				);
			}
		});
}
