/**
 * The published reference as a reader meets it: the page from `npm run docs`, served from a loopback static
 * server under a sub-path (as GitHub Pages does), opened in real headless Chromium with no way out to the
 * network. Every operation is found under its tag, with its summary, the scope it needs and an example.
 */
import { createServer, type Server } from "node:http";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { errors, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, type Operation } from "../../src/shared/spec.js";
import { loadBundledSpec } from "../../src/shared/spec.js";
import { OFFICIAL_SDK_METHODS } from "../../src/docs/samples-sdk.js";
import { SAMPLE_LABELS } from "../../src/docs/samples.js";
import { openPageOffline, type OfflinePage } from "../helpers/chromium.js";
import { PROJECT_ROOT } from "../helpers/project.js";
import { examplesOf } from "../mock/example-requests.js";
import { buildDocsPage, type BuiltPage } from "./build.js";

const SCREENSHOT = path.join(PROJECT_ROOT, "reports", "docs-screenshot.png");
const SITE_PATH = "/auth0-org-connections-toolkit/";

let built: BuiltPage;
let server: Server;
/** The browser, and what its page tried to send off the machine and the errors it reported. */
let offline: OfflinePage;
let page: Page;
let siteUrl: string;
/** Every request the page made, with how it ended. */
const requests: Array<{ url: string; failure?: string }> = [];

const isLocal = (url: URL) => ["file:", "data:", "blob:"].includes(url.protocol) || url.hostname === "127.0.0.1";

