/**
 * `GET /connections`: the tenant's connections, filtered by exact `name` and by `strategy` (repeatable), in either
 * paging style. With `fields` and `include_fields=true` the live service keeps `id` and `is_domain_connection`
 * besides the listed fields, so the emulator does too.
 */
import type { ConnectionRecord } from "../store.js";
import { alwaysReturnedFields, selectFields } from "../field-selection.js";
import type { HandlersFor, OperationContext } from "./context.js";
import { show } from "./connections.js";
import { listReply } from "./list-pages.js";

/** Fields a narrowed list item always keeps (as recorded: `fields=name` → `id, is_domain_connection, name`). */
const ALWAYS_LISTED = ["id", "is_domain_connection"];

function listedFields(context: OperationContext<"listConnections">): { fields: string | undefined; include: boolean } {
  const fields = context.query.fields;
  const include = context.query.include_fields !== false;
  if (fields === undefined || fields.trim() === "" || !include) return { fields, include };
  return { fields: [fields, ...ALWAYS_LISTED].join(","), include };
}

export const connectionListHandlers = {
  listConnections: (context) => {
    const { name, strategy: strategies } = context.query;
    const matching = [...context.store.data.connections.values()].filter(
      (connection: ConnectionRecord) => (name === undefined || connection.name === name) && (strategies === undefined || strategies.includes(connection.strategy)),
    );
    const { fields, include } = listedFields(context);
    return listReply(context, "connections", matching, (connection) => selectFields(show(context, connection), fields, include, alwaysReturnedFields(context.operation)));
  },
} satisfies HandlersFor<"listConnections">;
