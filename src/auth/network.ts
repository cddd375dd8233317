/**
 * Client networks: what a client address counts as, for throttling (an IPv4 address, an IPv6 /64) and
 * for reporting (an IPv4 /24, an IPv6 /64), so neither counters nor logs depend on which address of a
 * subscriber's network a request came from.
 *
 * @module
 */

/**
 * Returns the network a client address is throttled as: an IPv4 address itself, an IPv6 address its /64
 * (one subscriber usually holds a whole /64, and could otherwise rotate through it).
 */
export function clientNetwork(ip: string): string {
	if (!ip.includes(":")) {
		return ip;
	}
	if (ip.includes(".")) {
		// An IPv4 address written as IPv6 (::ffff:192.0.2.1) is that IPv4 address.
		return ip.slice(ip.lastIndexOf(":") + 1);
	}
	const [head = "", tail, ...extra] = ip.toLowerCase().split("::");
	const headGroups = head === "" ? [] : head.split(":");
	const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
	const zeros = 8 - headGroups.length - tailGroups.length;
	const groups = [...headGroups, ...Array<string>(Math.max(zeros, 0)).fill("0"), ...tailGroups];
	const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16));
	if (extra.length > 0 || groups.length !== 8 || prefix.some((n) => !(n >= 0 && n <= 0xffff))) {
		return ip;
	}
	return `${prefix.map((n) => n.toString(16)).join(":")}::/64`;
}

/**
 * Returns the network a client address is reported as in logs and security events: an IPv4 address's
 * /24, an IPv6 address's /64 (enough to tell where a login came from, not who exactly).
 */
export function reportedNetwork(ip: string): string {
	const network = clientNetwork(ip);
	if (network.includes("/")) {
		return network;
	}
	const octets = network.split(".");
	return octets.length === 4 ? `${octets.slice(0, 3).join(".")}.0/24` : "unknown";
}
