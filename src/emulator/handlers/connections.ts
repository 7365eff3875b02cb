/**
 * `/connections` and `/connections/{id}`. `options` is shown only to tokens with `read:connections_options`;
 * changing it needs `update:connections_options`, which the pipeline checks from the spec's `x-additional-scopes`.
 */
import { fieldsReturnedWithIncludeFields, selectFields } from "../field-selection.js";
import { noContent, reply } from "../responses.js";
import type { ConnectionRecord } from "../store.js";
import { connectionView } from "../views.js";
import type { HandlersFor, OperationContext } from "./context.js";

const READ_OPTIONS = "read:connections_options";

/** A connection as this token may see it. */
export function show(context: Pick<OperationContext, "token" | "domain">, connection: ConnectionRecord) {
  return connectionView(connection, { includeOptions: context.token.scopes.has(READ_OPTIONS), domain: context.domain });
}

export const connectionHandlers = {
  createConnection: (context) => reply(201, show(context, context.store.createConnection(context.body))),

  getConnection: (context) => {
    const view = show(context, context.store.getConnection(context.params.id));
    return reply(200, selectFields(view, context.query.fields, context.query.include_fields !== false, fieldsReturnedWithIncludeFields(context.operation)));
  },

  updateConnection: (context) => reply(200, show(context, context.store.updateConnection(context.params.id, context.body))),

  /** 202 with the deletion time while the connection exists, 204 once it is gone. */
  deleteConnection: (context) => {
    if (!context.store.deleteConnection(context.params.id)) return noContent();
    return reply(202, { deleted_at: new Date().toISOString() });
  },
} satisfies HandlersFor<"createConnection" | "getConnection" | "updateConnection" | "deleteConnection">;