beforeAll(async () => {
  built = await buildDocsPage();
  const html = built.html;
  server = createServer((request, response) => {
    if (request.url === SITE_PATH || request.url === `${SITE_PATH}index.html`) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  siteUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}${SITE_PATH}`;

  // A system Chromium when there is one (CI points CHROMIUM_PATH at its runner's browser), else the bundled one. A
  // request that reaches the network layer for another host is recorded and never sent.
  ({ page } = offline = await openPageOffline({ viewport: { width: 1440, height: 1000 }, isLocal }));
  page.on("request", (request) => requests.push({ url: request.url() }));
  page.on("requestfailed", (request) => {
    const entry = requests.findLast((r) => r.url === request.url() && r.failure === undefined);
    if (entry) entry.failure = request.failure()?.errorText ?? "failed";
  });
  await page.goto(siteUrl, { waitUntil: "load", timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await offline?.browser.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await built?.cleanup();
});

const spec = loadBundledSpec();
const operations = listOperations();
const tagNames = (spec.tags ?? []).map((t) => t.name);

/** The sidebar group of a tag: its label and, once expanded, its operations. */
const sidebarGroup = (tag: string) =>
  page.locator('[data-component-name="Menu/MenuItem"].menu-item-type-group').filter({ has: page.locator(`span[data-text="${tag}"]`) });

/**
 * Clicks as a reader does. Redoc re-renders its sidebar and panels whenever the part of the page in view changes,
 * and on a busy machine it can keep doing so for longer than a click waits for the element to hold still (CI saw
 * "element was detached from the DOM, retrying" for 20 s). A click that cannot land within a few seconds is then
 * delivered as the same click event, dispatched to the element as it is at that instant.
 */
async function clickRerendered(entry: Locator): Promise<void> {
  try {
    await entry.click({ timeout: 5_000 });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    await entry.dispatchEvent("click");
  }
}

/**
 * Opens an operation at its own address, as a reader following a link to it does, and checks that the sidebar then
 * shows it — its entry, under its tag, linking to that address — as the one in view. (Clicking each entry raced
 * Redoc's sidebar: a click on a group's label toggles the group, and one that lands while Redoc expands the group
 * for the part in view collapses it again, so its entries vanish; CI failed on that even with re-clicks. A closed group
 * is still opened by clicking its label in "groups the operations by tag".)
 */
async function openOperation(op: Operation): Promise<void> {
  const tag = op.operation.tags![0]!;
  // The group's own link (`/organizations`) is drawn whether or not the group is open; an operation's is the group's
  // followed by its id.
  const groupAddress = await sidebarGroup(tag).locator("a").first().getAttribute("href");
  const address = `#${groupAddress}/${op.operationId.toLowerCase()}`;
  await page.goto(`${siteUrl}${address}`);
  const entry = sidebarGroup(tag)
    .locator(`a[href="${address}"]`)
    .filter({ has: page.locator(`span[data-text="${op.operation.summary}"]`) });
  await expect
    .poll(() => entry.locator('li[data-active="true"]').count(), { timeout: 15_000, message: `the sidebar shows ${op.operationId} under ${tag}, in view` })
    .toBe(1);
  await operationHeading(op).waitFor({ state: "visible" });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The operation's own heading in the middle panel. */
const operationHeading = (op: Operation) => page.locator("h1, h2", { hasText: new RegExp(`^${escapeRegExp(op.operation.summary!)}$`) }).first();

/**
 * The text of the middle and right panels, once the operation's view has rendered in them: its heading, its code
 * sample and its example (Redoc fills the right panel's samples in a render of their own, after the heading).
 */
async function renderedViewOf(op: Operation): Promise<string> {
  const layout = page.locator('[data-component-name="Layout/ThreePanelLayout"]').first();
  const sample = `client.${op.method.toUpperCase()}("${op.pathTemplate}"`;
  const example = visibleExample(op);
  const rendered = async () => {
    const text = await layout.innerText();
    return (await operationHeading(op).isVisible()) && text.includes(sample) && text.includes(example);
  };
  await expect
    .poll(rendered, { timeout: 15_000 })
    .toBe(true)
    .catch(() => undefined);
  return layout.innerText();
}

/** A short string from an example that must appear in the rendered sample: its first string value. */
function firstStringIn(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(firstStringIn).find((s) => s !== undefined);
  if (value && typeof value === "object")
    return Object.values(value)
      .map(firstStringIn)
      .find((s) => s !== undefined);
  return undefined;
}

/** What the reader should see as an example: a success body, else the request body, else a path parameter. */
function visibleExample(op: Operation): string {
  for (const [status, response] of Object.entries(op.operation.responses)) {
    if (!status.startsWith("2")) continue;
    const value = examplesOf(response.content?.["application/json"])[0]?.value;
    const text = firstStringIn(value);
    if (text) return JSON.stringify(text);
  }
  const body = firstStringIn(examplesOf(op.operation.requestBody?.content["application/json"])[0]?.value);
  if (body) return JSON.stringify(body);
  const parameter = op.parameters.find((p) => typeof p.example === "string");
  if (!parameter) throw new Error(`${op.operationId} has no example at all`);
  return String(parameter.example);
}

describe("the reference page in headless Chromium", () => {
  it("renders the API title from the spec", async () => {
    expect(await page.locator("h1").first().innerText()).toContain(spec.info.title);
  });

  it("groups the operations by tag in the sidebar, tags in the spec's order", async () => {
    const groups = await page
      .locator('[data-component-name="Menu/MenuItem"].menu-item-type-group > a span[data-text]')
      .evaluateAll((spans) => spans.map((s) => s.getAttribute("data-text")));
    expect(groups).toEqual(tagNames);
    for (const tag of tagNames) {
      const group = sidebarGroup(tag);
      const expected = operations.filter((op) => op.operation.tags?.includes(tag)).map((op) => op.operation.summary);
      // A click on the label toggles the group: one that lands on a group Redoc was opening closes it, so click
      // until its first entry shows (at most 3 times).
      const first = group.locator(`span[data-text="${expected[0]}"]`);
      for (let click = 0; click < 3 && !(await first.isVisible()); click++) {
        await clickRerendered(group.locator(`span[data-text="${tag}"]`).first());
        await first.waitFor({ state: "visible", timeout: 5_000 }).catch(() => undefined);
      }
      await first.waitFor({ state: "visible" });
      const labels = await group.locator("span[data-text]").evaluateAll((spans) => spans.map((s) => s.getAttribute("data-text")));
      // Within a tag Redoc keeps the document's method order; listOperations() orders methods its own way.
      expect(labels[0]).toBe(tag);
      expect(labels.slice(1).sort(), tag).toEqual(expected.sort());
    }
  });

  it.each(operations.map((op) => [op.operation.summary!, op] as const))("shows %s with its scope and an example", async (summary, op) => {
    await openOperation(op);
    // The operation's own view: its heading, the security requirement with the scope, the example.
    const main = await renderedViewOf(op);
    expect(main).toContain(summary);
    const scope = op.scopes[0]!;
    if (!new RegExp(`Required scopes:\\s*${escapeRegExp(scope)}`).test(main)) {
      // Redoc shortens a long scope name on screen (create:organization_client_grant...) and keeps the whole
      // name as the element's label and tooltip.
      expect(main).toMatch(new RegExp(`Required scopes:\\s*${escapeRegExp(scope.slice(0, 24))}`));
      expect(await page.locator(`[aria-label="${scope}"]`).count(), scope).toBeGreaterThan(0);
    }
    expect(main).toContain(visibleExample(op));
    // The code sample shown first is this toolkit's typed client calling this very operation.
    expect(main).toContain(`client.${op.method.toUpperCase()}("${op.pathTemplate}"`);
  });

  it("saves a screenshot of an operation's view", async () => {
    const op = operations.find((o) => o.operationId === "updateOrganizationConnection")!;
    await openOperation(op);
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.locator("h1, h2", { hasText: op.operation.summary! }).first().scrollIntoViewIfNeeded();
    // Redoc paints the view after the scroll settles, which a busy machine can delay: a blank page (a few KB)
    // never passes, so keep taking the screenshot until it shows the rendered view (bounded by the timeout).
    await expect
      .poll(async () => (await page.screenshot({ path: SCREENSHOT, animations: "disabled" })).byteLength, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(20_000);
  });

  it("offers the typed client, the official SDK and curl samples, and switches between them", async () => {
    const op = operations.find((o) => o.operationId === "updateOrganizationConnection")!;
    await openOperation(op);
    // The request panel beside the operation: its header names the method and path, and holds the language menu.
    const panel = page
      .locator('[data-component-name="Panel/Panel"]')
      .filter({ has: page.locator('[data-component-name="Panel/PanelHeader"]', { hasText: op.pathTemplate }).filter({ hasText: "PATCH" }) })
      .filter({ has: page.locator('[data-component-name="Dropdown/Dropdown"]') })
      .first();
    const choose = async (current: string, next: string) => {
      await clickRerendered(panel.getByText(current, { exact: true }).first());
      const menu = page.locator('[data-component-name="Dropdown/DropdownMenu"]').filter({ hasText: next });
      expect(await menu.locator('[role="menuitem"]').allInnerTexts()).toEqual([SAMPLE_LABELS.client, SAMPLE_LABELS.sdk, SAMPLE_LABELS.curl]);
      await clickRerendered(menu.getByText(next, { exact: true }).first());
    };
    await choose(SAMPLE_LABELS.client, SAMPLE_LABELS.sdk);
    await expect
      .poll(() => panel.innerText(), { timeout: 10_000 })
      .toContain(`management.${OFFICIAL_SDK_METHODS[op.operationId]!.call}("${String(op.parameters[0]!.example)}"`);
    await choose(SAMPLE_LABELS.sdk, SAMPLE_LABELS.curl);
    await expect.poll(() => panel.innerText(), { timeout: 10_000 }).toContain("curl --request PATCH");
    await choose(SAMPLE_LABELS.curl, SAMPLE_LABELS.client);
  });

  it("shows Redoc's attribution with its logo drawn from the page itself", async () => {
    const logo = page.locator('img[alt="redocly logo"]').first();
    await logo.scrollIntoViewIfNeeded();
    expect(await logo.getAttribute("src")).toMatch(/^data:image\/svg\+xml,/);
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  });

  // Last: they sum up every request and error of the steps above.
  it("made no request that left the machine, not even one the page's policy would block", () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(offline.leftTheMachine).toEqual([]);
    expect(requests.filter((r) => !isLocal(new URL(r.url)))).toEqual([]);
  });

  it("logged no error to the console", () => {
    expect(offline.pageErrors).toEqual([]);
  });
});
