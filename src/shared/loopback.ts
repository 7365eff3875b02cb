/**
 * The project's one loopback rule: which addresses and host names can only mean this machine. The contract run
 * sends requests only to these without --live, and the emulator's admin API answers only callers at (and requests
 * addressed to) these. Loopback is 127.0.0.0/8 and ::1 in any spelling a socket or a URL may give them: the
 * IPv4-mapped forms (`::ffff:127.0.0.1`, which a dual-stack socket reports, and `::ffff:7f00:1`, which a URL
 * normalises it to) included; plus the name `localhost`, with or without the root's trailing dot.
 *
 * Only IP literals as Node's `isIP` reads them count: `0127.0.0.1` or `127.1` is no address (a URL normalises the
 * latter before it gets here), so nothing ambiguous is taken for this machine.
 */
import { BlockList, isIP } from "node:net";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** An IP address (bracketed or not) of this machine; BlockList matches IPv4-mapped IPv6 addresses against 127/8. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(plain);
  return family !== 0 && LOOPBACK.check(plain, family === 4 ? "ipv4" : "ipv6");
}

/** A host name (no port), as a URL or a Host header gives it, that can only mean this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === "localhost" || name === "localhost." || isLoopbackAddress(name);
}
