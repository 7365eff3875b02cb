/**
 * The rate limits of Auth0's subscription types, from its "Rate Limit Configurations" pages (one page per type under
 * https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy/rate-limit-configurations/),
 * read in the pages' source (github.com/auth0/docs-v2) as last changed on the date given. Each table row whose
 * endpoints this spec serves becomes one bucket; a row a page does not have is no bucket here (never a guess). The
 * figures change over time: `--limits ./file.json` takes any other shape.
 *
 * How a row maps to this spec's operations is in GROUP_OPERATIONS; only the figures differ per preset.
 */
import type { EndpointGroupOption, LimitsShape } from "./shape.js";

const PAGES = "https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy/rate-limit-configurations";

/** The endpoint groups (table rows) Auth0 names whose endpoints are in this spec, by this project's name for them. */
export const GROUP_OPERATIONS = {
  /** "Read Organizations" — the page links it to Get Organizations (the list). */
  "read-organizations": ["listOrganizations"],
  "read-organization-by-id": ["getOrganization"],
  "read-organization-by-name": ["getOrganizationByName"],
  /** "Write Organizations" / "Write an Organization": POST, PATCH, DELETE. */
  "write-organizations": ["createOrganization", "updateOrganization", "deleteOrganization"],
  /** "Read Organization Connections": both families of links (the page links the enabled_connections one). */
  "read-organization-connections": [
    "listOrganizationEnabledConnections",
    "getOrganizationEnabledConnection",
    "listOrganizationConnections",
    "getOrganizationConnection",
  ],
  "write-organization-connections": [
    "addOrganizationEnabledConnection",
    "updateOrganizationEnabledConnection",
    "deleteOrganizationEnabledConnection",
    "createOrganizationConnection",
    "updateOrganizationConnection",
    "deleteOrganizationConnection",
  ],
  /** "Read Connections" — the page links it to Get Connections (the list). */
  "read-connections": ["listConnections"],
  /** "Read Clients" without a condition (Essentials and Professional). */
  "read-clients": ["listClients"],
  /** "Read Clients — only applies to the usage of the `q` parameter". */
  "read-clients-query": ["listClients"],
  "read-organization-client-grants": ["listOrganizationClientGrants"],
  /** "Write Organization Client Grants": POST only. */
  "write-organization-client-grants": ["POST /organizations/{id}/client-grants"],
} as const;

type GroupName = keyof typeof GROUP_OPERATIONS;
type Figures = [burst: number, rate: string];

export interface LimitPreset {
  /** The subscription type as Auth0's page names it. */
  title: string;
  page: string;
  /** When the page's source last changed, as read. */
  pageDate: string;
  /** The page's tenant-wide Management API row; absent when the page gives none. */
  tenant?: Figures;
  groups: Partial<Record<GroupName, Figures>>;
  /** What the page leaves out that a reader might expect. */
  notes?: string;
}

const ENTERPRISE_GROUPS: LimitPreset["groups"] = {
  "read-organizations": [10, "100/minute"],
  "read-organization-by-id": [10, "100/minute"],
  "read-organization-by-name": [20, "200/minute"],
  "write-organizations": [5, "150/minute"],
  "read-organization-connections": [10, "100/minute"],
  "write-organization-connections": [5, "150/minute"],
  "read-clients-query": [5, "150/minute"],
  "read-organization-client-grants": [10, "100/minute"],
  "write-organization-client-grants": [5, "150/minute"],
};

/** The private-cloud tiers' tables have the same rows; `tier(…)` lists them in the pages' order. */
function tier(
  byId: Figures,
  others: {
    reads: Figures;
    byName: Figures;
    writes: Figures;
    linkReads?: Figures;
    linkWrites: Figures;
    clientsQuery?: Figures;
    grantReads?: Figures;
    grantWrites?: Figures;
  },
): LimitPreset["groups"] {
  return {
    "read-organizations": others.reads,
    "read-organization-by-id": byId,
    "read-organization-by-name": others.byName,
    "write-organizations": others.writes,
    ...(others.linkReads ? { "read-organization-connections": others.linkReads } : {}),
    "write-organization-connections": others.linkWrites,
    ...(others.clientsQuery ? { "read-clients-query": others.clientsQuery } : {}),
    ...(others.grantReads ? { "read-organization-client-grants": others.grantReads } : {}),
    ...(others.grantWrites ? { "write-organization-client-grants": others.grantWrites } : {}),
  };
}

