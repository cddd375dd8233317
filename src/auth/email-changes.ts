/**
 * Changes of address: the logged-in user asks (with their password) to move the account to a new
 * address, which changes only when a link sent to that address is followed, so a mistyped address cannot
 * take the account. In `email` mode the answer is the same whether the new address is free or taken;
 * the owner of a taken one is told instead, and the old address gets a notice either way.
 *
 * @module
 */
import { IntegrityError } from "../db/errors";
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, type Handout, outboxOf, secondsFromNow } from "./context";
import type { PasswordChecks } from "./password-checks";
import type { IssuedToken } from "./password-resets";
import { digestSecret, newSecret } from "./secrets";
import type { Session } from "./sessions";

/** What the email consumer should send for a change of address. */
export type ChangeToSend =
	/** The new address is free: a confirmation link to it (and a notice to the old one). */
	| ({ readonly kind: "confirm"; readonly newEmail: string } & IssuedToken)
	/** The new address has an account by now: its owner is told, and the old address gets its notice. */
	| { readonly kind: "taken"; readonly user: User; readonly newEmail: string };

/** Asks for, issues and confirms changes of address. */
export class EmailChanges {
	readonly #context: AuthContext;
	readonly #checks: PasswordChecks;

	/** Builds the service over the request's context and the shared checks. */
	constructor(context: AuthContext, checks: PasswordChecks) {
		this.#context = context;
		this.#checks = checks;
	}

	/** Stores a new change token for `user` to `newEmail`, replacing any earlier one, and returns it. */
	async #issueFor(user: User, newEmail: string): Promise<IssuedToken> {
		const { config, db } = this.#context;
		const token = newSecret(config.tokenDelivery);
		const expiresAt = secondsFromNow(this.#context, config.verificationTokenTtlSeconds);
		await db.email.storeToken({
			id: await digestSecret(token),
			userId: user.id,
			purpose: "change-email",
			newEmail,
			createdAt: this.#context.now(),
			expiresAt,
		});
		return { user, token, expiresAt };
	}

	/**
	 * Asks to move the account of `current` to `newEmail`, after checking its password (throttled like a
	 * login). In `response` mode, issues the confirmation token and returns it; in `email` mode, queues the
	 * job and answers the same whether the address is free or not.
	 *
	 * @throws {AppError} `INVALID_INPUT` for a malformed address or the current one; `WRONG_PASSWORD`,
	 *   `TOO_MANY_REQUESTS`; in `response` mode `EMAIL_ALREADY_REGISTERED` for a taken address.
	 */
	async request(current: Session, password: string, newEmail: string): Promise<Handout> {
		const normalized = this.#checks.wellFormedEmail(newEmail);
		if (normalized === current.user.email) {
			throw new AppError("INVALID_INPUT", "the new email is the current one", {
				publicMessage: "new_email is the current email",
			});
		}
		const checked = await this.#checks.confirm(current, password, "email_change.requested");
		await this.#checks.forgive(checked);
		await this.#context.events.record({
			name: "email_change.requested",
			outcome: "success",
			email: checked.user.email,
			userId: checked.user.id,
		});
		if (this.#context.config.tokenDelivery === "email") {
			// Two jobs, so each email is sent (and retried) on its own: the link to the new address, the notice
			// to the current one.
			const job = { userId: checked.user.id, newEmail: normalized };
			await outboxOf(this.#context).sendAll([
				{ kind: "change-email", ...job },
				{ kind: "change-email-notice", ...job },
			]);
			return { via: "email" };
		}
		if ((await this.#context.db.users.byEmail(normalized)) !== null) {
			throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${normalized} already exists`);
		}
		return { via: "response", token: (await this.#issueFor(checked.user, normalized)).token };
	}

	/**
	 * For the email consumer: what to send for a change of the user with `userId` to `newEmail`, issuing
	 * the confirmation token when the address is free; `null` when the user is gone or already there.
	 */
	async issueForChange(userId: number, newEmail: string): Promise<ChangeToSend | null> {
		const { db } = this.#context;
		const user = await db.users.byId(userId);
		if (user === null || user.email === newEmail) {
			return null;
		}
		if ((await db.users.byEmail(newEmail)) !== null) {
			return { kind: "taken", user, newEmail };
		}
		return { kind: "confirm", newEmail, ...(await this.#issueFor(user, newEmail)) };
	}

	/** For the email consumer: the current address of the user with `userId`, or `null` when it is gone. */
	async currentAddressOf(userId: number): Promise<string | null> {
		return (await this.#context.db.users.byId(userId))?.email ?? null;
	}

	/**
	 * Spends a confirmation token: the account moves to the new address, verified. Returns the user.
	 *
	 * @throws {AppError} `INVALID_CONFIRMATION_TOKEN` when the token is unknown, spent or expired;
	 *   `EMAIL_ALREADY_REGISTERED` when another account took the address meanwhile (nothing changes).
	 */
	async confirm(token: string): Promise<User> {
		try {
			const user = await this.#context.db.email.changeAddress(await digestSecret(token), this.#context.now());
			if (user === null) {
				throw new AppError("INVALID_CONFIRMATION_TOKEN");
			}
			await this.#context.events.record({
				name: "email.changed",
				outcome: "success",
				email: user.email,
				userId: user.id,
			});
			return user;
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new AppError("EMAIL_ALREADY_REGISTERED", "the new address was taken meanwhile", {
					cause: error,
				});
			}
			throw error;
		}
	}
}
