/**
 * The local dashboard as a person uses it: real headless Chromium (the one the docs test drives) on the emulator
 * started with the README's seed, only the keyboard. It does the seed page's Dashboard steps (Organizations →
 * organization → Connections → Enable Connections → pick the connection → Membership On Authentication → Save),
 * edits and disables the connection, and each result is checked through the Management API; the login prompt
 * shows the change; a rule the API enforces is refused with the API's own message; the inspector shows a request
 * this test made, without its token. A page of another site can neither read the admin API nor post a form to it.
 * The screenshots in docs/emulator.md are taken here (docs/screenshots/).
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, type SeedData, startEmulator } from "../../src/emulator/index.js";
import { SIGNUP_RULE_MESSAGE } from "../../src/emulator/store.js";
import { findChromium, openPageOffline, type OfflinePage } from "../helpers/chromium.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const SEED = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "examples/seed.json"), "utf8")) as SeedData;
const ORG = "org_acme000000000001";
const SCREENSHOTS = path.join(PROJECT_ROOT, "docs", "screenshots");
const ATTACKER_HOST = "attacker.example";

let emulator: RunningEmulator;
/** The browser, and what its page tried to send off the machine and the errors it reported. */
let offline: OfflinePage;
let page: Page;
let token: string;

async function api(method: string, url: string, body?: unknown) {
  const response = await fetch(`${emulator.baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
}

/** Presses Tab until the focused element has this id or this text (as a person tabbing through the page), at most 60 times. */
async function tabTo(target: { id: string } | { text: string }): Promise<void> {
  for (let presses = 0; presses < 60; presses += 1) {
    await page.keyboard.press("Tab");
    const reached = await page.evaluate((wanted) => {
      const element = document.activeElement;
      return "id" in wanted ? element?.id === wanted.id : (element?.textContent ?? "").trim() === wanted.text;
    }, target);
    if (reached) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)}`);
}
const byText = (text: string) => ({ text });
const byId = (id: string) => ({ id });

async function openView(hash: string): Promise<void> {
  await page.goto(`${emulator.url}/__emulator/${hash}`);
  await page.waitForFunction((expected) => document.body.dataset.ready === expected, hash);
}
/** Waits for the page to finish rendering the view at `hash` (after a keyboard action changed it). */
const settled = (hash: string) =>
  page.waitForFunction((expected) => document.body.dataset.ready === expected && document.getElementById("main")?.querySelector("h1") !== null, hash);

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED });
  token = await emulator.issueToken();
  ({ page } = offline = await openPageOffline({
    viewport: { width: 1024, height: 800 },
    isLocal: (url) => url.hostname === "127.0.0.1",
  }));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await offline?.browser.close();
  await emulator?.close();
});

describe("the dashboard, with the keyboard", { timeout: 120_000 }, () => {
  it("finds the organization, and does the seed's steps: Enable Connections, pick it, Membership On Authentication, Save", async () => {
    await openView("#/organizations");
    await tabTo(byId("organization-search"));
    await page.keyboard.type("acme");
    await page.keyboard.press("Enter");
    await settled("#/organizations?q=acme&page=0");
    await tabTo(byText("acme"));
    await page.keyboard.press("Enter");
    await settled(`#/organizations/${ORG}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "organization.png") });

    await tabTo(byText("Enable Connections"));
    await page.keyboard.press("Enter");
    // The form opens with the connection list focused; the seed's only connection not yet enabled is acme-okta.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("connection-select");
    const okta = (await api("GET", "/connections?name=acme-okta")).body[0].id as string;
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).value)).toBe(okta);
    await tabTo(byId("membership"));
    await page.keyboard.press("Space");
    await page.setViewportSize({ width: 400, height: 900 });
    await page.locator("#connection-form").screenshot({ path: path.join(SCREENSHOTS, "enable-connection.png") });
    await page.setViewportSize({ width: 1024, height: 800 });
    await tabTo(byText("Save"));
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("Enabled"));

    const link = await api("GET", `/organizations/${ORG}/enabled_connections/${okta}`);
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ connection_id: okta, assign_membership_on_login: true, show_as_button: true });
  });

  it("edits it (the newer family's access level and name), and refuses a rule the API refuses with the API's message", async () => {
    const okta = (await api("GET", "/connections?name=acme-okta")).body[0].id as string;
    await openView(`#/organizations/${ORG}`);
    await tabTo(byText("Edit acme-okta"));
    await page.keyboard.press("Enter");
    await tabTo(byId("access-level"));
    await page.keyboard.type("full");
    await tabTo(byId("organization-connection-name"));
    await page.keyboard.type("Acme SSO");
    await tabTo(byText("Save"));
    // The view's re-read made slow: "Saved" must still be said only once the new view is on screen and focused.
    emulator.faults.add({ method: "GET", path: `/organizations/${ORG}/connections`, latencyMs: 400, once: true });
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("Saved"));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("connections-heading");
    expect((await api("GET", `/organizations/${ORG}/connections/${okta}`)).body).toMatchObject({
      organization_access_level: "full",
      organization_connection_name: "Acme SSO",
      assign_membership_on_login: true,
    });

    // Sign-ups on an enterprise connection: the API's rule, the API's words.
    await tabTo(byText("Edit acme-okta"));
    await page.keyboard.press("Enter");
    await tabTo(byId("signup"));
    await page.keyboard.press("Space");
    await tabTo(byText("Save"));
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#connection-form .error").textContent()).toBe(SIGNUP_RULE_MESSAGE);
    expect((await api("PATCH", `/organizations/${ORG}/connections/${okta}`, { is_signup_enabled: true })).body.message).toBe(SIGNUP_RULE_MESSAGE);
    expect((await api("GET", `/organizations/${ORG}/connections/${okta}`)).body.is_signup_enabled ?? false).toBe(false);
  });

  it("shows the change on the organization's login prompt", async () => {
    await openView(`#/organizations/${ORG}`);
    await tabTo(byText("Login prompt"));
    await page.keyboard.press("Enter");
    await settled(`#/organizations/${ORG}/login`);
    const prompt = page.locator(".prompt");
    await expect.poll(() => prompt.getByRole("button", { name: "Continue with Acme SSO" }).count()).toBe(1);
    expect(await prompt.locator('[data-connection="acme-okta"] .badge').textContent()).toBe("joins on login");
    expect(await prompt.locator('[data-connection="acme-db"] legend').textContent()).toContain("acme-db");
    expect(await page.getByRole("link", { name: "Enable Organization Connections" }).getAttribute("href")).toBe(
      "https://auth0.com/docs/manage-users/organizations/configure-organizations/enable-connections",
    );
    await page.setViewportSize({ width: 400, height: 900 });
    await prompt.screenshot({ path: path.join(SCREENSHOTS, "login-prompt.png") });
    await page.setViewportSize({ width: 1024, height: 800 });
  });

  it("disables it after a confirmation, and the prompt no longer offers it", async () => {
    const okta = (await api("GET", "/connections?name=acme-okta")).body[0].id as string;
    await openView(`#/organizations/${ORG}`);
    await tabTo(byText("Disable acme-okta"));
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, disable acme-okta");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("Disabled"));
    expect((await api("GET", `/organizations/${ORG}/enabled_connections/${okta}`)).status).toBe(404);
    await openView(`#/organizations/${ORG}/login`);
    expect(await page.locator(".prompt button", { hasText: "Acme SSO" }).count()).toBe(0);
  });

  it("lists, live in the inspector, a request this test made, with its scope and bucket and without its token", async () => {
    await openView("#/requests");
    const marker = `/organizations/${ORG}/client-grants`;
    expect((await api("GET", marker)).status).toBe(200);
    const row = page.locator("#requests tbody tr", { hasText: `/api/v2${marker}` }).filter({ hasText: "api" });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const text = (await row.first().textContent()) ?? "";
    expect(text).toContain("200");
    expect(text).toContain("read:organization_client_grants");
    expect(text).toContain("tenant");
    const html = await page.content();
    expect(html).not.toContain(token);
    expect(html).not.toContain(SEED.clients!.find((c) => c.client_secret)!.client_secret);
  });

  it("reads and writes only what the emulator serves: nothing from another host, no page error", () => {
    expect(offline.leftTheMachine).toEqual([]);
    expect(offline.pageErrors).toEqual([]);
  });
});

