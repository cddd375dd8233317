/**
 * Changes of address: the logged-in user asks (with their password) to move the account to a new
 * address, which changes only when a link sent to that address is followed, so a mistyped address cannot
 * take the account. The change belongs to the session that asked: when that session ends (a logout, a
 * password change or reset ends them all), the change and its link go too, so an attacker holding a
 * stolen session cannot finish it once the owner has reacted to the notice. In `email` mode the answer is
 * the same whether the new address is free or taken; the owner of a taken one is told instead, and the
 * account's current address gets a notice either way, and another once the change is confirmed.
 *
 * @module
 */
import { IntegrityError } from "../db/errors";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import type { AuthContext, Handout } from "./context";
import type { Credentials } from "./credentials";
import { wellFormedEmail } from "./email";
import { type IssuedToken, issueEmailToken } from "./email-tokens";
import { digestSecret, newPublicId } from "./secrets";
import type { Session } from "./sessions";
import type { Throttle } from "./throttle";
import type { TokenHandout } from "./token-handout";

/** What the email consumer should send for a change of address. */
export type ChangeToSend =
	/** The new address is free: a confirmation link to it, for this change of this user's. */
	| {
			readonly kind: "confirm";
			readonly newEmail: string;
			readonly user: User;
			readonly changeId: string;
	  }
	/** The new address has an account by now: its owner is told, and no link is sent. */
	| { readonly kind: "taken"; readonly newEmail: string };

/** Asks for, issues and confirms changes of address. */
export class EmailChanges {
	readonly #context: AuthContext;
	readonly #throttle: Throttle;
	readonly #credentials: Credentials;
	readonly #handout: TokenHandout;

	/** Builds the service over the request's context, its throttle, credential checks and token hand-out. */
	constructor(context: AuthContext, throttle: Throttle, credentials: Credentials, handout: TokenHandout) {
		this.#context = context;
		this.#throttle = throttle;
		this.#credentials = credentials;
		this.#handout = handout;
	}

	/**
	 * Asks to move the account of `current` to `newEmail`, after checking its password (throttled like a
	 * login), replacing any change asked for before. In `response` mode, issues the confirmation token and
	 * returns it; in `email` mode, queues the link and the notice and answers the same whether the
	 * address is free or not.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed address or the current one; `WRONG_PASSWORD`,
	 *   `TOO_MANY_REQUESTS`; in `response` mode `EMAIL_ALREADY_REGISTERED` for a taken address.
	 */
	async request(current: Session, password: string, newEmail: string): Promise<Handout> {
		const normalized = wellFormedEmail(newEmail);
		if (normalized === current.user.email) {
			throw new AppError("INVALID_INPUT", "the new email is the current one", {
				publicMessage: "new_email is the current email",
			});
		}
		const { db, events } = this.#context;
		const checked = await this.#credentials.confirm(current, password, "email_change.requested");
		await this.#throttle.forgive(checked.rules);
		await this.#handout.checkAddressFree(normalized);
		const change = { id: newPublicId(), newEmail: normalized };
		await db.email.startChange({
			...change,
			userId: checked.user.id,
			sessionId: current.key,
			createdAt: this.#context.now(),
		});
		await events.record({
			name: "email_change.requested",
			outcome: "success",
			email: checked.user.email,
			userId: checked.user.id,
		});
		return this.#handout.addressChange(checked.user, change, checked.user.email);
	}

	/**
	 * Returns the change of address the account of `current` is waiting to confirm (asked from any of its
	 * live sessions), or `null`.
	 */
	async pending(current: Session): Promise<{ readonly newEmail: string; readonly askedAt: Date } | null> {
		const change = await this.#context.db.email.pendingOf(current.user.id, this.#context.now());
		return change === null ? null : { newEmail: change.newEmail, askedAt: change.createdAt };
	}

	/**
	 * Sends the pending change's link again: in `email` mode a new link replaces the one sent before
	 * (throttled like a request for a verification link); in `response` mode the new token is returned.
	 * Returns `null` when there is no pending change.
	 *
	 * @throws {AppError} `TOO_MANY_REQUESTS` when the account asked too often lately.
	 */
	async resend(current: Session): Promise<Handout | null> {
		const { config, db } = this.#context;
		const change = await db.email.pendingOf(current.user.id, this.#context.now());
		if (change === null) {
			return null;
		}
		await this.#throttle.attempt("verify", current.user.email, config.resetLimits);
		return this.#handout.addressChange(current.user, { id: change.id, newEmail: change.newEmail }, null);
	}

	/** Withdraws the pending change of the account of `current`, and its link; returns whether there was one. */
	async cancel(current: Session): Promise<boolean> {
		const withdrawn = await this.#context.db.email.withdrawChanges(current.user.id);
		if (withdrawn) {
			await this.#context.events.record({
				name: "email_change.cancelled",
				outcome: "success",
				email: current.user.email,
				userId: current.user.id,
			});
		}
		return withdrawn;
	}

	/**
	 * For the email consumer: what to send for the pending change with this id; `null` when the change was
	 * withdrawn (its session ended, the account went, another change replaced it) or the account already
	 * has that address. Issues nothing: see {@link issueForEmail}.
	 */
	async toSend(changeId: string): Promise<ChangeToSend | null> {
		const { db } = this.#context;
		const pending = await db.email.pendingChange(changeId, this.#context.now());
		if (pending === null || pending.user.email === pending.change.newEmail) {
			return null;
		}
		const { newEmail } = pending.change;
		if ((await db.users.byEmail(newEmail)) !== null) {
			return { kind: "taken", newEmail };
		}
		return { kind: "confirm", newEmail, user: pending.user, changeId };
	}

	/** For the email consumer: issues the token of the confirmation link about to be sent for `change`. */
	async issueForEmail(change: Extract<ChangeToSend, { kind: "confirm" }>): Promise<IssuedToken> {
		return issueEmailToken(this.#context, {
			user: change.user,
			purpose: "change-email",
			format: this.#handout.secretFormat,
			change: { id: change.changeId, newEmail: change.newEmail },
		});
	}

	/** Returns the new address a confirmation token is for, spending nothing; `null` when it no longer works. */
	async addressFor(token: string): Promise<string | null> {
		return this.#context.db.email.addressOfToken(
			await digestSecret(token),
			"change-email",
			this.#context.now(),
		);
	}

	/**
	 * Spends a confirmation token: the account moves to the new address, verified; in `email` mode its old
	 * address is told. Returns the user.
	 *
	 * @throws {AppError} `INVALID_CONFIRMATION_TOKEN` when the token is unknown, spent or expired, or its
	 *   change was withdrawn; `EMAIL_ALREADY_REGISTERED` when another account took the address meanwhile
	 *   (nothing changes).
	 */
	async confirm(token: string): Promise<User> {
		const { db, events } = this.#context;
		let changed: { user: User; previousEmail: string } | null;
		try {
			changed = await db.email.changeAddress(await digestSecret(token), this.#context.now());
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new AppError("EMAIL_ALREADY_REGISTERED", "the new address was taken meanwhile", {
					cause: error,
				});
			}
			throw error;
		}
		if (changed === null) {
			throw new AppError("INVALID_CONFIRMATION_TOKEN");
		}
		const { user, previousEmail } = changed;
		await events.record({ name: "email.changed", outcome: "success", email: user.email, userId: user.id });
		await this.#handout.addressChanged(previousEmail, user.email);
		return user;
	}
}
