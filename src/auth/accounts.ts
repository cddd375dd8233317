/**
 * Accounts: registration, a password change by the logged-in user, and deletion.
 *
 * @module
 */
import type { Authority } from "../db/db";
import { IntegrityError } from "../db/errors";
import type { SecurityEventRow, User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext } from "./context";
import type { CheckedCredentials, Credentials } from "./credentials";
import { wellFormedEmail } from "./email";
import { checkNewPassword, hashNewPassword } from "./password";
import type { NewSession, Session, Sessions } from "./sessions";
import type { Throttle } from "./throttle";
import type { TokenHandout } from "./token-handout";

/**
 * Where a sign-up from the pages leads: "check your email" (`email` mode, registered or not), the
 * verification link to show (`response` mode when a verified address is required), or the account, logged
 * in on this device.
 */
export type SignUpStart =
	| { readonly next: "check-email" }
	| { readonly next: "verify-email"; readonly token: string }
	| { readonly next: "account"; readonly session: NewSession; readonly deviceCookie: string };

/**
 * What the account's recent activity lists: its newest own events (logins, changes, sessions ended) and,
 * apart, its newest counted rows of what anyone can cause (wrong passwords, throttling, reset requests).
 */
const RECENT_EVENTS = { own: 100, counted: 20 } as const;

/** Creates, changes and deletes accounts, and lists their recent activity. */
export class Accounts {
	readonly #context: AuthContext;
	readonly #throttle: Throttle;
	readonly #credentials: Credentials;
	readonly #handout: TokenHandout;
	readonly #sessions: Sessions;

	/**
	 * Builds the service over the request's context, its throttle, credential checks and token hand-out,
	 * and the sessions.
	 */
	constructor(
		context: AuthContext,
		throttle: Throttle,
		credentials: Credentials,
		handout: TokenHandout,
		sessions: Sessions,
	) {
		this.#context = context;
		this.#throttle = throttle;
		this.#credentials = credentials;
		this.#handout = handout;
		this.#sessions = sessions;
	}