describe("the dashboard, against a page of another site", { timeout: 60_000 }, () => {
  it("refuses a foreign Origin and a cross-site form post, and changes nothing", async () => {
    // A real page of another site: a local server reached under a name that is not loopback's (the browser maps
    // the name to 127.0.0.1), in a browser without request interception, so CORS and form posts work as they do.
    const admin = `${emulator.url}/__emulator`;
    const site = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>elsewhere</title>
<form id="f" method="POST" action="${admin}/api" enctype="text/plain"><input name='{"method":"DELETE","path":"/organizations/${ORG}","x":"' value='"}'></form>
<script>fetch(${JSON.stringify(`${admin}/requests`)}).then(() => (document.title = "read"), () => (document.title = "blocked"));</script>`);
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    const port = (site.address() as AddressInfo).port;
    const choice = await findChromium();
    // A person's browser keeps web security on (the bundled Chromium's serverless flags turn it off).
    const args = choice.args.filter((flag) => flag !== "--disable-web-security" && flag !== "--allow-running-insecure-content");
    const other = await chromium.launch({
      executablePath: choice.executablePath,
      args: [...args, `--host-resolver-rules=MAP ${ATTACKER_HOST} 127.0.0.1`],
      headless: true,
    });
    try {
      const attacker = await other.newPage();
      const answers: number[] = [];
      attacker.on("response", (response) => {
        if (response.url().startsWith(admin)) answers.push(response.status());
      });
      await attacker.goto(`http://${ATTACKER_HOST}:${port}/`);
      await attacker.waitForFunction(() => document.title === "blocked" || document.title === "read");
      expect(await attacker.title()).toBe("blocked");
      // The form post: the browser sends it, with the page's Origin and a content type a form can send.
      await Promise.all([attacker.waitForURL(`${admin}/api`), attacker.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit())]);
      const answer = JSON.parse((await attacker.locator("body").textContent()) ?? "{}") as { statusCode?: number; message?: string };
      expect(answer).toMatchObject({ statusCode: 403, message: "The admin API does not answer requests from web pages of other origins." });
      expect(answers).toEqual([403]);
      // The page's read was refused by the emulator too, not only hidden by the browser's CORS check.
      const read = await fetch(`${admin}/requests`, { headers: { origin: `http://${ATTACKER_HOST}:${port}` } });
      expect(read.status).toBe(403);
    } finally {
      await other.close();
      site.close();
    }
    expect((await api("GET", `/organizations/${ORG}`)).status).toBe(200);

    // Without an Origin, a form's content type is still refused; and no other site may frame the page.
    const form = await fetch(`${admin}/api`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "method=DELETE" });
    expect(form.status).toBe(403);
    const framed = await fetch(`${admin}/`);
    expect(framed.headers.get("x-frame-options")).toBe("DENY");
    expect(framed.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
