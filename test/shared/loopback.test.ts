/**
 * One loopback rule for the whole project (issue 24): the contract run (where it may send requests without --live)
 * and the emulator (who may use its admin API) used to keep a rule each, and they disagreed — the run refused the
 * IPv4-mapped loopback address and `localhost.`, which the emulator accepted; the emulator refused the IPv4-mapped
 * address in the hex form a URL normalises it to (`[::ffff:7f00:1]`). Loopback is the machine itself, in any spelling.
 */
import { describe, expect, it } from "vitest";
import { checkDestination } from "../../src/contract/outbound.js";
import { createEmulator } from "../../src/emulator/index.js";
import { isLoopbackAddress, isLoopbackHostname } from "../../src/shared/loopback.js";

const MACHINE = ["127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "::FFFF:127.9.9.9"];
const ELSEWHERE = ["128.0.0.1", "10.0.0.1", "::2", "[::2]", "::ffff:10.0.0.1", "::ffff:a00:1", "0127.0.0.1", "127.1", "127.0.0.1.example", "", "::"];

describe("the loopback rule (src/shared/loopback.ts)", () => {
  it("counts 127.0.0.0/8 and ::1 as loopback in every spelling, IPv4-mapped included", () => {
    for (const address of MACHINE) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ELSEWHERE) expect(isLoopbackAddress(address), address).toBe(false);
  });

  it("host names: localhost (with or without the root's trailing dot) and loopback addresses, nothing else", () => {
    for (const host of [...MACHINE, "localhost", "LOCALHOST", "localhost."]) expect(isLoopbackHostname(host), host).toBe(true);
    for (const host of [...ELSEWHERE, "127.example.com", "localhost.example.com", "tenant.eu.auth0.com"]) expect(isLoopbackHostname(host), host).toBe(false);
  });
});

describe("the contract run and the emulator agree on it", () => {
  const hosts = ["http://[::ffff:127.0.0.1]:8787", "http://localhost.:8787", "http://127.0.0.1:8787", "http://[::1]:8787"];

  it("a run without --live may send to every loopback spelling", () => {
    for (const origin of hosts) expect(() => checkDestination(new URL(`${origin}/api/v2/connections`), { live: false }), origin).not.toThrow();
    expect(() => checkDestination(new URL("http://[::ffff:10.0.0.1]:8787/api/v2"), { live: false })).toThrow("only talks to loopback hosts");
  });

  it("the emulator's admin API answers the same loopback spellings and refuses the same others", async () => {
    const emulator = createEmulator();
    for (const origin of hosts) expect((await emulator.fetch(`${origin}/__emulator/state`)).status, origin).toBe(200);
    expect((await emulator.fetch("http://[::ffff:10.0.0.1]:8787/__emulator/state")).status).toBe(403);
  });
});
