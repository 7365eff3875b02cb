/**
 * What a contract run prints and writes holds no part of a secret (issue 20): any 8 characters of a known secret
 * are replaced, so an echo cut short leaks nothing; a secret with control characters is refused before the run
 * starts, in a message that does not show it.
 */
import { describe, expect, it } from "vitest";
import { main } from "../../src/contract/cli.js";
import { createRedactor } from "../../src/contract/redact.js";

const SECRET = "Xq3vB8mN2pL7wR4tY9uK1jH6gF5dS0aZcE2rT8yU4iO6pA1sD3fG7hJ9kL5zX0cV";

const fragmentsOf = (secret: string, text: string) =>
  Array.from({ length: secret.length - 7 }, (_, index) => secret.slice(index, index + 8)).filter((fragment) => text.includes(fragment));

describe("the contract run's redaction", () => {
  it("replaces a secret cut short, and any 8 characters of it", () => {
    const redact = createRedactor([SECRET]);
    const text = `gateway echoed client_secret=${SECRET.slice(0, 60)}… and later ${SECRET.slice(20, 29)}`;
    const redacted = redact(text);
    expect(fragmentsOf(SECRET, redacted)).toEqual([]);
    expect(redacted).toContain("gateway echoed client_secret=[redacted]");
  });

  it("leaves text without secrets as it is", () => {
    const redact = createRedactor([SECRET]);
    expect(redact("✓ GET (200) /organizations/{id}")).toBe("✓ GET (200) /organizations/{id}");
  });
});

describe("the contract command", () => {
  it.each([
    ["AUTH0_TOKEN", { AUTH0_TOKEN: `${SECRET}\r\nX-Injected: 1` }],
    ["AUTH0_NARROW_TOKEN", { AUTH0_TOKEN: SECRET.split("").reverse().join(""), AUTH0_NARROW_TOKEN: `${SECRET}\u0000` }],
    ["AUTH0_CLIENT_SECRET", { AUTH0_CLIENT_ID: "app", AUTH0_CLIENT_SECRET: `${SECRET}\n` }],
  ])("refuses %s with a control character up front (exit 2), without showing it", async (_name, env) => {
    const out: string[] = [];
    const code = await main(["--base-url", "http://127.0.0.1:9/api/v2"], env, { out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(code).toBe(2);
    expect(out.join("\n")).toMatch(/control character/);
    expect(fragmentsOf(SECRET, out.join("\n"))).toEqual([]);
  });
});
