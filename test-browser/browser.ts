/**
 * What the browser tests share: Debian's Chromium driven by playwright-core, browser contexts that
 * refuse (and record) any request to a host other than the server's, an axe-core check of a page, and
 * screenshots of a page at a desktop and a phone width.
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where screenshots and accessibility findings go; CI keeps this folder. */
export const ARTIFACTS = path.join(ROOT, "artifacts");
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Starts headless Chromium: the system's, since Playwright cannot download its own here. */
export function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking"],
	});
}

/** A browser context for one person on one device, and what it tried to load from elsewhere. */
export interface Device {
	readonly context: BrowserContext;
	readonly page: Page;
	/** Requests to hosts other than the server's, which were refused. */
	readonly foreignRequests: string[];
	/** Errors the pages logged or threw (CSP violations among them). */
	readonly consoleErrors: string[];
}

/** Opens a new context (a device of its own: its own cookies) on `baseUrl`. */
export async function openDevice(
	browser: Browser,
	baseUrl: string,
	options: { javaScriptEnabled?: boolean; userAgent?: string } = {},
): Promise<Device> {
	const context = await browser.newContext({
		baseURL: baseUrl,
		viewport: { width: 1280, height: 900 },
		...options,
	});
	const host = new URL(baseUrl).host;
	const foreignRequests: string[] = [];
	await context.route("**/*", (route) => {
		const url = new URL(route.request().url());
		if (url.host === host) {
			return route.continue();
		}
		foreignRequests.push(url.href);
		return route.abort("blockedbyclient");
	});
	// A step that waits this long has failed: fail it now rather than at the test's timeout.
	context.setDefaultTimeout(5_000);
	const page = await context.newPage();
	const consoleErrors: string[] = [];
	page.on("console", (message) => {
		// An answer's 4xx status is logged too ("Failed to load resource"); the tests check statuses themselves.
		if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
			consoleErrors.push(message.text());
		}
	});
	page.on("pageerror", (error) => consoleErrors.push(String(error)));
	return { context, page, foreignRequests, consoleErrors };
}

/** One axe-core finding. */
interface Violation {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it is (WCAG 2.2 A and AA, and best practices), writes every finding to
 * `artifacts/axe/<name>.json`, and returns the serious and critical ones as `rule: targets` lines.
 */
export async function accessibilityProblems(page: Page, name: string): Promise<string[]> {
	// Evaluated through the DevTools protocol, which the pages' CSP (no inline script) does not govern.
	await page.evaluate(AXE_SOURCE);
	const violations = await page.evaluate(async () => {
		const axe = (
			window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }
		).axe;
		const result = (await axe.run(document, {
			runOnly: {
				type: "tag",
				values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
			},
		})) as { violations: unknown[] };
		return result.violations;
	});
	const found = (violations as Violation[]).map(({ id, impact, help, nodes }) => ({
		id,
		impact,
		help,
		nodes: nodes.map(({ target }) => ({ target })),
	}));
	const dir = path.join(ARTIFACTS, "axe");
	mkdirSync(dir, { recursive: true });
	writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(found, null, "\t")}\n`);
	return found
		.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Saves full-page screenshots of the page at 1280 and 375 px wide as `<name>-<width>.png`. */
export async function screenshots(page: Page, name: string): Promise<void> {
	const dir = path.join(ARTIFACTS, "screenshots");
	mkdirSync(dir, { recursive: true });
	const before = page.viewportSize();
	for (const width of [1280, 375]) {
		await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
		await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
	}
	if (before !== null) {
		await page.setViewportSize(before);
	}
}

/** Returns a problem line when the page is wider than a 320 px screen (it would scroll sideways). */
async function overflowAt320(page: Page): Promise<string[]> {
	const before = page.viewportSize();
	await page.setViewportSize({ width: 320, height: 640 });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	if (before !== null) {
		await page.setViewportSize(before);
	}
	return width > 320 ? [`wider than 320 px: ${width} px`] : [];
}

/**
 * Checks a page as a person would meet it: no serious or critical axe-core finding, nothing wider than a
 * 320 px screen; screenshots at 1280 and 375 px for review. Returns the problems found.
 */
export async function review(page: Page, name: string): Promise<string[]> {
	await screenshots(page, name);
	return [...(await overflowAt320(page)), ...(await accessibilityProblems(page, name))];
}

/** A unique address for one test. */
export function newEmail(label: string): string {
	return `${label}-${Date.now()}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/**
 * Clicks a button or link and waits until the page it leads to has loaded, so what the test reads next
 * is that page, not the one it left.
 */
export async function clickAndLoad(target: Locator): Promise<void> {
	await target.click();
	await target.page().waitForLoadState();
}
