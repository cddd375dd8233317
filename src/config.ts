/**
 * Service configuration read from the Worker's variables, validated once per environment object so a
 * misconfigured deployment fails with a clear message instead of hashing with a surprising cost.
 *
 * @module
 */

/** Settings that {@link Auth} needs; tests build their own with a low bcrypt cost. */
export interface AuthConfig {
	/** bcrypt work factor (log2 of the number of rounds) for new password hashes. */
	readonly bcryptCost: number;
}

/** The range bcryptjs accepts for the work factor. */
export const BCRYPT_COST_RANGE = { min: 4, max: 31 } as const;

/** The cost used when `BCRYPT_COST` is not set. */
export const DEFAULT_BCRYPT_COST = 10;

/** The Worker variables the configuration is read from; all are optional strings. */
export interface ConfigVars {
	readonly BCRYPT_COST?: string;
}

/** Reads an integer variable, or returns `fallback` when it is unset, refusing anything out of range. */
function readInteger(
	name: string,
	raw: string | undefined,
	fallback: number,
	range: { min: number; max: number },
): number {
	if (raw === undefined || raw.trim() === "") {
		return fallback;
	}
	const value = Number(raw);
	if (!Number.isInteger(value) || value < range.min || value > range.max) {
		throw new RangeError(`${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`);
	}
	return value;
}

const cache = new WeakMap<ConfigVars, AuthConfig>();

/**
 * Returns the validated configuration for a Worker environment, parsing it on first use only.
 *
 * @throws {RangeError} when a variable holds a value out of its range.
 */
export function loadConfig(vars: ConfigVars): AuthConfig {
	let config = cache.get(vars);
	if (config === undefined) {
		config = {
			bcryptCost: readInteger("BCRYPT_COST", vars.BCRYPT_COST, DEFAULT_BCRYPT_COST, BCRYPT_COST_RANGE),
		};
		cache.set(vars, config);
	}
	return config;
}
