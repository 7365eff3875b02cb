/**
 * Code samples for every operation of the reference (Redoc's `x-codeSamples`): this toolkit's typed client,
 * the official `auth0` SDK (v7) and curl. They are written at docs-build time from the spec itself (the
 * operation's path, method, path-parameter examples and first request-body example), so they cannot drift
 * from it; only the SDK's method names come from a table (samples-sdk.ts). The TypeScript samples are
 * compiled by a test against this package's and the SDK's types.
 */
import { OFFICIAL_SDK_METHODS, type OfficialSdkMethod } from "./samples-sdk.js";
import { listOperations, type MediaTypeObject, type OpenApiDocument, type Operation } from "../shared/spec.js";

export interface CodeSample {
  /** Redoc picks the syntax highlighting from this. */
  lang: "TypeScript" | "Shell";
  /** The tab's title. */
  label: string;
  source: string;
}

export type SampleKind = "client" | "sdk" | "curl";
export const SAMPLE_LABELS: Readonly<Record<SampleKind, string>> = {
  client: "Typed client (this toolkit)",
  sdk: "auth0 SDK v7",
  curl: "curl",
};

/** What every sample of one operation sends: the spec's own example values. */
interface SampleRequest {
  method: string;
  pathTemplate: string;
  /** Path parameters in the order the path names them. */
  path: Array<[name: string, value: string]>;
  body?: unknown;
  /** At least one success answer has a body worth keeping. */
  returnsBody: boolean;
}

const firstExample = (media: MediaTypeObject | undefined): unknown => (media?.examples ? Object.values(media.examples)[0]?.value : media?.example);

function sampleRequest(op: Operation): SampleRequest {
  const names = [...op.pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const path = names.map((name): [string, string] => {
    const parameter = op.parameters.find((p) => p.in === "path" && p.name === name);
    const value = parameter?.example ?? parameter?.schema?.example;
    if (typeof value !== "string") throw new Error(`${op.operationId}: path parameter ${name} has no string example for the code samples`);
    return [name, value];
  });
  const returnsBody = Object.entries(op.operation.responses).some(([status, response]) => /^2/.test(status) && response.content !== undefined);
  return {
    method: op.method.toUpperCase(),
    pathTemplate: op.pathTemplate,
    path,
    body: firstExample(op.operation.requestBody?.content["application/json"]),
    returnsBody,
  };
}

/** The tenant domain and API base URL the spec's first server names (with its variables' defaults). */
export function sampleServer(spec: OpenApiDocument): { domain: string; baseUrl: string } {
  const server = spec.servers?.[0];
  if (!server) throw new Error("the spec names no server for the code samples");
  const baseUrl = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? `{${name}}`);
  return { domain: new URL(baseUrl).host, baseUrl };
}

/** A JSON value as a TypeScript literal (keys unquoted where they can be), continuation lines indented by `indent`. */
const literal = (value: unknown, indent: string) =>
  JSON.stringify(value, null, 2)
    .replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, "$1$2:")
    .replaceAll("\n", `\n${indent}`);

const credentials = (domain: string) => [
  `  domain: ${JSON.stringify(domain)},`,
  "  clientId: process.env.AUTH0_CLIENT_ID!,",
  "  clientSecret: process.env.AUTH0_CLIENT_SECRET!,",
];

function clientSample(request: SampleRequest, domain: string): string {
  const params = request.path.map(([name, value]) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: ${JSON.stringify(value)}`);
  const options = [
    ...(params.length > 0 ? [`    params: { path: { ${params.join(", ")} } },`] : []),
    ...(request.body !== undefined ? [`    body: ${literal(request.body, "    ")},`] : []),
  ];
  const call = `client.${request.method}(${JSON.stringify(request.pathTemplate)}${options.length > 0 ? `, {\n${options.join("\n")}\n  }` : ""})`;
  return [
    'import { createManagementClient } from "@auth0-org-connections/client";',
    "",
    "const client = createManagementClient({",
    ...credentials(domain),
    "});",
    "",
    "// unwrap() returns the answer's data, or throws a ManagementApiError (statusCode, error, message, errorCode).",
    request.returnsBody ? `const result = await client.unwrap(\n  ${call},\n);\nconsole.log(result);` : `await client.unwrap(\n  ${call},\n);`,
  ].join("\n");
}

function sdkSample(request: SampleRequest, domain: string, sdk: OfficialSdkMethod): string {
  const args = [...request.path.map(([, value]) => JSON.stringify(value)), ...(request.body !== undefined ? [literal(request.body, "")] : [])];
  const call = `management.${sdk.call}(${args.join(", ")})`;
  const use = sdk.pages
    ? `// A page of results; iterating it fetches the following pages too.\nfor await (const item of await ${call}) {\n  console.log(item);\n}`
    : request.returnsBody
      ? `const result = await ${call};\nconsole.log(result);`
      : `await ${call};`;
  return ['import { ManagementClient } from "auth0";', "", "const management = new ManagementClient({", ...credentials(domain), "});", "", use].join("\n");
}

/** A shell word in single quotes (a quote inside becomes '\''). */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curlSample(request: SampleRequest, baseUrl: string): string {
  let url = baseUrl + request.pathTemplate;
  for (const [name, value] of request.path) url = url.replace(`{${name}}`, encodeURIComponent(value));
  const lines = [`curl --request ${request.method}`, `  --url ${shellQuote(url)}`, '  --header "Authorization: Bearer $AUTH0_TOKEN"'];
  if (request.body !== undefined) lines.push("  --header 'Content-Type: application/json'", `  --data ${shellQuote(JSON.stringify(request.body))}`);
  return lines.join(" \\\n");
}

/** The samples for one operation: client and curl always, the SDK's when its method is known. */
export function codeSamplesFor(
  op: Operation,
  spec: OpenApiDocument,
  sdkMethods: Readonly<Record<string, OfficialSdkMethod>> = OFFICIAL_SDK_METHODS,
): CodeSample[] {
  const { domain, baseUrl } = sampleServer(spec);
  const request = sampleRequest(op);
  const sdk = sdkMethods[op.operationId];
  return [
    { lang: "TypeScript", label: SAMPLE_LABELS.client, source: clientSample(request, domain) },
    ...(sdk ? [{ lang: "TypeScript" as const, label: SAMPLE_LABELS.sdk, source: sdkSample(request, domain, sdk) }] : []),
    { lang: "Shell", label: SAMPLE_LABELS.curl, source: curlSample(request, baseUrl) },
  ];
}

/** Operations the SDK table does not cover yet (they get no SDK sample). */
export function operationsWithoutSdkMethod(operations: Operation[] = listOperations(), sdkMethods = OFFICIAL_SDK_METHODS): string[] {
  return operations.filter((op) => !sdkMethods[op.operationId]).map((op) => op.operationId);
}

/**
 * A copy of the bundled spec with `x-codeSamples` on every operation, for the docs build. Values are read
 * from the dereferenced spec (examples behind `$ref`s), and the samples are set on the bundled one.
 */
export function specWithCodeSamples(bundled: OpenApiDocument, dereferenced: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(bundled);
  for (const op of listOperations(dereferenced)) {
    const target = copy.paths[op.pathTemplate]?.[op.method] as Record<string, unknown> | undefined;
    if (!target) throw new Error(`${op.operationId} is missing from the bundled spec`);
    target["x-codeSamples"] = codeSamplesFor(op, dereferenced);
  }
  return copy;
}
