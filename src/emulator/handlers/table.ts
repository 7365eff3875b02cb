/** Every operation's handler, by the spec's operationId. */
import { clientGrantHandlers } from "./client-grants.js";
import { clientHandlers } from "./clients.js";
import { connectionClientHandlers } from "./connection-clients.js";
import { connectionListHandlers } from "./connection-list.js";
import { connectionHandlers } from "./connections.js";
import { enabledConnectionHandlers } from "./enabled-connections.js";
import { organizationAdminHandlers } from "./organization-admin.js";
import { organizationConnectionHandlers } from "./organization-connections.js";
import { organizationHandlers } from "./organizations.js";

export const HANDLERS = {
  ...organizationHandlers,
  ...enabledConnectionHandlers,
  ...organizationConnectionHandlers,
  ...connectionHandlers,
  ...connectionClientHandlers,
  ...connectionListHandlers,
  ...organizationAdminHandlers,
  ...clientHandlers,
  ...clientGrantHandlers,
};
