/**
 * The emails the service sends, one function per kind, all in one template: the service's name, a
 * heading, a few sentences, a button for the one thing to do (with the raw link below it, for clients that
 * show no button), and a footer that says why the recipient got it. The HTML part is readable on a
 * 375 px phone (a viewport, one narrow column, inline styles only, long links that wrap); the plain-text
 * part says the same. No hand-written MIME: the `send_email` binding assembles the message.
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

/** What every email says about the service that sends it. */
export interface Sender {
	/** The service's name (`SERVICE_NAME`), in the subject, above the heading and in the footer. */
	readonly serviceName: string;
}

/** One email, before it is laid out. */
interface Message {
	readonly subject: string;
	readonly before: readonly string[];
	/** The one thing to do, as a button (and the raw link under it). */
	readonly action?: { readonly text: string; readonly href: string };
	readonly after?: readonly string[];
	/** Ends the footer's "You got this email because …". */
	readonly why: string;
}

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

/**
 * Masks an address for a message to another mailbox: its first character, then the domain
 * (`n•••@example.com`). The old mailbox learns that the account moved, not where: whoever reads it
 * without being the owner gets nothing to aim at.
 */
export function maskEmail(email: string): string {
	const at = email.lastIndexOf("@");
	return `${[...email.slice(0, Math.max(at, 0))][0] ?? ""}\u2022\u2022\u2022${email.slice(at)}`;
}

/** The styles of the HTML part, inline (mail clients drop style sheets), in the pages' colours. */
const STYLE = {
	body: "margin:0;padding:0;background:#f3f5f8;",
	column:
		"max-width:560px;margin:0 auto;padding:24px 16px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1b1e23;",
	service: "margin:0 0 12px;font-weight:700;",
	card: "background:#ffffff;border:1px solid #c9ced6;border-radius:8px;padding:24px 20px;",
	heading: "margin:0 0 16px;font-size:20px;line-height:1.3;",
	paragraph: "margin:0 0 16px;",
	button:
		"display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;font-weight:600;text-decoration:none;border-radius:6px;",
	fallback: "margin:0 0 16px;font-size:14px;color:#4a5260;",
	link: "color:#1d4ed8;word-break:break-all;",
	footer: "margin:16px 4px 0;font-size:13px;color:#4a5260;",
} as const;

/** Lays out an email to `to` from `sender`: both parts, with the same words. */
function compose(sender: Sender, to: string, message: Message): EmailContent {
	const subject = `${sender.serviceName}: ${message.subject}`;
	const footer = `You got this email because ${message.why}. It was sent to ${to} by ${sender.serviceName}; replies are not read.`;
	const after = message.after ?? [];
	const text = [
		sender.serviceName,
		message.subject,
		...message.before,
		...(message.action === undefined ? [] : [`${message.action.text}:\n${message.action.href}`]),
		...after,
		"--",
		footer,
	].join("\n\n");
	const paragraphs = (lines: readonly string[]) =>
		lines.map((line) => `<p style="${STYLE.paragraph}">${escapeHtml(line)}</p>`).join("");
	const action =
		message.action === undefined
			? ""
			: `<p style="margin:24px 0;"><a href="${escapeHtml(message.action.href)}" style="${STYLE.button}">${escapeHtml(message.action.text)}</a></p><p style="${STYLE.fallback}">If the button does not work, copy this address into your browser:<br><a href="${escapeHtml(message.action.href)}" style="${STYLE.link}">${escapeHtml(message.action.href)}</a></p>`;
	const html = [
		'<!doctype html><html lang="en"><head><meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="color-scheme" content="light">',
		`<title>${escapeHtml(subject)}</title></head>`,
		`<body style="${STYLE.body}"><div style="${STYLE.column}">`,
		`<p style="${STYLE.service}">${escapeHtml(sender.serviceName)}</p>`,
		`<div style="${STYLE.card}"><h1 style="${STYLE.heading}">${escapeHtml(message.subject)}</h1>`,
		paragraphs(message.before),
		action,
		paragraphs(after),
		`</div><p style="${STYLE.footer}">${escapeHtml(footer)}</p>`,
		"</div></body></html>",
	].join("");
	return { to, subject, text: `${text}\n`, html };
}

