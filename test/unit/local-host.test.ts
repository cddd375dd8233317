/** The one definition of a development host (src/local-host.ts), as a function. */
import { describe, expect, it } from "vitest";
import { isClearLocal, isLocalHost } from "../../src/local-host";

describe("isLocalHost", () => {
	it.each([
		"localhost",
		"LOCALHOST",
		"localhost.",
		"app.localhost",
		"127.0.0.1",
		"127.255.255.254",
		"0.0.0.0",
		"[::1]",
		"[::]",
		"[0:0:0:0:0:0:0:1]",
		"[::ffff:127.0.0.1]",
		"[::ffff:7f00:1]",
		"[::ffff:192.168.1.20]",
		"10.0.0.1",
		"172.16.0.1",
		"172.31.255.255",
		"192.168.1.20",
		"169.254.169.254",
		"[fc00::1]",
		"[fd12:3456:789a::1]",
		"[fe80::1]",
		"[febf::1]",
	])("counts %s as a development host", (hostname) => {
		expect(isLocalHost(hostname)).toBe(true);
	});

	it.each([
		"example.com",
		"auth.example.com",
		"localhost.example.com",
		"mylocalhost",
		"127.0.0.1.nip.io",
		"0.0.0.1",
		"1.0.0.127",
		"172.15.255.255",
		"172.32.0.1",
		"192.169.0.1",
		"100.64.0.1",
		"203.0.113.9",
		"8.8.8.8",
		"256.0.0.1",
		"10.0.0",
		"[2001:db8::1]",
		"[::2]",
		"[fec0::1]",
		"[::ffff:8.8.8.8]",
		"[1:2:3:4:5:6:7:8:9]",
		"[::1::]",
	])("does not count %s", (hostname) => {
		expect(isLocalHost(hostname)).toBe(false);
	});

	it("agrees with what the URL parser makes of the exercise's address and a LAN's", () => {
		expect(isLocalHost(new URL("http://0.0.0.0:5000/users").hostname)).toBe(true);
		expect(isLocalHost(new URL("http://[0::0]:5000/").hostname)).toBe(true);
		expect(isLocalHost(new URL("http://0x7f.1/").hostname)).toBe(true);
	});
});

describe("isClearLocal", () => {
	it("is plain HTTP to a development host only", () => {
		expect(isClearLocal("http://0.0.0.0:5000/users")).toBe(true);
		expect(isClearLocal("https://localhost:5000/")).toBe(false);
		expect(isClearLocal("http://auth.example.com/")).toBe(false);
	});
});
