/**
 * Issue 24: the contract's per-status plans are tables typed by the statuses the spec documents. A conflict plan
 * is needed for exactly the operations whose spec declares 409, an unprocessable plan for exactly those declaring
 * 422: an operation that gains one of them does not compile until it has a plan, and a plan for an operation that
 * does not declare the status does not compile either.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { OperationsAnswering } from "../../generated/spec-facts.js";
import { CONFLICT_REQUESTS, NOT_FOUND_REQUESTS, type StatusRequest, type StatusRequests, UNPROCESSABLE_REQUESTS } from "../../src/contract/plan.js";

const plan: StatusRequest = () => ({ skip: "type test" });

describe("OperationsAnswering", () => {
  it("is the operations whose spec documents the status", () => {
    expectTypeOf<OperationsAnswering<409>>().toEqualTypeOf<
      | "createOrganization"
      | "updateOrganization"
      | "createOrganizationClientGrant"
      | "addOrganizationEnabledConnection"
      | "createOrganizationConnection"
      | "createConnection"
      | "updateConnection"
    >();
    expectTypeOf<OperationsAnswering<422>>().toEqualTypeOf<"createConnection" | "updateConnection">();
    expectTypeOf<OperationsAnswering<202>>().toEqualTypeOf<"deleteConnection">();
    expectTypeOf<OperationsAnswering<418>>().toEqualTypeOf<never>();
  });
});

describe("the contract's per-status plans", () => {
  it("are keyed by exactly the operations that document the status", () => {
    expectTypeOf<keyof typeof CONFLICT_REQUESTS>().toEqualTypeOf<OperationsAnswering<409>>();
    expectTypeOf<keyof typeof UNPROCESSABLE_REQUESTS>().toEqualTypeOf<OperationsAnswering<422>>();
    // The 404s are provoked the same way everywhere; the table holds the exceptions, each an operation that declares 404.
    expectTypeOf<keyof typeof NOT_FOUND_REQUESTS>().toExtend<OperationsAnswering<404>>();
  });

  it("do not compile with an operation missing", () => {
    // @ts-expect-error -- updateConnection declares 422 and has no plan
    const missing: StatusRequests<422> = { createConnection: plan };
    void missing;
  });

  it("do not compile with an operation that does not declare the status", () => {
    // @ts-expect-error -- getConnection declares no 422
    const extra: StatusRequests<422> = { createConnection: plan, updateConnection: plan, getConnection: plan };
    void extra;
  });
});
