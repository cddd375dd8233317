/**
 * The plan that brings stored emails to the service's normal form. Migration 0001 normalised them with
 * SQLite's `lower(trim(...))`, which lower-cases ASCII only and trims only spaces, while the service
 * (`normalizeEmail`) trims all Unicode white space and lower-cases every script. Rows stored before
 * validation existed can differ; `npm run db:normalize-emails` reports them, and fixes them on request.
 *
 * @module
 */
import { normalizeEmail } from "../src/auth/email";

/** A stored user's id and email. */
export interface StoredEmail {
	readonly id: number;
	readonly email: string;
}

/** A row whose email is not in normal form, and the form it should have. */
export interface EmailChange {
	readonly id: number;
	readonly from: string;
	readonly to: string;
}

/** What normalising the stored emails would do. */
export interface NormalizationPlan {
	/** Rows that can be updated: no other account has (or would have) their normal form. */
	readonly changes: EmailChange[];
	/** Rows whose normal form another account has or would have: an operator must merge or rename them. */
	readonly conflicts: (EmailChange & { readonly with: number[] })[];
}

/** Plans the normalisation of `rows`. */
export function planEmailNormalization(rows: readonly StoredEmail[]): NormalizationPlan {
	const byNormal = new Map<string, number[]>();
	for (const row of rows) {
		const normal = normalizeEmail(row.email);
		byNormal.set(normal, [...(byNormal.get(normal) ?? []), row.id]);
	}
	const changes: EmailChange[] = [];
	const conflicts: (EmailChange & { with: number[] })[] = [];
	for (const row of rows) {
		const to = normalizeEmail(row.email);
		if (to === row.email) {
			continue;
		}
		const others = (byNormal.get(to) ?? []).filter((id) => id !== row.id);
		if (others.length === 0) {
			changes.push({ id: row.id, from: row.email, to });
		} else {
			conflicts.push({ id: row.id, from: row.email, to, with: others });
		}
	}
	return { changes, conflicts };
}
