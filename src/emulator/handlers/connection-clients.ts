/**
 * `/connections/{id}/clients`: the applications a connection is enabled for, read with checkpoint paging. The
 * checkpoint is an opaque token (the base64url of the position), like Auth0's.
 */
import type { UpdateConnectionClientsRequest } from "../../../generated/schema.js";
import { ApiError, noContent, reply } from "../responses.js";
import { type HandlerTable, param } from "./context.js";

const DEFAULT_TAKE = 50;

function decodeCheckpoint(from: string): number {
  const position = Number(Buffer.from(from, "base64url").toString("utf8"));
  if (!Number.isInteger(position) || position < 0) {
    throw new ApiError(400, "Query validation error: 'Invalid checkpoint' on property from (The checkpoint (the previous page's `next`) to continue from).", "invalid_query_string");
  }
  return position;
}

export const connectionClientHandlers: HandlerTable = {
  getConnectionClients: (context) => {
    const connection = context.store.getConnection(param(context, "id"));
    const take = (context.query.take as number | undefined) ?? DEFAULT_TAKE;
    const from = context.query.from as string | undefined;
    const start = from === undefined || from === "" ? 0 : decodeCheckpoint(from);
    const clients = connection.enabled_clients.slice(start, start + take).map((client_id) => ({ client_id }));
    const end = start + clients.length;
    const page: { clients: typeof clients; next?: string } = { clients };
    if (end < connection.enabled_clients.length) page.next = Buffer.from(String(end), "utf8").toString("base64url");
    return reply(200, page);
  },

  updateConnectionClients: (context) => {
    context.store.updateConnectionClients(param(context, "id"), context.body as UpdateConnectionClientsRequest);
    return noContent();
  },
};