export const LIMIT_PRESETS = {
  free: {
    title: "Free",
    page: `${PAGES}/free-public`,
    pageDate: "2026-07-30",
    tenant: [2, "2/second"],
    groups: {},
    notes: "no endpoint group of the page covers an operation of this spec",
  },
  "self-service": {
    title: "Essentials and Professional (formerly Self Service)",
    page: `${PAGES}/essentials-professional-b2b`,
    pageDate: "2026-07-24",
    groups: {
      "read-organizations": [5, "50/minute"],
      "read-organization-by-id": [20, "200/minute"],
      "read-organization-by-name": [10, "100/minute"],
      "write-organizations": [5, "25/minute"],
      "read-organization-connections": [5, "50/minute"],
      "write-organization-connections": [5, "25/minute"],
      "read-clients": [5, "100/minute"],
      "read-connections": [5, "50/minute"],
      "read-clients-query": [5, "150/minute"],
      "read-organization-client-grants": [10, "100/minute"],
      "write-organization-client-grants": [5, "150/minute"],
    },
    notes: "the page gives no tenant-wide Management API row, so there is no tenant bucket; operations outside its groups are not limited",
  },
  enterprise: {
    title: "Enterprise (production tenant)",
    page: `${PAGES}/enterprise-public`,
    pageDate: "2026-07-24",
    tenant: [50, "16/second"],
    groups: ENTERPRISE_GROUPS,
  },
  "enterprise-non-production": {
    title: "Enterprise (non-production tenant)",
    page: `${PAGES}/enterprise-public`,
    pageDate: "2026-07-24",
    tenant: [10, "2/second"],
    groups: ENTERPRISE_GROUPS,
    notes: "the page's endpoint table is not split by environment, so the groups are the production tenant's",
  },
  "private-cloud-dev": {
    title: "Tier Dev Private Cloud (20 RPS)",
    page: `${PAGES}/tier-20-development-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [20, "20/second"],
    groups: tier([40, "500/minute"], {
      reads: [10, "100/minute"],
      byName: [20, "200/minute"],
      writes: [5, "150/minute"],
      linkReads: [10, "100/minute"],
      linkWrites: [5, "150/minute"],
      clientsQuery: [5, "150/minute"],
      grantReads: [10, "100/minute"],
      grantWrites: [5, "150/minute"],
    }),
  },
  "private-cloud-100": {
    title: "Private Cloud Basic 100 RPS (1x)",
    page: `${PAGES}/tier-100-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [50, "50/second"],
    groups: tier([40, "500/minute"], {
      reads: [10, "100/minute"],
      byName: [20, "200/minute"],
      writes: [5, "150/minute"],
      linkWrites: [5, "150/minute"],
      clientsQuery: [5, "150/minute"],
      grantReads: [10, "100/minute"],
      grantWrites: [5, "150/minute"],
    }),
    notes: "the page has no Read Organization Connections row, so link reads draw on the tenant bucket only",
  },
  "private-cloud-500": {
    title: "Private Cloud Performance 500 RPS (5x)",
    page: `${PAGES}/tier-500-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [250, "250/second"],
    groups: tier([50, "2500/minute"], {
      reads: [50, "500/minute"],
      byName: [100, "1000/minute"],
      writes: [25, "750/minute"],
      linkReads: [50, "500/minute"],
      linkWrites: [25, "750/minute"],
      clientsQuery: [25, "750/minute"],
      grantReads: [50, "500/minute"],
      grantWrites: [25, "750/minute"],
    }),
  },
  "private-cloud-1500": {
    title: "Private Cloud Performance 1,500 RPS (15x)",
    page: `${PAGES}/tier-1500-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [750, "750/second"],
    groups: tier([150, "7500/minute"], {
      reads: [150, "1500/minute"],
      byName: [30, "3000/minute"],
      writes: [75, "2250/minute"],
      linkReads: [150, "1500/minute"],
      linkWrites: [75, "2250/minute"],
      clientsQuery: [75, "2250/minute"],
      grantReads: [150, "1500/minute"],
      grantWrites: [75, "2250/minute"],
    }),
  },
  "private-cloud-3000": {
    title: "Private Cloud Performance 3,000 RPS (30x)",
    page: `${PAGES}/tier-3000-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [1500, "1500/second"],
    groups: tier([300, "15000/minute"], {
      reads: [300, "3000/minute"],
      byName: [600, "6000/minute"],
      writes: [150, "4500/minute"],
      linkReads: [300, "3000/minute"],
      linkWrites: [150, "4500/minute"],
      clientsQuery: [150, "4500/minute"],
      grantReads: [300, "3000/minute"],
      grantWrites: [150, "4500/minute"],
    }),
  },
  "private-cloud-6000": {
    title: "Private Cloud Performance 6,000 RPS (60x)",
    page: `${PAGES}/tier-6000-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [3000, "3000/second"],
    groups: tier([600, "30000/minute"], {
      reads: [600, "6000/minute"],
      byName: [1200, "12000/minute"],
      writes: [300, "9000/minute"],
      linkReads: [600, "6000/minute"],
      linkWrites: [300, "9000/minute"],
      clientsQuery: [300, "9000/minute"],
      grantReads: [600, "6000/minute"],
      grantWrites: [300, "9000/minute"],
    }),
  },
  "private-cloud-10000": {
    title: "Private Cloud Performance 10,000 RPS (100x)",
    page: `${PAGES}/tier-10000-rps-private-cloud`,
    pageDate: "2026-07-29",
    tenant: [5000, "5000/second"],
    groups: tier([4000, "50000/minute"], {
      reads: [1000, "10000/minute"],
      byName: [2000, "20000/minute"],
      writes: [500, "15000/minute"],
      linkReads: [1200, "12000/minute"],
      linkWrites: [600, "18000/minute"],
    }),
    notes: "the page has no Read Clients (q) or organization client grant rows",
  },
} satisfies Record<string, LimitPreset>;

export type LimitPresetName = keyof typeof LIMIT_PRESETS;

export const isLimitPreset = (name: string): name is LimitPresetName => Object.hasOwn(LIMIT_PRESETS, name);

/** A preset as a limits shape (what a user's file would say to get the same). */
export function presetShape(name: LimitPresetName): LimitsShape {
  const preset: LimitPreset = LIMIT_PRESETS[name];
  const groups: EndpointGroupOption[] = Object.entries(preset.groups).map(([group, [burst, rate]]) => ({
    name: group,
    burst,
    rate,
    operations: [...GROUP_OPERATIONS[group as GroupName]],
    ...(group === "read-clients-query" ? { query: "q" } : {}),
  }));
  return { ...(preset.tenant ? { tenant: { burst: preset.tenant[0], rate: preset.tenant[1] } } : {}), groups };
}
