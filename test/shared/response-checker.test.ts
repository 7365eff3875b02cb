/** The response checker the emulator tests and the fuzzer share can fail, for each rule it holds answers to. */
import { describe, expect, it } from "vitest";
import { createResponseChecker } from "../helpers/response-checker.js";

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };
const error = (statusCode: number, reason: string) => JSON.stringify({ statusCode, error: reason, message: "m" });
const ORG_PATH = "/api/v2/organizations/org_1";

describe("createResponseChecker", () => {
  it("passes a documented error answer in Auth0's shape, and counts it as checked", () => {
    const checker = createResponseChecker();
    expect(checker.check("GET", ORG_PATH, { status: 404, headers: JSON_TYPE, body: error(404, "Not Found") })).toEqual([]);
    expect(checker.counts).toEqual({ checked: 1, serverErrors: 0 });
  });

  it.each([
    ["an undocumented status", "GET", ORG_PATH, { status: 418, headers: JSON_TYPE, body: error(418, "Teapot") }, /status 418/],
    ["a 5xx", "GET", ORG_PATH, { status: 500, headers: JSON_TYPE, body: error(500, "Internal Server Error") }, /server error 500/],
    [
      "an error body without statusCode",
      "GET",
      ORG_PATH,
      { status: 404, headers: JSON_TYPE, body: '{"error":"Not Found","message":"m"}' },
      /not Auth0's shape/,
    ],
    [
      "an error body whose statusCode is another status",
      "GET",
      ORG_PATH,
      { status: 404, headers: JSON_TYPE, body: error(400, "Bad Request") },
      /not Auth0's shape/,
    ],
    [
      "a 200 from a path that is no operation",
      "GET",
      "/api/v2/nothing/here",
      { status: 200, headers: JSON_TYPE, body: "{}" },
      /matches no operation but answered 200/,
    ],
    ["a 204 without a JSON content type", "DELETE", ORG_PATH, { status: 204, headers: {}, body: "" }, /204 without Content-Type/],
  ])("flags %s, naming the request", (_name, method, path, response, problem) => {
    const problems = createResponseChecker().check(method, path, response);
    expect(problems.join("\n")).toMatch(problem);
    expect(problems[0]).toMatch(new RegExp(`^${method} ${path.replace(/[/]/g, "\\/")} → ${response.status}: `));
  });

  it("lets a status provoked on purpose through when its body is Auth0's error shape, and only then", () => {
    const checker = createResponseChecker({ allowUndocumented: [503] });
    expect(checker.check("GET", ORG_PATH, { status: 503, headers: JSON_TYPE, body: error(503, "Service Unavailable") })).toEqual([]);
    expect(checker.check("GET", ORG_PATH, { status: 503, headers: JSON_TYPE, body: "upstream down" })).toHaveLength(1);
    expect(checker.counts).toEqual({ checked: 0, serverErrors: 0 });
  });
});
