/**
 * What counts as a development host: the one definition behind every rule that treats the developer's
 * machine apart. Plain HTTP is served there (elsewhere it is redirected to HTTPS), cookies go without
 * `Secure` only when served in the clear there, and `response` mode hands tokens out there only.
 *
 * A development host is `localhost` or a name under `.localhost` (RFC 6761), a loopback or unspecified
 * address (`127.0.0.0/8`, `::1`, `0.0.0.0`, `::`: the exercise's clients call `http://0.0.0.0:5000`), or
 * an address of a private or link-local range (`10/8`, `172.16/12`, `192.168/16`, `169.254/16`,
 * `fc00::/7`, `fe80::/10`: a phone on the LAN opening the laptop's `wrangler dev`). None of them can be
 * reached from the Internet, so none of them is where a deployment answers.
 *
 * @module
 */

/** The IPv4 ranges of development hosts, as `[network as a 32-bit number, prefix length]`. */
const LOCAL_V4: readonly (readonly [number, number])[] = [
	[0x7f000000, 8], // 127.0.0.0/8 loopback
	[0x00000000, 32], // 0.0.0.0 unspecified
	[0x0a000000, 8], // 10.0.0.0/8
	[0xac100000, 12], // 172.16.0.0/12
	[0xc0a80000, 16], // 192.168.0.0/16
	[0xa9fe0000, 16], // 169.254.0.0/16 link-local
];

/** Parses dotted-quad IPv4 as a 32-bit number, or `null`. */
function ipv4(text: string): number | null {
	const parts = text.split(".");
	if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
		return null;
	}
	return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** Tells whether a 32-bit IPv4 address is in a development range. */
function isLocalV4(address: number): boolean {
	return LOCAL_V4.some(([network, prefix]) => {
		const size = 2 ** (32 - prefix);
		return address - (address % size) === network;
	});
}

/** Parses IPv6 (without brackets) into its eight 16-bit groups, or `null`. */
function ipv6(text: string): number[] | null {
	let head = text;
	let tailV4: number[] = [];
	// An IPv4 tail (::ffff:192.0.2.1) is two groups.
	const lastColon = text.lastIndexOf(":");
	if (text.includes(".", lastColon)) {
		const v4 = ipv4(text.slice(lastColon + 1));
		if (v4 === null) {
			return null;
		}
		tailV4 = [Math.floor(v4 / 65536), v4 % 65536];
		head = `${text.slice(0, lastColon + 1)}0:0`;
	}
	const halves = head.split("::");
	if (halves.length > 2) {
		return null;
	}
	const groupsOf = (part: string | undefined) => (part === undefined || part === "" ? [] : part.split(":"));
	const left = groupsOf(halves[0]);
	const right = groupsOf(halves[1]);
	const missing = 8 - left.length - right.length;
	if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
		return null;
	}
	const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
	if (groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) {
		return null;
	}
	const numbers = groups.map((group) => Number.parseInt(group, 16));
	return tailV4.length === 0 ? numbers : [...numbers.slice(0, 6), ...tailV4];
}

/** Tells whether eight IPv6 groups are a development address. */
function isLocalV6(groups: readonly number[]): boolean {
	const [first = 0] = groups;
	const allZeroBut = (last: number) => groups.slice(0, 7).every((g) => g === 0) && groups[7] === last;
	if (allZeroBut(0) || allZeroBut(1)) {
		return true; // :: unspecified, ::1 loopback
	}
	// ::ffff:a.b.c.d is that IPv4 address.
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		return isLocalV4((groups[6] ?? 0) * 65536 + (groups[7] ?? 0));
	}
	return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // fc00::/7 unique local, fe80::/10
}

/**
 * Tells whether a host name (as `URL.hostname` gives it: IPv6 in brackets, lower case) is a development
 * host; see the module's description.
 */
export function isLocalHost(hostname: string): boolean {
	const name = hostname.toLowerCase().replace(/\.$/, "");
	if (name === "localhost" || name.endsWith(".localhost")) {
		return true;
	}
	if (name.startsWith("[") && name.endsWith("]")) {
		const groups = ipv6(name.slice(1, -1));
		return groups !== null && isLocalV6(groups);
	}
	const v4 = ipv4(name);
	return v4 !== null && isLocalV4(v4);
}

/**
 * Tells whether a request URL is plain HTTP to a development host: the one case served in the clear,
 * whose cookies therefore go without `Secure`. An HTTPS URL is never parsed.
 */
export function isClearLocal(url: string): boolean {
	return url.startsWith("http:") && isLocalHost(new URL(url).hostname);
}
