/**
 * Builds, from the spec alone, the request a user would send to each operation of the mock: path parameters
 * from their examples, the first request-body example, a bearer token. And what the spec says the answer is:
 * the first 2xx status and its first example (Prism's static mode serves exactly that).
 */
import { listOperations, type MediaTypeObject, type Operation } from "../../src/shared/spec.js";

export interface ExampleRequest {
  operation: Operation;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface NamedExample {
  name: string;
  value: unknown;
}

export const MOCK_TOKEN = "mock-token-value";

/** The examples of a media type in document order: `examples` by name, or the single `example`. */
export function examplesOf(media: MediaTypeObject | undefined): NamedExample[] {
  if (!media) return [];
  if (media.examples) return Object.entries(media.examples).map(([name, example]) => ({ name, value: example.value }));
  return media.example === undefined ? [] : [{ name: "example", value: media.example }];
}

/** The success statuses an operation documents, lowest first (Prism answers with the lowest). */
export function successStatuses(op: Operation): number[] {
  return Object.keys(op.operation.responses)
    .filter((code) => /^2\d\d$/.test(code))
    .map(Number)
    .sort((a, b) => a - b);
}

export function exampleRequest(op: Operation, overrides: { body?: unknown; headers?: Record<string, string> } = {}): ExampleRequest {
  let path = op.pathTemplate;
  for (const parameter of op.parameters.filter((p) => p.in === "path")) {
    if (typeof parameter.example !== "string") throw new Error(`${op.operationId}: path parameter ${parameter.name} has no string example`);
    path = path.replace(`{${parameter.name}}`, encodeURIComponent(parameter.example));
  }
  const headers: Record<string, string> = { authorization: `Bearer ${MOCK_TOKEN}`, accept: "application/json", ...overrides.headers };
  const bodyExample = "body" in overrides ? overrides.body : examplesOf(op.operation.requestBody?.content["application/json"])[0]?.value;
  const request: ExampleRequest = { operation: op, method: op.method.toUpperCase(), path, headers };
  if (bodyExample !== undefined) {
    request.body = JSON.stringify(bodyExample);
    headers["content-type"] = "application/json";
  }
  return request;
}

export function allOperations(): Operation[] {
  return listOperations();
}
