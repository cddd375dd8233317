/**
 * Loading one route of a served worker with autocannon for a fixed time, and measuring what it cost the
 * workerd process that served it: req/s, latencies, the share of expected answers and CPU per request.
 *
 * @module
 */
import autocannon from "autocannon";
import { cpuSeconds } from "./proc";
import type { Measurement } from "./results";
import type { Served } from "./serve";

/** A route to load: a fixed request, or one made anew for each request by the functions given. */
export interface Load {
	name: string;
	path: string;
	method?: "GET" | "POST" | "PUT" | "DELETE";
	connections: number;
	expectStatus: number;
	/** Further test of an answer with the expected status. */
	expectBody?: (body: string) => boolean;
	headers?: Record<string, string>;
	/** A form-encoded body, as the service takes. */
	form?: () => Record<string, string>;
	/** A JSON body, as the peer takes. */
	json?: () => unknown;
	/** The whole `Cookie` header. */
	cookie?: () => string;
}

/**
 * Drives one route for `seconds` and returns its figures. The CPU time is the whole process's, so two
 * loads run at once on one worker each count the other's too.
 */
export async function measure(served: Served, load: Load, seconds: number): Promise<Measurement> {
	let expected = 0;
	const cpuBefore = cpuSeconds(served.pid);
	const result = await autocannon({
		url: served.url.href,
		connections: load.connections,
		duration: seconds,
		requests: [
			{
				method: load.method ?? "GET",
				path: load.path,
				setupRequest: (request) => {
					const headers: Record<string, string> = { ...load.headers };
					if (load.cookie) {
						headers.cookie = load.cookie();
					}
					if (load.form) {
						headers["content-type"] = "application/x-www-form-urlencoded";
						return { ...request, headers, body: new URLSearchParams(load.form()).toString() };
					}
					if (load.json) {
						headers["content-type"] = "application/json";
						return { ...request, headers, body: JSON.stringify(load.json()) };
					}
					return { ...request, headers };
				},
				onResponse: (status, body) => {
					if (status === load.expectStatus && (load.expectBody?.(body) ?? true)) {
						expected++;
					}
				},
			},
		],
	});
	const cpu = cpuSeconds(served.pid) - cpuBefore;
	const requests = result.requests.total;
	return {
		name: load.name,
		connections: load.connections,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		requests,
		expectedShare: requests === 0 ? 0 : expected / requests,
		cpuMsPerRequest: requests === 0 ? Number.NaN : (cpu * 1000) / requests,
	};
}
