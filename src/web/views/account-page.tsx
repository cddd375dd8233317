/**
 * The account page: the address and whether it is verified (with a change of address waiting for its
 * link, to send again or cancel), the sessions ("Chrome on Linux", logged in "3 days ago"; a button to end
 * each, and one to end all others), the recent activity in sentences, and the forms that change the
 * password or the address, delete the account, or log out. Every action is a plain form that posts to
 * `/account/…` and comes back here (303) with a notice, or re-renders this page with the error.
 *
 * @module
 */
import { DevelopmentLink, ErrorSummary, Field, type FormError, Notice, passwordRule } from "./forms";
import { Page, useSite } from "./layout";
import { describeDevice, describeEvent, type EventShown, exactTime, relativeTime } from "./words";

/** A notice the account page was sent back with (`?notice=`), from a fixed list. */
export const ACCOUNT_NOTICES = {
	"password-changed": "Your password was changed. Your other sessions have ended.",
	"session-ended": "That session has ended.",
	"others-ended": "Your other sessions have ended.",
	"email-change-sent": "We sent a link to the new address. Your address changes once you follow it.",
	"email-change-cancelled": "The change of address is cancelled: its link no longer works.",
	"verification-sent": "We sent a link to your address. Follow it to verify the address.",
	"email-changed": "Your email address was changed.",
	"email-verified": "Your email address is verified.",
} as const;

/** A key of {@link ACCOUNT_NOTICES}. */
export type AccountNoticeKey = keyof typeof ACCOUNT_NOTICES;

/** Which form of the page an error belongs to. */
export type AccountForm = "password" | "email" | "delete" | "sessions" | "verification";

/** The account as the page shows it: the stored user has these fields. */
export interface AccountShown {
	readonly email: string;
	readonly emailVerifiedAt: Date | null;
}

/** One session as the page lists it: a session summary has these fields. */
export interface SessionShown {
	readonly publicId: string;
	readonly createdAt: Date;
	readonly lastUsedAt: Date;
	readonly userAgent: string | null;
	/** Whether it is the session the page is seen with. */
	readonly current: boolean;
}

/**
 * What the account page shows. The views name only what they render, so they import nothing from the
 * services or the database; the routes hand them the services' objects, which have these fields.
 */
export interface AccountPageProps {
	readonly user: AccountShown;
	readonly sessions: readonly SessionShown[];
	readonly events: readonly EventShown[];
	/** A change of address waiting for its link to be followed. */
	readonly pendingEmail: { readonly newEmail: string; readonly askedAt: Date } | null;
	readonly notice: AccountNoticeKey | null;
	/** An error of one of the forms, shown in that form and in the summary at the top. */
	readonly error: { form: AccountForm; error: FormError } | null;
	/** What the change-of-address form was sent with, kept when it failed. */
	readonly newEmail?: string;
	/** In `response` mode, a link the service would have emailed, shown instead (local development). */
	readonly developmentLink?: string | null;
	/** The password rule new passwords meet, stated on the form. */
	readonly passwordMinLength: number;
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

/** A moment as "3 hours ago", with the exact time on hover and for machines. */
function When({ time }: { time: Date }) {
	const { now } = useSite();
	return (
		<time datetime={time.toISOString()} title={exactTime(time)}>
			{relativeTime(time, now)}
		</time>
	);
}

/** A device by name ("Chrome on Linux"), its user agent on demand. */
function Device({ userAgent }: { userAgent: string | null }) {
	const name = describeDevice(userAgent);
	if (userAgent === null) {
		return <span>{name}</span>;
	}
	return (
		<details class="device">
			<summary>{name}</summary>
			<code>{userAgent}</code>
		</details>
	);
}

/** The address section: the address, its state, and a change of address waiting for its link. */
function AddressSection({ user, pendingEmail }: Pick<AccountPageProps, "user" | "pendingEmail">) {
	return (
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
			{pendingEmail === null ? null : (
				<div class="pending">
					<p>
						You asked to move your account to <strong>{pendingEmail.newEmail}</strong>{" "}
						<span class="quiet">
							(<When time={pendingEmail.askedAt} />)
						</span>
						. It moves once you follow the link we sent there.
					</p>
					<form method="post" action="/account/email/resend" class="inline">
						<button type="submit" class="secondary">
							Send the link again
						</button>
					</form>{" "}
					<form method="post" action="/account/email/cancel" class="inline">
						<button type="submit" class="secondary">
							Cancel the change
						</button>
					</form>
				</div>
			)}
		</section>
	);
}

/** The sessions of the account, with a button to end each and one to end all others. */
function SessionsSection({ sessions }: Pick<AccountPageProps, "sessions">) {
	const others = sessions.filter((session) => !session.current).length;
	return (
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
						{sessions.map((session) => (
							<tr>
								<td>
									<Device userAgent={session.userAgent} />
									{session.current ? <strong class="badge ok">this device</strong> : null}
								</td>
								<td data-label="Logged in" class="time">
									<When time={session.createdAt} />
								</td>
								<td data-label="Last used" class="time">
									<When time={session.lastUsedAt} />
								</td>
								<td>
									<form method="post" action="/account/sessions/end" class="inline">
										<input type="hidden" name="id" value={session.publicId} />
										<button type="submit" class="secondary">
											{session.current ? "Log out" : "End"}
											<span class="visually-hidden">{` the session of ${describeDevice(session.userAgent)}`}</span>
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
	);
}

/** The recent activity, in sentences: what anyone can cause in the warning colour, with its count. */
function ActivitySection({ events }: Pick<AccountPageProps, "events">) {
	const said = events.flatMap((event) => {
		const words = describeEvent(event);
		return words === null ? [] : [{ event, words }];
	});
	return (
		<section aria-labelledby="activity">
			<h2 id="activity">Recent activity</h2>
			{said.length === 0 ? (
				<p>Nothing yet.</p>
			) : (
				<ul class="activity">
					{said.map(({ event, words }) => (
						<li class={words.tone}>
							<span class="sentence">
								{words.sentence}
								{event.count > 1 ? ` (${event.count} times)` : ""}
							</span>{" "}
							<span class="quiet">
								<When time={event.createdAt} />
								{event.network === null ? "" : ` · from ${event.network}`}
								{event.userAgent === null ? "" : ` · ${describeDevice(event.userAgent)}`}
							</span>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}

/** Renders the account page. */
export function AccountPage(props: AccountPageProps) {
	const { user } = props;
	return (
		<Page title="Your account" loggedIn>
			<h1>Your account</h1>
			{props.notice === null ? null : <Notice>{ACCOUNT_NOTICES[props.notice]}</Notice>}
			<ErrorSummary error={props.error?.error ?? null} />
			{props.developmentLink ? <DevelopmentLink link={props.developmentLink} /> : null}

			<AddressSection user={user} pendingEmail={props.pendingEmail} />
			<SessionsSection sessions={props.sessions} />

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
						hint={`${passwordRule(props.passwordMinLength)} Your other sessions will end.`}
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

			<ActivitySection events={props.events} />

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
