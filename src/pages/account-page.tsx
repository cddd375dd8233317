/**
 * The account page: the address and whether it is verified, the sessions (with a button to end each,
 * and one to end all others), the recent activity, and the forms that change the password or the
 * address, delete the account, or log out. Every action is a plain form that posts to `/account/…` and
 * comes back here (303) with a notice, or re-renders this page with the error.
 *
 * @module
 */
import type { SessionSummary } from "../auth/auth";
import type { SecurityEventRow, User } from "../db/schema";
import { ErrorSummary, Field, type FormError, Notice } from "./forms";
import { Page } from "./layout";

/** A notice the account page was sent back with (`?notice=`), from a fixed list. */
export const ACCOUNT_NOTICES = {
	"password-changed": "Your password was changed. Your other sessions have ended.",
	"session-ended": "That session has ended.",
	"others-ended": "Your other sessions have ended.",
	"email-change-sent": "We sent a link to the new address. Your address changes once you follow it.",
	"verification-sent": "We sent a link to your address. Follow it to verify the address.",
	"email-changed": "Your email address was changed.",
	"email-verified": "Your email address is verified.",
} as const;

/** A key of {@link ACCOUNT_NOTICES}. */
export type AccountNoticeKey = keyof typeof ACCOUNT_NOTICES;

/** Which form of the page an error belongs to. */
export type AccountForm = "password" | "email" | "delete" | "sessions" | "verification";

/** What the account page shows. */
export interface AccountPageProps {
	readonly user: User;
	readonly sessions: readonly SessionSummary[];
	readonly events: readonly SecurityEventRow[];
	readonly notice: AccountNoticeKey | null;
	/** An error of one of the forms, shown in that form and in the summary at the top. */
	readonly error: { form: AccountForm; error: FormError } | null;
	/** What the change-of-address form was sent with, kept when it failed. */
	readonly newEmail?: string;
	/** In `response` mode, a link the service would have emailed, shown instead (local development). */
	readonly developmentLink?: { readonly label: string; readonly href: string } | null;
}

/** A time as the page shows it: date and minute, in UTC. */
function when(time: Date): string {
	return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A user agent shortened for a table cell. */
function device(userAgent: string | null): string {
	if (userAgent === null) {
		return "Unknown device";
	}
	return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
}

/** The error of `form`, if the page shows one. */
function errorOf(props: AccountPageProps, form: AccountForm): FormError | null {
	return props.error?.form === form ? props.error.error : null;
}

/**
 * The account's address in a hidden field of a form that asks for a password, so a password manager knows
 * which saved login the password belongs to (and updates the right one on a change). It has no name: it
 * is not sent.
 */
function UsernameForPasswordManagers({ email }: { email: string }) {
	return <input type="email" autocomplete="username" value={email} readonly hidden />;
}

/** Renders the account page. */
export function AccountPage(props: AccountPageProps) {
	const { user } = props;
	const others = props.sessions.filter((session) => !session.current).length;
	return (
		<Page title="Your account" loggedIn>
			<h1>Your account</h1>
			{props.notice === null ? null : <Notice>{ACCOUNT_NOTICES[props.notice]}</Notice>}
			<ErrorSummary error={props.error?.error ?? null} />
			{props.developmentLink ? (
				<div class="dev-note" role="note">
					<p>
						<strong>Local development:</strong> {props.developmentLink.label}
					</p>
					<p>
						<a href={props.developmentLink.href}>{props.developmentLink.href}</a>
					</p>
				</div>
			) : null}

			<section aria-labelledby="address">
				<h2 id="address">Email address</h2>
				<p>
					<strong>{user.email}</strong>{" "}
					{user.emailVerifiedAt === null ? (
						<span class="badge warn">not verified</span>
					) : (
						<span class="badge ok">verified</span>
					)}
				</p>
				{user.emailVerifiedAt === null ? (
					<form method="post" action="/account/verification">
						<button type="submit" class="secondary">
							Send me a verification link
						</button>
					</form>
				) : null}
			</section>

			<section aria-labelledby="sessions">
				<h2 id="sessions">Where you are logged in</h2>
				<div class="table-scroll">
					<table class="sessions">
						<thead>
							<tr>
								<th scope="col">Device</th>
								<th scope="col">Logged in</th>
								<th scope="col">Last used</th>
								<th scope="col">
									<span class="visually-hidden">Action</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{props.sessions.map((session) => (
								<tr>
									<td>
										{device(session.userAgent)}
										{session.current ? <strong class="badge ok">this device</strong> : null}
									</td>
									<td data-label="Logged in">{when(session.createdAt)}</td>
									<td data-label="Last used">{when(session.lastUsedAt)}</td>
									<td>
										<form method="post" action="/account/sessions/end" class="inline">
											<input type="hidden" name="id" value={session.publicId} />
											<button type="submit" class="secondary">
												{session.current ? "Log out" : "End"}
												<span class="visually-hidden">{` the session of ${device(session.userAgent)}`}</span>
											</button>
										</form>
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
				{others > 0 ? (
					<form method="post" action="/account/sessions/end-others">
						<button type="submit" class="secondary">
							End all other sessions ({others})
						</button>
					</form>
				) : null}
			</section>

			<section aria-labelledby="password-title">
				<h2 id="password-title">Change your password</h2>
				<form method="post" action="/account/password" novalidate>
					<UsernameForPasswordManagers email={user.email} />
					<Field
						name="current_password"
						type="password"
						autocomplete="current-password"
						error={errorOf(props, "password")}
					/>
					<Field
						name="new_password"
						type="password"
						autocomplete="new-password"
						error={errorOf(props, "password")}
						hint="Your other sessions will end."
					/>
					<button type="submit">Change password</button>
				</form>
			</section>

			<section aria-labelledby="email-title">
				<h2 id="email-title">Change your email address</h2>
				<form method="post" action="/account/email" novalidate>
					<UsernameForPasswordManagers email={user.email} />
					<Field
						name="new_email"
						type="email"
						autocomplete="email"
						value={props.newEmail}
						error={errorOf(props, "email")}
						hint="We send a link to the new address; your address changes once you follow it."
					/>
					<Field
						name="password"
						id="email-password"
						type="password"
						autocomplete="current-password"
						error={errorOf(props, "email")}
					/>
					<button type="submit">Send the link</button>
				</form>
			</section>

			<section aria-labelledby="activity">
				<h2 id="activity">Recent activity</h2>
				{props.events.length === 0 ? (
					<p>Nothing yet.</p>
				) : (
					<ul class="activity">
						{props.events.map((event) => (
							<li>
								<span class={`outcome ${event.outcome}`}>{event.event.replaceAll(/[._]/g, " ")}</span>
								{event.count > 1 ? ` (${event.count} times)` : null}{" "}
								<span class="quiet">
									{event.outcome} · {when(event.createdAt)}
									{event.network === null ? "" : ` · from ${event.network}`}
								</span>
							</li>
						))}
					</ul>
				)}
			</section>

			<section aria-labelledby="delete-title" class="danger">
				<h2 id="delete-title">Delete your account</h2>
				<p>This deletes the account, its sessions and its history at once. It cannot be undone.</p>
				<form method="post" action="/account/delete" novalidate>
					<UsernameForPasswordManagers email={user.email} />
					<Field
						name="password"
						id="delete-password"
						type="password"
						autocomplete="current-password"
						error={errorOf(props, "delete")}
					/>
					<button type="submit" class="danger">
						Delete my account
					</button>
				</form>
			</section>
		</Page>
	);
}
