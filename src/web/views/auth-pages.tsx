/**
 * The pages of someone who is not logged in: sign up, log in, forgot password, reset password, verify an
 * address and confirm a change of address, and the "check your email" page a request for a link leads
 * to. Each is a plain `<form method="post">` to its own path that works without a script; these
 * components only render.
 *
 * @module
 */
import { DevelopmentLink, ErrorSummary, Field, type FormError, Notice, passwordRule } from "./forms";
import { Page } from "./layout";

/** A notice a page was sent with (`?notice=`), from a fixed list, so no text is taken from the URL. */
export const NOTICES = {
	"logged-out": "You are logged out.",
	"password-reset": "Your password was changed. Log in with the new one.",
	"email-verified": "Your email address is verified.",
	"email-changed": "Your account's email address was changed. Log in with the new one.",
	"account-deleted": "Your account was deleted.",
	"session-ended": "Your session has ended. Log in again.",
	"signed-out":
		"You were logged out on this device: the session was ended from another device, by a change or reset of the password, or it expired. Log in again.",
	"several-cookies":
		"Your browser sent this site more than one session cookie, perhaps one set by another site of the same domain, so none was used. To be safe, delete this site's cookies in your browser's settings, then log in.",
} as const;

/** A key of {@link NOTICES}. */
export type NoticeKey = keyof typeof NOTICES;

/** The sign-up page; `passwordMinLength` states the rule up front. */
export function SignupPage(props: { email?: string; error: FormError | null; passwordMinLength: number }) {
	return (
		<Page title="Create an account" loggedIn={false}>
			<h1>Create an account</h1>
			<ErrorSummary error={props.error} />
			<form method="post" action="/signup" novalidate>
				<Field
					name="email"
					type="email"
					autocomplete="email"
					value={props.email}
					error={props.error}
					autofocus
				/>
				<Field
					name="password"
					type="password"
					autocomplete="new-password"
					error={props.error}
					hint={passwordRule(props.passwordMinLength)}
				/>
				<button type="submit">Create account</button>
			</form>
			<p>
				Already have an account? <a href="/login">Log in</a>.
			</p>
		</Page>
	);
}

/** The login page; `next` is where a successful login goes (a local path, already checked). */
export function LoginPage(props: {
	email?: string;
	error: FormError | null;
	next: string | null;
	notice: NoticeKey | null;
	/** The address may not be verified yet: offer a new confirmation link. */
	unverified?: boolean;
}) {
	const action = props.next === null ? "/login" : `/login?next=${encodeURIComponent(props.next)}`;
	return (
		<Page title="Log in" loggedIn={false}>
			<h1>Log in</h1>
			{props.notice === null ? null : <Notice>{NOTICES[props.notice]}</Notice>}
			<ErrorSummary error={props.error} />
			{props.unverified ? (
				<form method="post" action="/verify-email/send">
					<input type="hidden" name="email" value={props.email} />
					<button type="submit" class="secondary">
						Send me a new confirmation link
					</button>
				</form>
			) : null}
			<form method="post" action={action} novalidate>
				<Field
					name="email"
					type="email"
					autocomplete="email"
					value={props.email}
					error={props.error}
					autofocus
				/>
				<Field name="password" type="password" autocomplete="current-password" error={props.error} />
				<button type="submit">Log in</button>
			</form>
			<p>
				<a href="/forgot-password">Forgot your password?</a> · No account yet? <a href="/signup">Sign up</a>.
			</p>
		</Page>
	);
}

/** The page that asks for a reset link. */
export function ForgotPasswordPage({ email, error }: { email?: string; error: FormError | null }) {
	return (
		<Page title="Forgot your password?" loggedIn={false}>
			<h1>Forgot your password?</h1>
			<p>Enter your account's email address and we will send you a link to choose a new password.</p>
			<ErrorSummary error={error} />
			<form method="post" action="/forgot-password" novalidate>
				<Field name="email" type="email" autocomplete="email" value={email} error={error} autofocus />
				<button type="submit">Send the link</button>
			</form>
			<p>
				<a href="/login">Back to log in</a>
			</p>
		</Page>
	);
}

/** What a request for a link was for, which the "check your email" page words. */
export const SENT = {
	signup: "We sent a link to your address. Follow it to confirm the address, then log in.",
	reset: "If an account uses that address, we sent it a link to choose a new password.",
	verify: "If that address belongs to an account still to be verified, we sent it a new link.",
} as const;

/** A key of {@link SENT}. */
export type SentKey = keyof typeof SENT;

/**
 * "Check your email": where a request for a link leads (after a redirect, so a reload sends nothing
 * again), the same page whether or not the address is registered. In `response` mode (local
 * development) the link itself is shown instead, marked as such.
 */
export function CheckEmailPage(props: { sent: SentKey; developmentLink: string | null }) {
	const title = props.developmentLink === null ? "Check your email" : "Your link";
	return (
		<Page title={title} loggedIn={false}>
			<h1>{title}</h1>
			{props.developmentLink === null ? (
				<>
					<Notice>{SENT[props.sent]}</Notice>
					<p>The link works once and expires; if it does not arrive, check your spam folder or ask again.</p>
				</>
			) : (
				<DevelopmentLink link={props.developmentLink} />
			)}
		</Page>
	);
}

/** The page of a reset link: the new password, for the email and token the link carries. */
export function ResetPasswordPage(props: {
	email: string;
	token: string;
	error: FormError | null;
	passwordMinLength: number;
}) {
	return (
		<Page title="Choose a new password" loggedIn={false}>
			<h1>Choose a new password</h1>
			<ErrorSummary error={props.error} />
			<form method="post" action="/reset-password" novalidate>
				<input type="hidden" name="token" value={props.token} />
				<Field name="email" type="email" autocomplete="username" value={props.email} error={props.error} />
				<Field
					name="new_password"
					type="password"
					autocomplete="new-password"
					error={props.error}
					hint={passwordRule(props.passwordMinLength)}
					autofocus
				/>
				<button type="submit">Change my password</button>
			</form>
			<p>Every session of the account ends; you then log in with the new password.</p>
		</Page>
	);
}

/** The words of a link page: what it is for and what its button does, for the address it names. */
export interface LinkCopy {
	readonly path: "/verify-email" | "/confirm-email";
	readonly title: string;
	/** What the page asks, naming the address the link is for. */
	text(address: string): string;
	readonly button: string;
}

/**
 * The page of a link that proves an address: it names the address and has a button that spends the
 * token. Opening the link spends nothing, so a mail scanner that follows it does not use it up. A link
 * that no longer works says so, without the button.
 */
export function ConfirmLinkPage(props: {
	copy: LinkCopy;
	token: string;
	/** The address the link is for, or `null` when the link no longer works. */
	address: string | null;
	error: FormError | null;
	loggedIn: boolean;
}) {
	const { copy } = props;
	return (
		<Page title={copy.title} loggedIn={props.loggedIn}>
			<h1>{copy.title}</h1>
			<ErrorSummary error={props.error} />
			{props.address === null ? null : (
				<>
					<p>{copy.text(props.address)}</p>
					<form method="post" action={copy.path}>
						<input type="hidden" name="token" value={props.token} />
						<button type="submit">{copy.button}</button>
					</form>
				</>
			)}
		</Page>
	);
}
