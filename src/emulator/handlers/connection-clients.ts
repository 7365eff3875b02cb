/**
 * `/connections/{id}/clients`: the applications a connection is enabled for, read with checkpoint paging. The
 * checkpoint is an opaque token (the base64url of the position), like Auth0's.
 */
import type { UpdateConnectionClientsRequest } from "../../../generated/schema.js";
import { noContent, reply } from "../responses.js";
import { type HandlerTable, param } from "./context.js";
import { checkpointPage } from "./list-pages.js";

const DEFAULT_TAKE = 50;

export const connectionClientHandlers: HandlerTable = {
  getConnectionClients: (context) => {
    const connection = context.store.getConnection(param(context, "id"));
    const take = (context.query.take as number | undefined) ?? DEFAULT_TAKE;
    const { page, next } = checkpointPage(connection.enabled_clients, take, context.query.from as string | undefined);
    const clients = page.map((client_id) => ({ client_id }));
    return reply(200, next === undefined ? { clients } : { clients, next });
  },

  updateConnectionClients: (context) => {
    context.store.updateConnectionClients(param(context, "id"), context.body as UpdateConnectionClientsRequest);
    return noContent();
  },
};
