/**
 * The emails the service sends, one function per kind, each with a plain-text and an HTML part built from
 * the same sentences. No hand-written MIME: the `send_email` binding assembles the message.
 *
 * @module
 */

/** A message ready for the `send_email` binding, but for its sender. */
export interface EmailContent {
	readonly to: string;
	readonly subject: string;
	readonly text: string;
	readonly html: string;
}

/** A paragraph of an email: text, or a link with the text that introduces it. */
type Block = string | { readonly lead: string; readonly href: string };

/** Escapes text for HTML content and attribute values. */
function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Formats a time in UTC, as the emails state when links expire. */
function utc(time: Date): string {
	return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Says how long until `expiresAt`, from `now`, in the largest whole unit. */
function validFor(expiresAt: Date, now: Date): string {
	const minutes = Math.round((expiresAt.getTime() - now.getTime()) / 60_000);
	if (minutes % (24 * 60) === 0) {
		const days = minutes / (24 * 60);
		return days === 1 ? "24 hours" : `${days} days`;
	}
	if (minutes % 60 === 0) {
		return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
	}
	return `${minutes} minutes`;
}

/** Builds both parts of an email to `to` from its paragraphs, with the same footer on every message. */
function compose(to: string, subject: string, blocks: readonly Block[]): EmailContent {
	const footer = `This message was sent to ${to} by an automated service; replies are not read.`;
	const all: Block[] = [...blocks, footer];
	const text = all
		.map((block) => (typeof block === "string" ? block : `${block.lead}\n${block.href}`))
		.join("\n\n");
	const paragraphs = all.map((block) =>
		typeof block === "string"
			? `<p>${escapeHtml(block)}</p>`
			: `<p>${escapeHtml(block.lead)}<br><a href="${escapeHtml(block.href)}">${escapeHtml(block.href)}</a></p>`,
	);
	const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${paragraphs.join("")}</body></html>`;
	return { to, subject, text: `${text}\n`, html };
}

/** The link that sets a new password, and when it expires. */
export function passwordResetEmail(to: string, link: string, expiresAt: Date, now: Date): EmailContent {
	return compose(to, "Reset your password", [
		"Someone, hopefully you, asked to reset the password of your account.",
		{ lead: "Choose a new password here:", href: link },
		`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}). Asking again replaces it.`,
		"If you did not ask, ignore this message: your password stays as it is.",
	]);
}

/** The link that proves the address is the account owner's. */
export function verificationEmail(to: string, link: string, expiresAt: Date, now: Date): EmailContent {
	return compose(to, "Confirm your email address", [
		"Please confirm that this address is yours.",
		{ lead: "Confirm it here:", href: link },
		`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}).`,
		"If you did not create an account, ignore this message.",
	]);
}

/** Tells the owner of a registered address that someone tried to sign up with it. */
export function addressTakenEmail(to: string, loginLink: string, resetLink: string): EmailContent {
	return compose(to, "Someone tried to sign up with your address", [
		"Someone tried to create an account with this email address, which already has one.",
		{ lead: "If it was you, log in instead:", href: loginLink },
		{ lead: "Or, if you forgot your password, reset it:", href: resetLink },
		"If it was not you, ignore this message: nothing has changed.",
	]);
}

/** The link that moves the account to this new address. */
export function changeEmailConfirmation(to: string, link: string, expiresAt: Date, now: Date): EmailContent {
	return compose(to, "Confirm your new email address", [
		"Someone logged in to an account asked to move it to this address.",
		{ lead: "If it was you, confirm the change here:", href: link },
		`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}). Until then, the account keeps its old address.`,
		"If it was not you, do not follow the link: ignore this message and nothing changes.",
	]);
}

/**
 * Masks an address for a message to another mailbox: its first character, then the domain
 * (`n•••@example.com`). The old mailbox learns that the account moved, not where: whoever reads it
 * without being the owner gets nothing to aim at.
 */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf("@");
	return `${[...email.slice(0, Math.max(at, 0))][0] ?? ""}\u2022\u2022\u2022${email.slice(at)}`;
}

/** Tells the old address that the account has moved to another. */
export function emailChangedNotice(to: string, newEmail: string): EmailContent {
	return compose(to, "Your account's email address was changed", [
		`The account that used this address now uses ${maskEmail(newEmail)}: the change was confirmed from a link sent there.`,
		"If you did not make this change, someone else may hold your account: this address no longer signs in to it. Contact the service's operator.",
	]);
}

/** Tells the owner of the old address that a change was asked for. */
export function changeEmailNotice(to: string, newEmail: string): EmailContent {
	return compose(to, "A change of your email address was requested", [
		`Someone logged in to your account asked to change its address to ${maskEmail(newEmail)}. It changes only once the link sent there is followed.`,
		"If it was not you, change your password now and end your other sessions.",
	]);
}

/** Tells the owner of an address that another account asked to move to it (and could not). */
export function addressInUseEmail(to: string): EmailContent {
	return compose(to, "Your address was entered for another account", [
		"Someone asked to move another account to this email address. Your address already belongs to an account, so nothing has changed.",
		"You need not do anything.",
	]);
}
