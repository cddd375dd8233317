/**
 * How the tokens that prove an address (a reset, a verification link, a change of address) reach their
 * owner: the one strategy {@link TokenHandout}, chosen once per request from `TOKEN_DELIVERY`, which the
 * use cases call instead of asking which mode they run in.
 *
 * - {@link InResponse} (`response`, the original exercise, local development): the token is the answer
 *   (a UUID, as the exercise's clients expect), and an unknown or taken address says so.
 * - {@link ByEmail} (`email`, production): the request queues a job whose consumer issues the token and
 *   emails the link; every answer is the same whether or not an address is registered (and marks itself
 *   so, for the HTTP layer to send nothing that varies with the writes), and a link followed from the
 *   mailbox proves the mailbox.
 *
 * @module
 */
import type { User } from "../db/schema";
import { AppError } from "../errors";
import { type AuthContext, type Handout, outboxOf } from "./context";
import { type AddressChange, issueEmailToken, issueResetToken } from "./email-tokens";
import type { SecretFormat } from "./secrets";

/** What a sign-up came to: a new account, or an address already taken. */
export type SignUpOutcome = { readonly user: User } | { readonly taken: string };

/** How tokens reach their owner; see the module's description. */
export interface TokenHandout {
	/** The form of the secrets handed to clients: session ids as well as tokens. */
	readonly secretFormat: SecretFormat;
	/**
	 * Whether tokens reach the mailbox only (`email` mode): answers must then not tell whether an address
	 * is registered, and following a link proves the mailbox.
	 */
	readonly mailboxOnly: boolean;
	/**
	 * Follows a sign-up: a new account's verification link (by email), or, for a taken address, a notice
	 * to its owner (by email) or the refusal (in the answer).
	 *
	 * @throws {AppError} `EMAIL_ALREADY_REGISTERED` for a taken address, in the answer's mode.
	 */
	signedUp(outcome: SignUpOutcome): Promise<void>;
	/**
	 * Hands out a reset for the account with (normalised) `email`, `user` when it has one.
	 *
	 * @throws {AppError} `UNKNOWN_EMAIL` for an unknown address, in the answer's mode.
	 */
	reset(email: string, user: User | null): Promise<Handout>;
	/**
	 * Hands out a verification link for the account with (normalised) `email`, `user` when it has one.
	 *
	 * @throws {AppError} `UNKNOWN_EMAIL` for an unknown address, in the answer's mode.
	 */
	verification(email: string, user: User | null): Promise<Handout>;
	/**
	 * Checks, before a change of address is recorded, that the new address is free, where the answer may
	 * say so.
	 *
	 * @throws {AppError} `EMAIL_ALREADY_REGISTERED`, in the answer's mode.
	 */
	checkAddressFree(newEmail: string): Promise<void>;
	/**
	 * Hands out the confirmation of a change of `user`'s address; by email, the current address (`notify`,
	 * when given) is told too.
	 */
	addressChange(user: User, change: AddressChange, notify: string | null): Promise<Handout>;
	/** Tells the address an account had that it moved (by email; nothing to hand out otherwise). */
	addressChanged(previousEmail: string, newEmail: string): Promise<void>;
}

/** `response` mode: the token is the answer. */
class InResponse implements TokenHandout {
	readonly secretFormat = "uuid";
	readonly mailboxOnly = false;
	readonly #context: AuthContext;

	constructor(context: AuthContext) {
		this.#context = context;
	}

	async signedUp(outcome: SignUpOutcome): Promise<void> {
		if ("taken" in outcome) {
			throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${outcome.taken} already exists`);
		}
	}

	async reset(email: string, user: User | null): Promise<Handout> {
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${email} does not exist`);
		}
		const issued = await issueResetToken(this.#context, user, this.secretFormat);
		return { via: "response", token: issued.token };
	}

	async verification(email: string, user: User | null): Promise<Handout> {
		if (user === null) {
			throw new AppError("UNKNOWN_EMAIL", `User ${email} does not exist`);
		}
		const issued = await issueEmailToken(this.#context, {
			user,
			purpose: "verify-email",
			format: this.secretFormat,
		});
		return { via: "response", token: issued.token };
	}

	async checkAddressFree(newEmail: string): Promise<void> {
		if ((await this.#context.db.users.byEmail(newEmail)) !== null) {
			throw new AppError("EMAIL_ALREADY_REGISTERED", `User ${newEmail} already exists`);
		}
	}

	async addressChange(user: User, change: AddressChange): Promise<Handout> {
		const issued = await issueEmailToken(this.#context, {
			user,
			purpose: "change-email",
			format: this.secretFormat,
			change,
		});
		return { via: "response", token: issued.token };
	}

	async addressChanged(): Promise<void> {
		// The answer said it all.
	}
}

/** `email` mode: a job for the queue, whose consumer issues the token and sends the link. */
class ByEmail implements TokenHandout {
	readonly secretFormat = "base64url-256";
	readonly mailboxOnly = true;
	readonly #context: AuthContext;

	constructor(context: AuthContext) {
		this.#context = context;
	}

	/** Marks the answer as one that must not vary with whether an address is registered. */
	#answerAlike(): void {
		this.#context.answer.uniform = true;
	}

	async signedUp(outcome: SignUpOutcome): Promise<void> {
		this.#answerAlike();
		await outboxOf(this.#context).send(
			"taken" in outcome
				? { kind: "address-taken", email: outcome.taken }
				: { kind: "verify-email", email: outcome.user.email },
		);
	}

	async reset(email: string): Promise<Handout> {
		this.#answerAlike();
		// Whether the account exists is the consumer's to find out.
		await outboxOf(this.#context).send({ kind: "password-reset", email });
		return { via: "email" };
	}

	async verification(email: string): Promise<Handout> {
		this.#answerAlike();
		await outboxOf(this.#context).send({ kind: "verify-email", email });
		return { via: "email" };
	}

	async checkAddressFree(): Promise<void> {
		// A taken address is its owner's to be told, by the consumer; the answer is the same either way.
		this.#answerAlike();
	}

	async addressChange(_user: User, change: AddressChange, notify: string | null): Promise<Handout> {
		this.#answerAlike();
		// Separate jobs, so each email is sent (and retried) on its own. The notice carries the address the
		// account has now: if the change is confirmed before the notice goes out, it still goes there.
		await outboxOf(this.#context).sendAll([
			{ kind: "change-email", changeId: change.id },
			...(notify === null
				? []
				: [{ kind: "change-email-notice" as const, to: notify, newEmail: change.newEmail }]),
		]);
		return { via: "email" };
	}

	async addressChanged(previousEmail: string, newEmail: string): Promise<void> {
		await outboxOf(this.#context).send({ kind: "email-changed", to: previousEmail, newEmail });
	}
}

/** Returns the hand-out of the request's configuration (`TOKEN_DELIVERY`). */
export function tokenHandout(context: AuthContext): TokenHandout {
	return context.config.tokenDelivery === "email" ? new ByEmail(context) : new InResponse(context);
}
