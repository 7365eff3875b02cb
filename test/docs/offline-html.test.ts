/** The built reference page is self-contained: nothing in its markup or styles comes from another host. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExternalResources, hasNoOtherHostPolicy } from "../../src/docs/build.js";
import { listOperations, loadBundledSpec } from "../../src/shared/spec.js";
import { BIN, run } from "../helpers/project.js";
import { buildDocsPage, type BuiltPage } from "./build.js";

let page: BuiltPage;
beforeAll(async () => {
  page = await buildDocsPage();
});
afterAll(() => page?.cleanup());

describe("npm run docs", () => {
  it("writes one page with the inline Redoc bundle and the spec embedded", () => {
    expect(page.stdout).toMatch(/wrote .*index\.html \(\d+ KiB, no resource from another host\)/);
    expect(page.html.length).toBeGreaterThan(1_000_000); // Redoc's script is inside, not on a CDN
    expect(page.html).toContain(`<title>${loadBundledSpec().info.title}</title>`);
    expect(page.html).toContain("const __redoc_definition");
    expect(page.html).toContain('"disableTelemetry":true');
  });

  it("loads no script, style, font or image from another host", () => {
    expect(findExternalResources(page.html)).toEqual([]);
  });

  it("carries a Content-Security-Policy that allows no other host", () => {
    expect(hasNoOtherHostPolicy(page.html)).toBe(true);
  });

  it("shows the operations around the links, each grouped with its resource", () => {
    const expected = {
      listConnections: "Connections",
      listOrganizations: "Organizations",
      getOrganizationByName: "Organizations",
      updateOrganization: "Organizations",
      listClients: "Clients",
      listClientGrants: "Client grants",
      listOrganizationClientGrants: "Client grants",
      createOrganizationClientGrant: "Client grants",
      deleteOrganizationClientGrant: "Client grants",
    };
    const tags = Object.fromEntries(listOperations().map((op) => [op.operationId, op.operation.tags?.[0]]));
    for (const [operationId, tag] of Object.entries(expected)) {
      expect(tags[operationId], operationId).toBe(tag);
      expect(page.html).toContain(`"operationId":"${operationId}"`);
    }
    expect(page.html).toContain('"name":"Client grants"');
  });
});

describe("the reference's parameters", () => {
  // Redoc writes a limit with both ends as "[ 1 .. 50 ] characters" and one with only a maximum as "<= 50
  // characters"; path ids are never empty, so each states both ends and they all read the same way.
  it("give every string path parameter both length limits", () => {
    const paths = listOperations().flatMap((op) =>
      op.parameters.filter((p) => p.in === "path").map((p) => ({ at: `${op.operationId} ${p.name}`, schema: p.schema as Record<string, unknown> })),
    );
    expect(paths.length).toBeGreaterThan(0);
    for (const { at, schema } of paths) {
      if (schema.type !== "string") continue;
      expect({ at, minLength: schema.minLength, maxLength: typeof schema.maxLength }).toEqual({ at, minLength: 1, maxLength: "number" });
    }
  });
});

describe("findExternalResources", () => {
  it("flags every kind of load from another host", () => {
    const html = `<!doctype html><html><head>
      <script src="https://cdn.example.org/app.js"></script>
      <link rel="stylesheet" href="//fonts.example.org/css">
      <link rel="modulepreload" href='http://cdn.example.org/m.js'>
      <style>@import "https://css.example.org/a.css"; @font-face { font-family: X; src: url(https://fonts.example.org/x.woff2) }</style>
      </head><body><img src=https://img.example.org/logo.png><div style="background:url('https://img.example.org/bg.png')"></div>
      <img srcset="a.png 1x, https://img.example.org/b.png 2x"></body></html>`;
    expect(findExternalResources(html)).toEqual([
      '<script src="https://cdn.example.org/app.js">',
      '<link href="//fonts.example.org/css">',
      '<link href="http://cdn.example.org/m.js">',
      "<style> https://css.example.org/a.css",
      "<style> https://fonts.example.org/x.woff2",
      '<img src="https://img.example.org/logo.png">',
      "<div style> url(https://img.example.org/bg.png)",
      '<img srcset="https://img.example.org/b.png">',
    ]);
  });

  it("ignores links to click, local and data: resources, and text inside scripts and comments", () => {
    const html = `<html><head><!-- <script src="https://cdn.example.org/x.js"></script> -->
      <script>const markup = '<img src="https://img.example.org/in-a-string.png">';</script>
      <link rel="icon" href="data:image/svg+xml,%3Csvg%3E"><style>.a { background: url(data:image/png;base64,AAAA) }</style></head>
      <body><a href="https://github.com/example/project">source</a><img src="logo.png"><script src="./local.js"></script></body></html>`;
    expect(findExternalResources(html)).toEqual([]);
  });

  it("catches the CDN script of a page built without --inlineBundle", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "org-connections-docs-cdn-"));
    try {
      const file = path.join(dir, "cdn.html");
      const result = await run(BIN("redocly"), ["build-docs", "main", "-o", file], { env: { REDOCLY_TELEMETRY: "off" } });
      expect(result.code).toBe(0);
      const external = findExternalResources(await readFile(file, "utf8"));
      expect(external).toContainEqual(expect.stringMatching(/^<link href="https:\/\/cdn\.redocly\.com\/redoc\/.*redoc\.standalone\.js">$/));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("hasNoOtherHostPolicy", () => {
  const page = (policy: string) => `<head><meta http-equiv="Content-Security-Policy" content="${policy}"></head>`;
  it("accepts a policy that only allows inline code and data:/blob: URLs", () => {
    expect(hasNoOtherHostPolicy(page("default-src 'none'; script-src 'unsafe-inline'; img-src data: blob:"))).toBe(true);
  });
  it("rejects a missing policy, a permissive default and any allowed host", () => {
    expect(hasNoOtherHostPolicy("<head></head>")).toBe(false);
    expect(hasNoOtherHostPolicy(page("default-src *"))).toBe(false);
    expect(hasNoOtherHostPolicy(page("default-src 'none'; img-src https://cdn.redoc.ly"))).toBe(false);
    expect(hasNoOtherHostPolicy(page("default-src 'none'; font-src fonts.gstatic.com"))).toBe(false);
  });
});
