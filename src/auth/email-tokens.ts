/**
 * Issuing the single-use tokens that prove control of an address: the reset token (one per user, on
 * `users`), and the tokens of verification and change-of-address links (one per purpose per user, in
 * `email_tokens`). A new one replaces the old; only the SHA-256 digest is stored; each expires.
 *
 * @module
 */
import type { EmailTokenPurpose, User } from "../db/schema";
import { type AuthContext, secondsFromNow } from "./context";
import { digestSecret, newSecret, type SecretFormat } from "./secrets";

/** A token just issued for a user, to be sent to them, and when it expires. */
export interface IssuedToken {
	readonly user: User;
	readonly token: string;
	readonly expiresAt: Date;
}

/** A pending change of address: its id, and the address it moves the account to. */
export interface AddressChange {
	readonly id: string;
	readonly newEmail: string;
}

/** What an email token is for. */
export interface TokenRequest {
	readonly user: User;
	readonly purpose: EmailTokenPurpose;
	/** The form of the token (see `SecretFormat`). */
	readonly format: SecretFormat;
	/** For a change of address: the pending change the token confirms. */
	readonly change?: AddressChange;
}

/**
 * Stores a new email token for `request.user`, replacing any earlier one of its purpose, and returns it;
 * it expires after `VERIFICATION_TOKEN_TTL_SECONDS`.
 */
export async function issueEmailToken(context: AuthContext, request: TokenRequest): Promise<IssuedToken> {
	const token = newSecret(request.format);
	const expiresAt = secondsFromNow(context, context.config.verificationTokenTtlSeconds);
	await context.db.email.storeToken({
		id: await digestSecret(token),
		userId: request.user.id,
		purpose: request.purpose,
		newEmail: request.change?.newEmail ?? null,
		changeId: request.change?.id ?? null,
		createdAt: context.now(),
		expiresAt,
	});
	return { user: request.user, token, expiresAt };
}

/**
 * Stores a new reset token for `user`, replacing any earlier one, and returns it; it expires after
 * `RESET_TOKEN_TTL_SECONDS`.
 */
export async function issueResetToken(
	context: AuthContext,
	user: User,
	format: SecretFormat,
): Promise<IssuedToken> {
	const token = newSecret(format);
	const expiresAt = secondsFromNow(context, context.config.resetTokenTtlSeconds);
	await context.db.users.storeResetToken(user.id, await digestSecret(token), expiresAt);
	return { user, token, expiresAt };
}
