/**
 * What the pages say about stored facts, in words a person reads: a browser's user agent as
 * "Chrome on Linux", a time as "3 hours ago", a security event as "Someone entered a wrong password".
 * Pure functions of their inputs (and of `now`), so a page renders the same for the same data.
 *
 * @module
 */

/** Browsers, most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS: readonly (readonly [RegExp, string])[] = [
	[/\bEdg(?:e|A|iOS)?\//, "Edge"],
	[/\b(?:OPR|Opera)\//, "Opera"],
	[/\bSamsungBrowser\//, "Samsung Internet"],
	[/\b(?:Firefox|FxiOS)\//, "Firefox"],
	[/\b(?:Chrome|HeadlessChrome|CriOS|Chromium)\//, "Chrome"],
	[/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
	[/^curl\//, "curl"],
	[/^Wget\//, "Wget"],
	[/\b(?:node|undici)\b/i, "A Node.js script"],
	[/^python-requests\//, "A Python script"],
];

/** Systems, most specific first: an iPad may say "Mac OS X", Android says "Linux". */
const SYSTEMS: readonly (readonly [RegExp, string])[] = [
	[/\biPhone\b/, "iPhone"],
	[/\biPad\b/, "iPad"],
	[/\bAndroid\b/, "Android"],
	[/\bCrOS\b/, "ChromeOS"],
	[/\bWindows\b/, "Windows"],
	[/\bMac OS X\b|\bMacintosh\b/, "Mac"],
	[/\bLinux\b/, "Linux"],
];

/**
 * Names the device a user agent describes: "Chrome on Linux", "Safari on iPhone", "curl"; "Unknown
 * device" when there is none, and "A browser on Windows" or "An unknown browser" when it is not one this
 * knows. The raw string stays available to whoever asks (the page shows it on demand).
 */
export function describeDevice(userAgent: string | null): string {
	if (userAgent === null || userAgent.trim() === "") {
		return "Unknown device";
	}
	const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
	const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
	if (browser !== undefined && system !== undefined) {
		return `${browser} on ${system}`;
	}
	if (browser !== undefined) {
		return browser;
	}
	return system === undefined ? "An unknown browser" : `A browser on ${system}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Says `count` of `unit`, in the singular or plural. */
function plural(count: number, unit: string): string {
	return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/**
 * Says how long before `now` a moment was: "just now", "5 minutes ago", "3 hours ago", "yesterday",
 * "4 days ago", then the date ("on 2026-11-02"). A moment ahead of `now` (an expiry) reads "in 6 days".
 */
export function relativeTime(time: Date, now: Date): string {
	const ms = now.getTime() - time.getTime();
	if (ms < 0) {
		const ahead = -ms;
		return ahead < HOUR
			? `in ${plural(Math.max(1, Math.round(ahead / MINUTE)), "minute")}`
			: ahead < DAY
				? `in ${plural(Math.round(ahead / HOUR), "hour")}`
				: `in ${plural(Math.round(ahead / DAY), "day")}`;
	}
	if (ms < MINUTE) {
		return "just now";
	}
	if (ms < HOUR) {
		return `${plural(Math.floor(ms / MINUTE), "minute")} ago`;
	}
	if (ms < DAY) {
		return `${plural(Math.floor(ms / HOUR), "hour")} ago`;
	}
	if (ms < 2 * DAY) {
		return "yesterday";
	}
	if (ms < 30 * DAY) {
		return `${Math.floor(ms / DAY)} days ago`;
	}
	return `on ${time.toISOString().slice(0, 10)}`;
}

/** A time exactly, as shown on demand (the title of a relative one): date and minute, in UTC. */
export function exactTime(time: Date): string {
	return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** How an event reads: its sentence, and whether it deserves the owner's attention. */
export interface EventWords {
	readonly sentence: string;
	readonly tone: "ok" | "warn";
}

/**
 * What each event says, by `event:outcome` (and `:detail` where the detail changes the sentence). What
 * the owner did reads "You …"; what anyone can cause reads "Someone …" and is a warning.
 */
const SENTENCES: Readonly<Record<string, EventWords>> = {
	"signup:success": { sentence: "You created your account", tone: "ok" },
	"login:success": { sentence: "You logged in", tone: "ok" },
	"login:success:new-device": { sentence: "You logged in on a new device", tone: "ok" },
	"login:failure": { sentence: "Someone entered a wrong password", tone: "warn" },
	"login:refused": { sentence: "A login waited for the address to be confirmed", tone: "warn" },
	"throttled:refused": { sentence: "Attempts were refused after too many tries", tone: "warn" },
	"locked:refused": { sentence: "Too many wrong passwords: logins were paused for a while", tone: "warn" },
	"reset.requested:success": { sentence: "A password reset link was asked for", tone: "ok" },
	"reset.completed:success": { sentence: "The password was reset from a reset link", tone: "ok" },
	"verification.requested:success": { sentence: "A link to confirm the address was asked for", tone: "ok" },
	"email.verified:success": { sentence: "You confirmed your email address", tone: "ok" },
	"password.changed:success": { sentence: "You changed your password", tone: "ok" },
	"password.changed:failure": {
		sentence: "A password change was refused: the current password was wrong",
		tone: "warn",
	},
	"email_change.requested:success": {
		sentence: "You asked to move the account to a new address",
		tone: "ok",
	},
	"email_change.requested:failure": {
		sentence: "An address change was refused: the password was wrong",
		tone: "warn",
	},
	"email_change.cancelled:success": { sentence: "You cancelled a change of address", tone: "ok" },
	"email.changed:success": { sentence: "The account moved to a new address", tone: "ok" },
	"session.ended:success": { sentence: "You logged out", tone: "ok" },
	"session.revoked:success": { sentence: "You ended a session", tone: "ok" },
	"sessions.ended_others:success": { sentence: "You ended your other sessions", tone: "ok" },
	"sessions.ended_all:success": { sentence: "You logged out everywhere", tone: "ok" },
	"account.deleted:failure": {
		sentence: "An account deletion was refused: the password was wrong",
		tone: "warn",
	},
};

/** One stored security event as the page tells it: a stored event row has these fields. */
export interface EventShown {
	readonly event: string;
	readonly outcome: string;
	/** What sets this event apart from others of its kind (`new-device`), if anything. */
	readonly detail: string | null;
	/** How many times it happened in its window (counted events). */
	readonly count: number;
	readonly createdAt: Date;
	readonly network: string | null;
	readonly userAgent: string | null;
}

/** Events the page leaves out: their sentence would repeat another's (a login says its device is new). */
const UNSAID: ReadonlySet<string> = new Set(["device.remembered"]);

/**
 * Returns how an event reads, or `null` for one the page leaves out. An event this does not know (a
 * newer one) reads as its name, so nothing recorded is hidden.
 */
export function describeEvent(event: Pick<EventShown, "event" | "outcome" | "detail">): EventWords | null {
	if (UNSAID.has(event.event)) {
		return null;
	}
	const key = `${event.event}:${event.outcome}`;
	return (
		(event.detail === null ? undefined : SENTENCES[`${key}:${event.detail}`]) ??
		SENTENCES[key] ?? {
			sentence: `${event.event.replaceAll(/[._]/g, " ")} (${event.outcome})`,
			tone: event.outcome === "success" ? "ok" : "warn",
		}
	);
}
