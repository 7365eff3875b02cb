/** A tenant of a thousand organizations, each linked to the one connection (the paging tests under rate limits). */
import type { SeedData } from "../../src/emulator/index.js";

export const SHARED_CONNECTION_ID = "con_0000000000000001";

export function thousandOrganizations(): SeedData & { organizations: Array<{ id: string; name: string }> } {
  const organizations = Array.from({ length: 1_000 }, (_, i) => ({ id: `org_${String(i).padStart(16, "0")}`, name: `org-${i}` }));
  return {
    organizations,
    connections: [{ id: SHARED_CONNECTION_ID, name: "shared-db", strategy: "auth0" }],
    links: organizations.map((org) => ({ organization_id: org.id, connection_id: SHARED_CONNECTION_ID })),
  };
}
