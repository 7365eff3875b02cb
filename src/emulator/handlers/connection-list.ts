/**
 * `GET /connections`: the tenant's connections, filtered by exact `name` and by `strategy` (repeatable), in either
 * paging style. With `fields` and `include_fields=true` the live service keeps `id` and `is_domain_connection`
 * besides the listed fields, so the emulator does too.
 */
import type { ConnectionRecord } from "../store.js";
import { alwaysReturnedFields, selectFields } from "../field-selection.js";
import type { HandlerTable, OperationContext } from "./context.js";
import { show } from "./connections.js";
import { listReply, repeated } from "./list-pages.js";

/** Fields a narrowed list item always keeps (as recorded: `fields=name` → `id, is_domain_connection, name`). */
const ALWAYS_LISTED = ["id", "is_domain_connection"];

function listedFields(context: OperationContext): { fields: string | undefined; include: boolean } {
  const fields = context.query.fields as string | undefined;
  const include = context.query.include_fields !== false;
  if (fields === undefined || fields.trim() === "" || !include) return { fields, include };
  return { fields: [fields, ...ALWAYS_LISTED].join(","), include };
}

export const connectionListHandlers: HandlerTable = {
  listConnections: (context) => {
    const name = context.query.name as string | undefined;
    const strategies = repeated(context, "strategy");
    const matching = [...context.store.data.connections.values()].filter(
      (c: ConnectionRecord) => (name === undefined || c.name === name) && (strategies === undefined || strategies.includes(c.strategy)),
    );
    const { fields, include } = listedFields(context);
    return listReply(context, "connections", matching, (c) => selectFields(show(context, c), fields, include, alwaysReturnedFields(context.operation)));
  },
};
