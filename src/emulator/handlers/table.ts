/** Every operation's handler, by the spec's operationId: one for each operation of the spec, checked at compile time. */
import type { HandlerTable } from "./context.js";
import { clientGrantHandlers } from "./client-grants.js";
import { clientHandlers } from "./clients.js";
import { connectionClientHandlers } from "./connection-clients.js";
import { connectionListHandlers } from "./connection-list.js";
import { connectionHandlers } from "./connections.js";
import { enabledConnectionHandlers, organizationConnectionHandlers } from "./links.js";
import { organizationHandlers } from "./organizations.js";

export const HANDLERS: HandlerTable = {
  ...organizationHandlers,
  ...enabledConnectionHandlers,
  ...organizationConnectionHandlers,
  ...connectionHandlers,
  ...connectionClientHandlers,
  ...connectionListHandlers,
  ...clientHandlers,
  ...clientGrantHandlers,
};
