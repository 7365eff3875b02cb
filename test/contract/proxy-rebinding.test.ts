/**
 * A DNS-rebinding page in a real headless Chromium against a running contract proxy. The attacker's name is mapped to
 * 127.0.0.1 (`--host-resolver-rules`), as a rebinding does once the page has loaded: the page's script is then
 * same-origin with the proxy and reads whatever the proxy answers. It must read nothing of the tenant.
 */
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressOfBaseUrl } from "../../src/shared/management-address.js";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { Pacer } from "../../src/contract/pacer.js";
import { confinedFetch } from "../../src/contract/outbound.js";
import { type ContractProxy, startProxy } from "../../src/contract/proxy.js";
import { findChromium } from "../helpers/chromium.js";
import { startTestEmulator } from "./helpers.js";

const SEEDED_SECRET = "upstream-client-secret-fedcba9876543210";
const ATTACKER_HOST = "rebind.attacker.example";

let emulator: RunningEmulator;
let proxy: ContractProxy;
let pacer: Pacer;
let browser: Browser;

beforeAll(async () => {
  emulator = await startTestEmulator({
    seed: {
      organizations: [{ name: "customer-org" }],
      clients: [{ client_id: "upstream", name: "Upstream", app_type: "non_interactive", client_secret: SEEDED_SECRET }],
    },
  });
  pacer = new Pacer();
  proxy = await startProxy(addressOfBaseUrl(emulator.baseUrl), { pacer, send: confinedFetch({ live: false }, 5_000), timeoutMs: 5_000 });
  const choice = await findChromium();
  browser = await chromium.launch({
    executablePath: choice.executablePath,
    args: [...choice.args, `--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`],
    headless: true,
    timeout: 30_000,
  });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await emulator?.close();
});

describe("a DNS-rebinding page against the contract proxy", () => {
  it("reads nothing through it: neither the emulator's admin API nor the Management API", async () => {
    const port = new URL(proxy.endpoint).port;
    const page = await browser.newPage();
    try {
      // The page as the attacker's site after the rebinding: its origin is the attacker's name on the proxy's port.
      await page.goto(`http://${ATTACKER_HOST}:${port}/`, { timeout: 15_000 });
      const token = await emulator.issueToken();
      const answers = await page.evaluate(async (bearer) => {
        const read = async (path: string, init?: RequestInit) => {
          try {
            const response = await fetch(path, init);
            return { path, status: response.status, body: await response.text() };
          } catch (error) {
            return { path, status: 0, body: String(error) };
          }
        };
        return [
          await read("/__emulator/state"),
          await read("/api/v2/organizations"),
          // Even a page that somehow held a token gets nothing: the run's key is what it lacks.
          await read("/api/v2/organizations", { headers: { authorization: `Bearer ${bearer}` } }),
          await read("/api/v2/clients", { headers: { authorization: `Bearer ${bearer}` } }),
        ];
      }, token);
      for (const answer of answers) {
        expect(answer.status, answer.path).toBe(403);
        expect(answer.body).not.toContain(SEEDED_SECRET);
        expect(answer.body).not.toContain("customer-org");
      }
      expect(pacer.stats.sent).toBe(0);
    } finally {
      await page.close();
    }
  });
});
