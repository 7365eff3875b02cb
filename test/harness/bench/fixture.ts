/**
 * The tenant every benchmark talks to, and the one request they all time: a list of an organization's
 * connections (the call a login page or an admin screen makes most). Fixed ids, so separate processes build the
 * same tenant and Prism can be asked the same path.
 */
import type { SeedData } from "../../../src/emulator/index.js";

export const BENCH_ORGANIZATION_ID = "org_benchmark000000001";
/** Links per organization in the standard tenant (Auth0's default entity limit). */
export const BENCH_LINKS = 10;

/** Links in the large tenant of benchmark 3, which shows how the cost of a request grows with the tenant's state. */
export const LARGE_TENANT_LINKS = 10_000;

/** The path of the timed request, relative to the API base (`/api/v2` on the emulator, `/` on Prism). */
export const LIST_PATH = `/organizations/${BENCH_ORGANIZATION_ID}/connections`;

/** An organization with `links` connections linked to it (half database, half Okta, so both views are exercised). */
export function benchSeed(links = BENCH_LINKS, organizationId = BENCH_ORGANIZATION_ID): SeedData {
  const connections = Array.from({ length: links }, (_, i) =>
    i % 2 === 0
      ? { id: `con_bench${String(i).padStart(12, "0")}`, name: `bench-db-${i}`, strategy: "auth0" }
      : { id: `con_bench${String(i).padStart(12, "0")}`, name: `bench-okta-${i}`, strategy: "okta", options: { domain: `bench-${i}.okta.com` } },
  );
  return {
    organizations: [{ id: organizationId, name: "benchmark-org", display_name: "Benchmark" }],
    connections,
    links: connections.map((c) => ({ organization_id: organizationId, connection_id: c.id, assign_membership_on_login: false })),
  };
}