/** The link that sets a new password, and when it expires. */
export function passwordResetEmail(
	sender: Sender,
	to: string,
	link: string,
	expiresAt: Date,
	now: Date,
): EmailContent {
	return compose(sender, to, {
		subject: "Reset your password",
		before: [`Someone, hopefully you, asked to reset the password of your ${sender.serviceName} account.`],
		action: { text: "Choose a new password", href: link },
		after: [
			`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}). Asking again replaces it.`,
			"If you did not ask, ignore this message: your password stays as it is.",
		],
		why: "someone asked to reset the password of the account that uses this address",
	});
}

/** The link that proves the address is the account owner's. */
export function verificationEmail(
	sender: Sender,
	to: string,
	link: string,
	expiresAt: Date,
	now: Date,
): EmailContent {
	return compose(sender, to, {
		subject: "Confirm your email address",
		before: [`Please confirm that this address is yours, so your ${sender.serviceName} account can use it.`],
		action: { text: "Confirm my address", href: link },
		after: [
			`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}).`,
			"If you did not create an account, ignore this message.",
		],
		why: "this address was used to create an account, or to ask for a confirmation link",
	});
}

/** Tells the owner of a registered address that someone tried to sign up with it. */
export function addressTakenEmail(
	sender: Sender,
	to: string,
	loginLink: string,
	resetLink: string,
): EmailContent {
	return compose(sender, to, {
		subject: "Someone tried to sign up with your address",
		before: ["Someone tried to create an account with this email address, which already has one."],
		action: { text: "Log in", href: loginLink },
		after: [
			`If you forgot your password, reset it: ${resetLink}`,
			"If it was not you, ignore this message: nothing has changed.",
		],
		why: "someone tried to create an account with this address, which already has one",
	});
}

/** The link that moves the account to this new address. */
export function changeEmailConfirmation(
	sender: Sender,
	to: string,
	link: string,
	expiresAt: Date,
	now: Date,
): EmailContent {
	return compose(sender, to, {
		subject: "Confirm your new email address",
		before: [`Someone logged in to an account on ${sender.serviceName} asked to move it to this address.`],
		action: { text: "Move my account here", href: link },
		after: [
			`The link works once and expires in ${validFor(expiresAt, now)} (at ${utc(expiresAt)}). Until then, the account keeps its old address.`,
			"If it was not you, do not follow the link: ignore this message and nothing changes.",
		],
		why: "this address was entered as the new address of an account",
	});
}

/** Tells the old address that the account has moved to another. */
export function emailChangedNotice(sender: Sender, to: string, newEmail: string): EmailContent {
	return compose(sender, to, {
		subject: "Your account's email address was changed",
		before: [
			`The account that used this address now uses ${maskEmail(newEmail)}: the change was confirmed from a link sent there.`,
			"If you did not make this change, someone else may hold your account: this address no longer signs in to it. Contact the service's operator.",
		],
		why: "your account used this address until now",
	});
}

/** Tells the owner of the old address that a change was asked for. */
export function changeEmailNotice(sender: Sender, to: string, newEmail: string): EmailContent {
	return compose(sender, to, {
		subject: "A change of your email address was requested",
		before: [
			`Someone logged in to your account asked to change its address to ${maskEmail(newEmail)}. It changes only once the link sent there is followed.`,
			"If it was not you, change your password now and end your other sessions.",
		],
		why: "this is your account's address",
	});
}

/** Tells the owner of an address that another account asked to move to it (and could not). */
export function addressInUseEmail(sender: Sender, to: string): EmailContent {
	return compose(sender, to, {
		subject: "Your address was entered for another account",
		before: [
			"Someone asked to move another account to this email address. Your address already belongs to an account, so nothing has changed.",
			"You need not do anything.",
		],
		why: "someone entered this address as the new address of another account",
	});
}
