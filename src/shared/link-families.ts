/**
 * The two families of endpoints that read and write the same organization-connection links, named by the path
 * segment after `/organizations/{id}/`: the older `enabled_connections` and the newer `connections`.
 */
export type LinkFamily = "enabled_connections" | "connections";
