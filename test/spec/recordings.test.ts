/**
 * Every response Auth0 was recorded sending must be documented and validate against the spec's schema for that
 * operation and status, and every request body the service accepted (a 2xx answer) must validate against the
 * spec's request schema: the request schemas are closed (`additionalProperties: false`), so a too-strict spec
 * would make the emulator, Prism and typed clients reject what the real service takes.
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, findOperation, findResponse, listOperations, requestBodySchema, responseBodySchema } from "../../src/shared/spec.js";
import { describeInteraction, loadRecordings } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings();
const accepted = (status: number) => status >= 200 && status < 300;

describe("recorded Auth0 interactions", () => {
  it("are all loaded (the four recording files: 51 + 26 + 386 + 168)", () => {
    expect(recordings).toHaveLength(631);
  });

  it("cover every operation the spec describes", () => {
    const recorded = new Set(recordings.map((r) => `${r.method.toLowerCase()} ${r.pathTemplate}`));
    const missing = listOperations()
      .map((op) => `${op.method} ${op.pathTemplate}`)
      .filter((key) => !recorded.has(key));
    expect(missing).toEqual([]);
  });

  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    const op = findOperation(recording.method, recording.pathTemplate);
    expect(op, `${recording.method} ${recording.pathTemplate} is not in the spec`).toBeDefined();
    if (!op) return;

    expect(findResponse(op, recording.status), `status ${recording.status} is not documented`).toBeDefined();
    const schema = responseBodySchema(op, recording.status);
    if (recording.responseBody === null) {
      expect(schema, "an empty body was recorded but the spec documents one").toBeUndefined();
    } else {
      expect(schema, "a body was recorded but the spec documents none").toBeDefined();
      const validate = ajv.compile(schema!);
      expect(validate(recording.responseBody), `response: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }

    if (recording.requestBody !== null && accepted(recording.status)) {
      const requestSchema = requestBodySchema(op);
      expect(requestSchema, "a request body was accepted but the spec takes none").toBeDefined();
      const validateRequest = ajv.compile(requestSchema!);
      expect(validateRequest(recording.requestBody), `accepted request: ${ajv.errorsText(validateRequest.errors)}`).toBe(true);
    }
  });
});