	/**
	 * Creates a user with a bcrypt hash of `password` and returns it. The email is stored in normal form.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email or a password the policy refuses;
	 *   `EMAIL_ALREADY_REGISTERED`, with message `User <email> already exists`, for a taken email.
	 */
	async register(email: string, password: string): Promise<User> {
		const created = await this.#create(email, password);
		if ("taken" in created) {
			throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${created.taken} already exists`);
		}
		return created.user;
	}

	/**
	 * Signs a user up and returns the email in normal form. The token hand-out follows up: in `response`
	 * mode a taken address is refused; in `email` mode it is answered exactly like a new one, so sign-up
	 * does not tell whether an address is registered: a new account is sent a verification link, the
	 * owner of a taken address a notice, with the same work (one hash, one insert, one job) either way.
	 *
	 * @throws {AppError} `INVALID_INPUT`, `TOO_MANY_REQUESTS`; in `response` mode `EMAIL_ALREADY_REGISTERED`.
	 */
	async signUp(email: string, password: string): Promise<string> {
		const outcome = await this.#create(email, password);
		await this.#handout.signedUp(outcome);
		return "taken" in outcome ? outcome.taken : outcome.user.email;
	}

	/**
	 * Signs a user up from the pages and says what comes next ({@link SignUpStart}): when tokens reach the
	 * mailbox only, "check your email" (registered or not); otherwise the verification token (when
	 * `REQUIRE_VERIFIED_EMAIL` forbids a login before it) or a session on this device, started as a login
	 * starts one.
	 *
	 * @throws {AppError} as {@link signUp}.
	 */
	async signUpAndStart(email: string, password: string): Promise<SignUpStart> {
		const { config, events } = this.#context;
		const outcome = await this.#create(email, password);
		await this.#handout.signedUp(outcome);
		if ("taken" in outcome || this.#handout.mailboxOnly) {
			return { next: "check-email" };
		}
		const { user } = outcome;
		if (config.requireVerifiedEmail) {
			const handout = await this.#handout.verification(user.email, user);
			await events.record({
				name: "verification.requested",
				outcome: "success",
				email: user.email,
				userId: user.id,
			});
			return handout.via === "response"
				? { next: "verify-email", token: handout.token }
				: { next: "check-email" };
		}
		const started = await this.#sessions.startAfterSignUp(user);
		if (started === null) {
			throw new Error("the account created a moment ago is gone");
		}
		return { next: "account", ...started };
	}

	/**
	 * Returns every problem of a sign-up's email and password, as the API would name them one at a time
	 * (`email is invalid`, `password is too common`), checking nothing stored: a form shows them all at
	 * once. Empty when both are acceptable.
	 */
	signUpProblems(email: string, password: string): string[] {
		const problems: string[] = [];
		let normalized = "";
		try {
			normalized = wellFormedEmail(email);
		} catch (error) {
			problems.push(error instanceof AppError ? error.publicMessage : String(error));
		}
		try {
			checkNewPassword(this.#context.config, password, normalized);
		} catch (error) {
			problems.push(error instanceof AppError ? error.publicMessage : String(error));
		}
		return problems;
	}

	/**
	 * Creates a user with a hash of `password`, or finds its email taken. The email is stored in normal
	 * form; sign-ups are counted per client network before the bcrypt work.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed email or a password the policy refuses;
	 *   `TOO_MANY_REQUESTS` when the network has signed up too often lately.
	 */
	async #create(email: string, password: string): Promise<{ user: User } | { taken: string }> {
		const { config, events } = this.#context;
		const normalized = wellFormedEmail(email);
		checkNewPassword(config, password, normalized);
		// Counted before the bcrypt work, so a client cannot burn CPU with sign-ups.
		await this.#throttle.countSignUp();
		const hashedPassword = await hashNewPassword(config, password);
		// No lookup first: the unique index decides, in the same round trip as the insert, even for
		// concurrent sign-ups. A taken email therefore costs one hash, like a new one.
		try {
			const user = await this.#context.db.addUser(normalized, hashedPassword);
			await events.record({ name: "signup", outcome: "success", email: user.email, userId: user.id });
			return { user };
		} catch (error) {
			if (!(error instanceof IntegrityError)) {
				throw error;
			}
			await events.record({ name: "signup", outcome: "refused", email: normalized, detail: "taken" });
			return { taken: normalized };
		}
	}

	/**
	 * Returns the recent security events of the session's account, newest first: at most 100 of its own,
	 * and 20 rows of counted attempts by anyone, which therefore never push the account's own out of view.
	 */
	async recentEvents(current: Session): Promise<SecurityEventRow[]> {
		return this.#context.db.events.recent(current.user.id, RECENT_EVENTS);
	}

	/** The proof a sensitive change carries to its write: the checked hash, the asking session, the counters. */
	#authority(current: Session, checked: CheckedCredentials): Authority {
		return {
			userId: checked.user.id,
			verifiedHash: checked.user.hashedPassword,
			session: current.key,
			liveAt: this.#sessions.liveAt(),
			accountCounter: checked.rules.subject.key,
			networkCounter: checked.rules.network?.key ?? null,
		};
	}

	/**
	 * Changes the password of the session's user after checking the current one (throttled like a login).
	 * Every session of the user ends and this device gets a new one (returned, for the cookie), keeping
	 * the old one's absolute lifetime, with a device cookie of the new password generation; any reset token
	 * stops working. The write happens only if the
	 * password and the session are still those checked, so it cannot undo a reset that landed meanwhile.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a new password the policy refuses; `WRONG_PASSWORD` when
	 *   `currentPassword` is not theirs; `TOO_MANY_REQUESTS` when the account has failed too often lately;
	 *   `INVALID_SESSION` when the session ended or the password changed between the check and the write.
	 */
	async changePassword(
		current: Session,
		currentPassword: string,
		newPassword: string,
	): Promise<{ session: NewSession; deviceCookie: string }> {
		checkNewPassword(this.#context.config, newPassword, current.user.email);
		const checked = await this.#credentials.confirm(current, currentPassword, "password.changed");
		const replacement = await this.#sessions.create(checked.user, current.createdAt);
		const changed = await this.#context.db.users.changePassword(
			this.#authority(current, checked),
			await hashNewPassword(this.#context.config, newPassword),
			replacement.record,
		);
		if (!changed) {
			throw new AppError("INVALID_SESSION", "the session ended or the password changed during the change");
		}
		await this.#context.events.record({
			name: "password.changed",
			outcome: "success",
			email: checked.user.email,
			userId: checked.user.id,
		});
		// The change started a new password generation, which ends every device token of the account but
		// the one this device gets now.
		const renewed = { ...checked.user, passwordGeneration: checked.user.passwordGeneration + 1 };
		return { session: replacement.session, deviceCookie: await this.#sessions.deviceCookieFor(renewed) };
	}

	/**
	 * Deletes the account of the session's user after checking its password (throttled like a login),
	 * with every session and token it has.
	 *
	 * @throws {AppError} `WRONG_PASSWORD` when `password` is not theirs; `TOO_MANY_REQUESTS` when throttled;
	 *   `INVALID_SESSION` when the session ended or the password changed between the check and the write.
	 */
	async delete(current: Session, password: string): Promise<void> {
		const checked = await this.#credentials.confirm(current, password, "account.deleted");
		if (!(await this.#context.db.users.delete(this.#authority(current, checked)))) {
			throw new AppError("INVALID_SESSION", "the session ended or the password changed during the deletion");
		}
		await this.#context.events.record({
			name: "account.deleted",
			outcome: "success",
			email: checked.user.email,
		});
	}
}
