/**
 * What one benchmark run measured, as the budgets judge it and the report prints it.
 *
 * @module
 */

/** The figures of one route loaded for a fixed time. */
export interface Measurement {
	name: string;
	connections: number;
	rps: number;
	p50: number;
	p99: number;
	requests: number;
	/** Share of answers that were the expected one. */
	expectedShare: number;
	/** The workerd process's CPU time over the load window, divided by the requests completed. */
	cpuMsPerRequest: number;
}

/** A route of the service with what its budget compares it to. */
export type ServiceRoute =
	| { m: Measurement /** D1 round trips per request; 0 compares it to hello world. */; trips: number }
	| { m: Measurement /** The bcrypt operation it makes once. */; op: "hash" | "compare" };

/** The peer's routes in one hashing variant. */
export interface PeerRun {
	hash: "scrypt" | "bcrypt";
	routes: Measurement[];
}

/** Raw and gzipped size of an upload, in bytes. */
export interface Size {
	rawBytes: number;
	gzipBytes: number;
}

/** Everything one run measured, and the conditions it ran in. */
export interface BenchResults {
	conditions: {
		date: string;
		machine: string;
		workerd: string;
		betterAuth: string;
		seconds: number;
		bcryptSeconds: number;
		seededUsers: number;
		peerUsers: number;
		bcryptCost: number;
		totalSeconds: number;
	};
	baseline: Measurement;
	d1Baseline: Measurement;
	routes: ServiceRoute[];
	peers: PeerRun[];
	bundles: { ours: Size; peer: Size };
	bcrypt: {
		/** Milliseconds of one operation at each cost, sync API. */
		costs: { cost: number; hashMs: number; compareMs: number }[];
		clockAdvancedMs: number;
		rounds: { round: number; mode: string; hashing: Measurement; cheap: Measurement }[];
		policy: { commonCheckMicros: number; prehashMicros: number };
	};
}
