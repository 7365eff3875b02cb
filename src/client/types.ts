/**
 * The spec's types for callers: `paths`, `components`, `operations` and the short root aliases
 * (`OrganizationConnection`, `UpdateOrganizationConnectionRequest`…), all generated from the OpenAPI document.
 */
export type * from "../../generated/schema.js";
