/**
 * `/connections/{id}/clients`: the applications a connection is enabled for, read with checkpoint paging. The
 * checkpoint is an opaque token (the base64url of the position), like Auth0's.
 */
import { noContent, reply } from "../responses.js";
import type { HandlersFor } from "./context.js";
import { checkpointPage } from "./list-pages.js";

export const connectionClientHandlers = {
  getConnectionClients: (context) => {
    const connection = context.store.getConnection(context.params.id);
    // `take` has a default in the spec, filled in by query validation.
    const { page, next } = checkpointPage(
      connection.enabled_clients,
      context.query.take ?? connection.enabled_clients.length,
      context.query.from,
      `clients:${connection.id}`,
    );
    const clients = page.map((client_id) => ({ client_id }));
    return reply(200, next === undefined ? { clients } : { clients, next });
  },

  updateConnectionClients: (context) => {
    context.store.updateConnectionClients(context.params.id, context.body);
    return noContent();
  },
} satisfies HandlersFor<"getConnectionClients" | "updateConnectionClients">;
