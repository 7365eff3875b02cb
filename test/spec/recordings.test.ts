/**
 * Every response Auth0 was recorded sending must validate against the spec's schema for that operation and
 * status, and every recorded request body must be accepted by the request schema (the spec's request bodies are
 * closed with `additionalProperties: false`, so a too-strict spec would reject what real clients send).
 */
import { describe, expect, it } from "vitest";
import { createSpecAjv, findOperation, findResponse, requestBodySchema, responseBodySchema } from "../../src/shared/spec.js";
import { describeInteraction, loadRecordings } from "../helpers/recordings.js";

const ajv = createSpecAjv();
const recordings = loadRecordings();

describe("recorded Auth0 responses", () => {
  it("cover the operations the spec describes", () => {
    expect(recordings.length).toBeGreaterThanOrEqual(70);
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
      expect(validate(recording.responseBody), ajv.errorsText(validate.errors)).toBe(true);
    }

    if (recording.requestBody !== null) {
      const requestSchema = requestBodySchema(op);
      expect(requestSchema, "a request body was recorded but the spec takes none").toBeDefined();
      const validateRequest = ajv.compile(requestSchema!);
      expect(validateRequest(recording.requestBody), ajv.errorsText(validateRequest.errors)).toBe(true);
    }
  });
});
