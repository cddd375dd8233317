/**
 * Issuing the single-use tokens that emails carry (verification and change of address): one per purpose
 * per user (a new one replaces the old), stored as the SHA-256 digest of the token, expiring after
 * `VERIFICATION_TOKEN_TTL_SECONDS`.
 *
 * @module
 */
import type { TokenDelivery } from "../config";
import type { EmailTokenPurpose, User } from "../db/schema";
import { type AuthContext, secondsFromNow } from "./context";
import { digestSecret, newSecret } from "./secrets";

/** A token just issued for a user, to be sent to them, and when it expires. */
export interface IssuedToken {
	readonly user: User;
	readonly token: string;
	readonly expiresAt: Date;
}

/** What an email token is for. */
export interface TokenRequest {
	readonly user: User;
	readonly purpose: EmailTokenPurpose;
	/** Where it goes: `email` tokens are 256-bit; `response` ones the exercise's UUIDs. */
	readonly delivery: TokenDelivery;
	/** For a change of address: the pending change the token confirms, and its new address. */
	readonly change?: { readonly id: string; readonly newEmail: string };
}

/** Stores a new email token for `request.user`, replacing any earlier one of its purpose, and returns it. */
export async function issueEmailToken(context: AuthContext, request: TokenRequest): Promise<IssuedToken> {
	const token = newSecret(request.delivery);
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
