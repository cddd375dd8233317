/**
 * The pages the emailed links open: `/verify-email` (proves the address of an account) and
 * `/confirm-email` (moves an account to the address that received the link). `GET` names the address the
 * link is for and shows a button, spending nothing (403 and why, for a link that no longer works); its
 * `POST` spends the token through `Auth` and answers 303 to the account page (when the visitor is logged
 * in to that very account) or the login page, or re-renders the page with why the link no longer works
 * (400 when it came without its token, as the API answers).
 *
 * @module
 */
import { Hono } from "hono";
import * as v from "valibot";
import { TokenBody } from "../api/schemas";
import type { Auth } from "../auth/auth";
import type { User } from "../db/schema";
import type { AppError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { isShown, readForm, renderPage } from "./render";
import { ConfirmLinkPage, type LinkCopy } from "./views/auth-pages";

/** One kind of link: its page's words, what spending its token does, and where a success goes. */
interface Link {
	readonly copy: LinkCopy;
	/** The address the token is for, spending nothing; `null` when it no longer works. */
	addressFor(auth: Auth, token: string): Promise<string | null>;
	/** Spends the token through `Auth`, and returns the account it was for. */
	spend(auth: Auth, token: string): Promise<User>;
	/** Where a success goes: the account page of its owner, or the login page for anyone else. */
	readonly done: { readonly owner: string; readonly others: string };
	/** What the page says when the token is refused. */
	refusal(error: AppError): string;
}

/** What a link that no longer works says (spent, expired, replaced by a newer one, or withdrawn). */
const NO_LONGER_VALID =
	"This link is no longer valid: it was used already, it expired, or a newer one replaced it.";

const LINKS: readonly Link[] = [
	{
		copy: {
			path: "/verify-email",
			title: "Confirm your email address",
			text: (address) => `Confirm that ${address} is yours.`,
			button: "Confirm my address",
		},
		addressFor: (auth, token) => auth.emailVerification.addressFor(token),
		spend: (auth, token) => auth.emailVerification.verify(token),
		done: { owner: "/account?notice=email-verified", others: "/login?notice=email-verified" },
		refusal: () => `${NO_LONGER_VALID} Ask for a new one from your account page.`,
	},
	{
		copy: {
			path: "/confirm-email",
			title: "Confirm your new email address",
			text: (address) =>
				`Someone logged in to an account asked to move it to ${address}. If it was you, confirm it.`,
			button: "Move my account to this address",
		},
		addressFor: (auth, token) => auth.emailChanges.addressFor(token),
		spend: (auth, token) => auth.emailChanges.confirm(token),
		done: { owner: "/account?notice=email-changed", others: "/login?notice=email-changed" },
		refusal: (error) =>
			error.code === "EMAIL_ALREADY_REGISTERED"
				? "Another account uses that address now, so yours was not moved."
				: NO_LONGER_VALID,
	},
];

/** The message of a link that arrived without its token (cut short by a mail client, say). */
const INCOMPLETE = "This link is incomplete: open it again from the email, whole.";

/** Routes of the pages the emailed links open. */
export const linkPageRoutes = new Hono<AppEnv>();

for (const link of LINKS) {
	linkPageRoutes
		.get(link.copy.path, async (c) => {
			const token = c.req.query("token") ?? "";
			const loggedIn = (await c.var.sessionCookie.forPage()) !== null;
			const address = token === "" ? null : await link.addressFor(c.var.auth, token);
			const error =
				token === "" ? { message: INCOMPLETE } : address === null ? { message: NO_LONGER_VALID } : null;
			return renderPage(
				c,
				<ConfirmLinkPage
					copy={link.copy}
					token={token}
					address={address}
					error={error}
					loggedIn={loggedIn}
				/>,
				token === "" ? 400 : address === null ? 403 : 200,
			);
		})
		.post(link.copy.path, async (c) => {
			const form = await readForm(c);
			const visitor = await c.var.sessionCookie.forPage();
			const parsed = v.safeParse(TokenBody, form);
			const rerender = (message: string, status: 400 | 403, cause?: AppError) =>
				renderPage(
					c,
					<ConfirmLinkPage
						copy={link.copy}
						token={form.token ?? ""}
						address={null}
						error={{ message }}
						loggedIn={visitor !== null}
					/>,
					status,
					cause,
				);
			if (!parsed.success) {
				return rerender(INCOMPLETE, 400);
			}
			try {
				const owner = await link.spend(c.var.auth, parsed.output.token);
				return c.redirect(visitor?.user.id === owner.id ? link.done.owner : link.done.others, 303);
			} catch (error) {
				if (!isShown(error)) {
					throw error;
				}
				return rerender(link.refusal(error), error.status === 400 ? 400 : 403, error);
			}
		});
}
