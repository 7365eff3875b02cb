/**
 * `GET /connections`: the tenant's connections, filtered by exact `name` and by `strategy` (repeatable), in either
 * paging style. With `fields` and `include_fields=true` the live service adds the fields the spec's `fields`
 * parameter names (`id` and `is_domain_connection`) to the listed ones, so the emulator does too.
 */
import type { ConnectionRecord } from "../store.js";
import { fieldsReturnedWithIncludeFields, selectFields } from "../field-selection.js";
import type { HandlersFor } from "./context.js";
import { show } from "./connections.js";
import { listReply } from "./list-pages.js";

export const connectionListHandlers = {
  listConnections: (context) => {
    const { name, strategy: strategies } = context.query;
    const matching = [...context.store.data.connections.values()].filter(
      (connection: ConnectionRecord) =>
        (name === undefined || connection.name === name) && (strategies === undefined || strategies.includes(connection.strategy)),
    );
    const include = context.query.include_fields !== false;
    const added = fieldsReturnedWithIncludeFields(context.operation);
    return listReply(context, "listConnections", matching, (connection) => selectFields(show(context, connection), context.query.fields, include, added));
  },
} satisfies HandlersFor<"listConnections">;
