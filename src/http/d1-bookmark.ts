/**
 * Read replication, on the HTTP side: which D1 session a request starts, and the bookmark handed back so
 * the client's next request reads at least what this one wrote.
 *
 * The bookmark travels two ways: the `x-d1-bookmark` header (request and response), for API clients,
 * and a `d1_bookmark` cookie (`HttpOnly`, `SameSite=Lax`; written by `cookie.ts`) set after writes, for
 * browsers. A bookmark only
 * tells D1 how new the copy that answers must be: a forged or stale one changes which copy answers, never
 * which rows a query reads.
 *
 * @module
 */
import type { Context } from "hono";
import { Connection, type ReplicaStart } from "../db/connection";
import { readBookmarkCookie, writeBookmarkCookie } from "./cookie";
import { SAFE_METHODS } from "./cross-site";
import { setOnAnswer } from "./response-headers";

/** The header Cloudflare's read-replication template uses, in both directions. */
const BOOKMARK_HEADER = "x-d1-bookmark";

/** What a D1 bookmark looks like: four hex groups. Anything else is ignored rather than sent to D1. */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The newest well-formed bookmark the request carries, in its header or its cookie; `null` if none. */
function sentBookmark(c: Context): string | null {
	const candidates = [c.req.header(BOOKMARK_HEADER), readBookmarkCookie(c)].filter(
		(value): value is string => value != null && BOOKMARK.test(value),
	);
	// Bookmarks sort in commit order: the later of the two covers both.
	return candidates.sort().at(-1) ?? null;
}

/**
 * Where the request's D1 replica session starts: a read-only request at the client's bookmark (or anywhere when
 * it has none), any other at the primary.
 */
function replicaStart(c: Context): ReplicaStart {
	if (!SAFE_METHODS.has(c.req.method)) {
		return "first-primary";
	}
	return sentBookmark(c) ?? "first-unconstrained";
}

/** The request's connection to D1; its replica session opens on the first query, as {@link replicaStart} says. */
export function requestConnection<E extends { Bindings: Env }>(c: Context<E>): Connection {
	return new Connection(c.env.DB, () => replicaStart(c));
}

/**
 * Hands the session's bookmark back with a successful answer, if the request queried D1: in the header,
 * and in the cookie when the request wrote (a browser's next page must see the new session, password or
 * address, whichever replica answers it). A refused request changed nothing a read shows (a throttle
 * counter is only read by requests that write, at the primary), and an answer that must not depend on
 * whether an address is registered (`uniform`) must not show how many writes it took either: neither
 * gets a bookmark, since a bookmark counts writes.
 */
export function sendBookmark(c: Context, connection: Connection, uniform: boolean): void {
	const bookmark = connection.used ? connection.bookmark() : null;
	if (bookmark === null || uniform || c.res.status >= 400) {
		return;
	}
	setOnAnswer(c, BOOKMARK_HEADER, bookmark);
	if (connection.wrote) {
		writeBookmarkCookie(c, bookmark);
	}
}
