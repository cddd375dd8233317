/** What the pages say about stored facts (src/web/views/words.ts): devices, times and events in words. */
import { describe, expect, it } from "vitest";
import { describeDevice, describeEvent, exactTime, relativeTime } from "../../src/web/views/words";

describe("describeDevice", () => {
	it.each([
		[
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36",
			"Chrome on Linux",
		],
		[
			"Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
			"Safari on iPhone",
		],
		[
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
			"Safari on Mac",
		],
		[
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
			"Firefox on Windows",
		],
		[
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36 Edg/146.0.0.0",
			"Edge on Windows",
		],
		[
			"Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Mobile Safari/537.36",
			"Chrome on Android",
		],
		[
			"Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/146.0 Mobile/15E148 Safari/604.1",
			"Chrome on iPad",
		],
		[
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
			"Chrome on Linux",
		],
		["curl/8.14.1", "curl"],
		["node", "A Node.js script"],
		["Mozilla/5.0 (X11; CrOS x86_64 16181.61.0) Gecko", "A browser on ChromeOS"],
		["device-1", "An unknown browser"],
		[null, "Unknown device"],
	])("names %j as %j", (userAgent, name) => {
		expect(describeDevice(userAgent)).toBe(name);
	});
});

describe("relativeTime", () => {
	const now = new Date("2026-12-06T12:00:00Z");
	const ago = (ms: number) => new Date(now.getTime() - ms);
	const minute = 60_000;
	it.each([
		[ago(10_000), "just now"],
		[ago(minute), "1 minute ago"],
		[ago(59 * minute), "59 minutes ago"],
		[ago(60 * minute), "1 hour ago"],
		[ago(23 * 60 * minute), "23 hours ago"],
		[ago(30 * 60 * minute), "yesterday"],
		[ago(3 * 24 * 60 * minute), "3 days ago"],
		[ago(45 * 24 * 60 * minute), "on 2026-10-22"],
		[new Date(now.getTime() + 6 * 24 * 60 * minute), "in 6 days"],
		[new Date(now.getTime() + 30_000), "in 1 minute"],
	])("says %s as %j", (time, words) => {
		expect(relativeTime(time, now)).toBe(words);
	});

	it("gives the exact time on demand, in UTC", () => {
		expect(exactTime(new Date("2026-12-06T09:05:59Z"))).toBe("2026-12-06 09:05 UTC");
	});
});

describe("describeEvent", () => {
	it.each([
		[{ event: "login", outcome: "success", detail: null }, "You logged in", "ok"],
		[{ event: "login", outcome: "success", detail: "new-device" }, "You logged in on a new device", "ok"],
		[{ event: "login", outcome: "failure", detail: null }, "Someone entered a wrong password", "warn"],
		[
			{ event: "locked", outcome: "refused", detail: "login:account" },
			"Too many wrong passwords: logins were paused for a while",
			"warn",
		],
		[{ event: "password.changed", outcome: "success", detail: null }, "You changed your password", "ok"],
		[{ event: "some.future_event", outcome: "refused", detail: null }, "some future event (refused)", "warn"],
	] as const)("says %j as %j (%s)", (event, sentence, tone) => {
		expect(describeEvent(event)).toEqual({ sentence, tone });
	});

	it("leaves out what another event already says", () => {
		expect(describeEvent({ event: "device.remembered", outcome: "success", detail: null })).toBeNull();
	});
});
