/**
 * What Linux's `/proc` says about the workerd processes this benchmark starts: which they are, how much
 * CPU time each has used and how much memory each holds. Miniflare spawns one workerd process per
 * instance as a child of this Node process, and every isolate, the D1 simulator (a Durable Object on
 * SQLite) and the HTTP front of that instance run inside it.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Kernel clock ticks per second, the unit of the CPU times in `/proc/<pid>/stat`. */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** The fields of `/proc/<pid>/stat` after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The ids of the running workerd processes whose parent is this Node process. */
export function workerdChildren(): Set<number> {
	const found = new Set<number>();
	for (const entry of readdirSync("/proc")) {
		const pid = Number(entry);
		if (!Number.isInteger(pid)) {
			continue;
		}
		try {
			// Field 4 of stat (index 1 after the name) is the parent's id.
			if (Number(statFields(pid)[1]) !== process.pid) {
				continue;
			}
			if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd")) {
				found.add(pid);
			}
		} catch {
			// The process ended between the listing and the read.
		}
	}
	return found;
}

/** CPU seconds a process has used so far, in user and kernel mode together (utime + stime). */
export function cpuSeconds(pid: number): number {
	const fields = statFields(pid);
	// utime and stime are fields 14 and 15 of stat: indexes 11 and 12 after the name.
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A process's resident memory (VmRSS in `/proc/<pid>/status`), in bytes. */
export function rssBytes(pid: number): number {
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
	if (match?.[1] === undefined) {
		throw new Error(`no VmRSS for process ${pid}`);
	}
	return Number(match[1]) * 1024;
}
