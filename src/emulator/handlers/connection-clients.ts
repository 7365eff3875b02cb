/**
 * `/connections/{id}/clients`: the applications a connection is enabled for, read with checkpoint paging. The
 * checkpoint is an opaque token (the base64url of the position), like Auth0's.
 */
import { noContent, reply } from "../responses.js";
import type { HandlersFor } from "./context.js";
import { checkpointPage } from "./list-pages.js";

const DEFAULT_TAKE = 50;

export const connectionClientHandlers = {
  getConnectionClients: (context) => {
    const connection = context.store.getConnection(context.params.id);
    const take = context.query.take ?? DEFAULT_TAKE;
    const { page, next } = checkpointPage(connection.enabled_clients, take, context.query.from);
    const clients = page.map((client_id) => ({ client_id }));
    return reply(200, next === undefined ? { clients } : { clients, next });
  },

  updateConnectionClients: (context) => {
    context.store.updateConnectionClients(context.params.id, context.body);
    return noContent();
  },
} satisfies HandlersFor<"getConnectionClients" | "updateConnectionClients">;
