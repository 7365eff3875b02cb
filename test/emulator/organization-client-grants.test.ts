/**
 * Associating a client grant with an organization and removing it again: the live recordings held to the spec and
 * replayed against the emulator, then the cases no recording shows (an unknown organization or grant, a grant
 * associated twice, a narrow token), each all or nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createSpecAjv } from "../../src/shared/spec.js";
import type { SeedData } from "../../src/emulator/index.js";
import { describeInteraction, expectInteractionMatchesSpec, loadRecordings, ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR } from "../helpers/recordings.js";
import { type TestEmulator, testEmulator } from "./helpers.js";

const recordings = loadRecordings(undefined, ORGANIZATION_CLIENT_GRANT_RECORDINGS_DIR);
const ORG = "org_W2nJ4xPq7sKd9VbT";
const OTHER_ORG = "org_Ok7aE2nTz5Hq1MvB";
const GRANT = "cgr_Vb8nQ2xLp4Rt6YsK";

const SEED: SeedData = {
  organizations: [
    { id: ORG, name: "acme-corp", display_name: "Acme Corporation" },
    { id: OTHER_ORG, name: "globex", display_name: "Globex" },
  ],
  clients: [{ client_id: "9qL2xVt8RkPz3YwN5mHc7JdF1sGb4QaE", name: "Acme Provisioning" }],
  client_grants: [
    {
      id: GRANT,
      client_id: "9qL2xVt8RkPz3YwN5mHc7JdF1sGb4QaE",
      audience: "https://api.acme.example/",
      scope: ["read:invoices"],
      organization_usage: "allow",
      allow_any_organization: false,
      organization_ids: [OTHER_ORG],
    },
    { id: "cgr_plain0000000000000", client_id: "9qL2xVt8RkPz3YwN5mHc7JdF1sGb4QaE", audience: "https://reports.acme.example/", scope: [] },
  ],
};

let t: TestEmulator;
afterEach(() => t?.expectNoViolations());

const grantIdsOf = async (organizationId: string) =>
  ((await t.call("GET", `/organizations/${organizationId}/client-grants`)).body as Array<{ id: string }>).map((g) => g.id);

describe("the recorded association answers", () => {
  it("cover both operations", () => {
    expect(new Set(recordings.map((r) => `${r.method} ${r.pathTemplate} ${r.status}`))).toEqual(
      new Set(["POST /organizations/{id}/client-grants 201", "DELETE /organizations/{id}/client-grants/{grant_id} 204"]),
    );
  });

  const ajv = createSpecAjv();
  it.each(recordings.map((r, i) => [describeInteraction(r, i), r] as const))("%s matches the spec", (_label, recording) => {
    expectInteractionMatchesSpec(recording, ajv);
  });

  it.each(recordings.filter((r) => r.method === "POST").map((r, i) => [describeInteraction(r, i), r] as const))(
    "%s is answered by the emulator in the recorded shape",
    async (_label, recording) => {
      const recorded = recording.responseBody as Record<string, unknown>;
      const grant = {
        id: String(recorded.grant_id),
        client_id: String(recorded.client_id),
        audience: String(recorded.audience),
        scope: recorded.scope as string[],
      };
      const settings = Object.fromEntries(Object.entries(recorded).filter(([key]) => key === "organization_usage" || key === "allow_any_organization"));
      t = await testEmulator({ seed: { organizations: [{ id: ORG, name: "acme-corp" }], client_grants: [{ ...grant, ...settings }] } });
      const res = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: recording.requestBody });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual(recorded);
      const removed = await t.call("DELETE", `/organizations/${ORG}/client-grants/${grant.id}`);
      expect(removed.status).toBe(204);
      expect(removed.text).toBe("");
      expect(removed.headers.get("content-type")).toBe("application/json");
    },
  );
});

describe("associating and dissociating an organization's client grant", () => {
  it("adds the grant to the organization's list, and takes it away again, leaving the grant and its other organizations", async () => {
    t = await testEmulator({ seed: SEED });
    expect(await grantIdsOf(ORG)).toEqual([]);
    const res = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: { grant_id: GRANT } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      grant_id: GRANT,
      client_id: "9qL2xVt8RkPz3YwN5mHc7JdF1sGb4QaE",
      audience: "https://api.acme.example/",
      scope: ["read:invoices"],
      organization_usage: "allow",
      allow_any_organization: false,
    });
    expect(await grantIdsOf(ORG)).toEqual([GRANT]);

    expect((await t.call("DELETE", `/organizations/${ORG}/client-grants/${GRANT}`)).status).toBe(204);
    expect(await grantIdsOf(ORG)).toEqual([]);
    expect(await grantIdsOf(OTHER_ORG)).toEqual([GRANT]);
    expect(((await t.call("GET", "/client-grants")).body as Array<{ id: string }>).map((g) => g.id)).toContain(GRANT);
  });

  it("answers 409 for a grant associated twice, and changes nothing", async () => {
    t = await testEmulator({ seed: SEED });
    const res = await t.call("POST", `/organizations/${OTHER_ORG}/client-grants`, { body: { grant_id: GRANT } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: "Conflict", message: "The client grant is already associated with the organization." });
    expect(await grantIdsOf(OTHER_ORG)).toEqual([GRANT]);
  });

  it("answers 404 for an unknown organization or grant, and 204 for a grant that is not associated (safe to repeat)", async () => {
    t = await testEmulator({ seed: SEED });
    const noOrg = await t.call("POST", "/organizations/org_doesnotexist0000/client-grants", { body: { grant_id: GRANT } });
    expect(noOrg.status).toBe(404);
    expect(noOrg.body.message).toBe("No organization found by that id or name");
    const noGrant = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: { grant_id: "cgr_doesnotexist0000" } });
    expect(noGrant.status).toBe(404);
    expect(noGrant.body).toEqual({ statusCode: 404, error: "Not Found", message: "The client grant does not exist" });
    expect((await t.call("DELETE", `/organizations/org_doesnotexist0000/client-grants/${GRANT}`)).status).toBe(404);
    expect((await t.call("DELETE", `/organizations/${ORG}/client-grants/${GRANT}`)).status).toBe(204);
    expect((await t.call("DELETE", `/organizations/${ORG}/client-grants/cgr_doesnotexist0000`)).status).toBe(204);
    expect(await grantIdsOf(OTHER_ORG)).toEqual([GRANT]);
  });

  it("refuses a body the spec does not describe, and tokens without the operation's scope", async () => {
    t = await testEmulator({ seed: SEED });
    const extra = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: { grant_id: GRANT, organization_usage: "allow" } });
    expect(extra.status).toBe(400);
    expect(extra.body.errorCode).toBe("invalid_body");
    const missing = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: {} });
    expect(missing.status).toBe(400);
    const reader = await t.emulator.issueToken({ scopes: ["read:organization_client_grants"] });
    const create = await t.call("POST", `/organizations/${ORG}/client-grants`, { body: { grant_id: GRANT }, token: reader });
    expect(create.status).toBe(403);
    expect(create.body.message).toBe("Insufficient scope, expected any of: create:organization_client_grants");
    const remove = await t.call("DELETE", `/organizations/${OTHER_ORG}/client-grants/${GRANT}`, { token: reader });
    expect(remove.body.message).toBe("Insufficient scope, expected any of: delete:organization_client_grants");
    expect(await grantIdsOf(ORG)).toEqual([]);
    expect(await grantIdsOf(OTHER_ORG)).toEqual([GRANT]);
  });

  it("forgets a deleted organization's associations (its id could otherwise come back through a seed)", async () => {
    t = await testEmulator({ seed: SEED });
    expect((await t.call("DELETE", `/organizations/${OTHER_ORG}`)).status).toBe(204);
    const grant = t.emulator.state.snapshot().client_grants.find((g) => g.id === GRANT);
    expect(grant?.organization_ids).toEqual([]);
  });
});
