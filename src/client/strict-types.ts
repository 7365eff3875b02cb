/**
 * The client's method types: openapi-fetch's own, with one gap closed. openapi-fetch infers the options object
 * as a generic, so TypeScript's excess-property check never sees the body and a misspelt field slips through
 * (openapi-fetch issue #1769). Here every key of the body (and of the path and query parameters) must exist in
 * the operation's schema, at every depth; objects with free-form keys (metadata) keep accepting any key.
 */
/* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any -- type-level code: `{}` is "no keys" in the
   conditional types below, and openapi-fetch's response types require a `Record<string | number, any>` operation. */
import type { Client, ClientPathsWithMethod, FetchResponse, MaybeOptionalInit } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type AnyMediaType = `${string}/${string}`;

/** The JSON request body an operation declares, or never. */
export type RequestBodyOf<Operation> = Operation extends { requestBody?: infer Body }
  ? NonNullable<Body> extends { content: { "application/json": infer Json } }
    ? Json
    : never
  : never;

/** Every key of every member of a union (plain `keyof` keeps only the shared ones). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type PropertyOf<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/**
 * `Sent` with every key that `Shape` does not declare turned into `never`, recursively, so that passing such a
 * key is a type error at the key itself.
 */
export type Exact<Shape, Sent> = Sent extends readonly (infer SentItem)[]
  ? NonNullable<Shape> extends readonly (infer ShapeItem)[]
    ? Exact<ShapeItem, SentItem>[]
    : Sent
  : Sent extends object
    ? { [K in keyof Sent]: K extends KeysOfUnion<NonNullable<Shape>> ? Exact<PropertyOf<NonNullable<Shape>, K>, Sent[K]> : never }
    : Sent;

/** The parameters an operation declares (path, query…). */
type ParametersOf<Operation> = Operation extends { parameters: infer Parameters } ? Parameters : never;

/** The options object, with its body and parameters (if any) held to the exact schema of the operation. */
type StrictInit<Init, Operation> = StrictParams<StrictBody<Init, RequestBodyOf<Operation>>, ParametersOf<Operation>>;
type StrictBody<Init, Body> = [Body] extends [never] ? Init : Replace<Init, "body", Body>;
type StrictParams<Init, Parameters> = [Parameters] extends [never] ? Init : Replace<Init, "params", Parameters>;
/** `Init` with its `Key` member held to `Shape`; a homomorphic mapping, so optional stays optional and required stays required. */
type Replace<Init, Key extends PropertyKey, Shape> = { [K in keyof Init]: K extends Key ? Exact<Shape, Init[K]> : Init[K] };

type RequiredKeysOf<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** openapi-fetch's rule: the options argument may be left out only when nothing in it is required. */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/** The operation object of a path and method (openapi-fetch's response types want it as a record). */
type OperationAt<Path extends keyof paths, Method extends HttpMethod> = paths[Path][Method] extends infer Operation extends Record<string | number, any>
  ? Operation
  : never;

/**
 * List answers typed by what was asked. The spec's list operations answer one of several shapes, chosen by the
 * query (see the operations' `include_totals`, `take` and `from` descriptions): a plain array by default, a page
 * with `total` when `include_totals` is true, a checkpoint page (`{<items>, next?}`) once `take` or `from` is sent.
 * The shapes themselves come from the generated types; this only picks among the union's members, so an answer
 * that is not such a union stays as the spec says. A flag whose value is known only at run time (`boolean`)
 * keeps every shape it may select.
 */
type QueryOf<Init> = Init extends { params?: { query?: infer Query } } ? NonNullable<Query> : {};
type Sent<Query, Key extends PropertyKey> = Key extends keyof Query ? ([Exclude<Query[Key], undefined>] extends [never] ? false : true) : false;
type ArrayMembers<Data> = Extract<Data, readonly unknown[]>;
type TotalsMembers<Data> = Exclude<Extract<Data, { total: number }>, readonly unknown[]>;
type CheckpointMembers<Data> = Exclude<Exclude<Data, readonly unknown[]>, { total: number }>;
/** The members `Query` selects, or all of `Data` when it has none of that shape (not a list union). */
type Selected<Data, Members> = [Members] extends [never] ? Data : Members;
export type ListAnswer<Data, Query> = [ArrayMembers<Data>] extends [never]
  ? Data
  : Sent<Query, "take"> extends true
    ? Selected<Data, CheckpointMembers<Data>>
    : Sent<Query, "from"> extends true
      ? Selected<Data, CheckpointMembers<Data>>
      : "include_totals" extends keyof Query
        ? [Exclude<Query["include_totals" & keyof Query], undefined>] extends [true]
          ? Selected<Data, TotalsMembers<Data>>
          : [Exclude<Query["include_totals" & keyof Query], undefined>] extends [false]
            ? ArrayMembers<Data>
            : ArrayMembers<Data> | Selected<Data, TotalsMembers<Data>>
        : ArrayMembers<Data>;

/**
 * Whole objects when no `fields` were asked for. An operation with a `fields` parameter answers a union of the
 * whole object (a schema with required fields, such as `Connection`) and a field selection (no field certain, such
 * as `ConnectionFields`), as the spec's `anyOf` says. Without `fields` only the whole object can come back, so the
 * union narrows to its members that promise some field; with `fields` (or a value known only at run time) it stays.
 */
type WholeMembers<T> = T extends unknown ? ([RequiredKeysOf<T>] extends [never] ? never : T) : never;
/** The members of `T` that promise some field (the whole objects), or `T` itself when none does. */
export type Whole<T> = [WholeMembers<T>] extends [never] ? T : WholeMembers<T>;
type WholeItems<Value> = Value extends readonly (infer Item)[] ? Whole<Item>[] : Value;
type WholeAnswer<Data> =
  Whole<Data> extends infer Narrowed
    ? Narrowed extends readonly unknown[]
      ? WholeItems<Narrowed>
      : Narrowed extends object
        ? { [K in keyof Narrowed]: WholeItems<Narrowed[K]> }
        : Narrowed
    : never;
/**
 * `Data` as answered to `Query`: `Narrowed` (its whole objects) where the operation takes `fields` (its query type
 * is `OperationQuery`) and `Query` does not send it, else `Data` as the spec says. Shared with `paginate()`.
 */
export type UnlessFieldsSent<Data, Narrowed, Query, OperationQuery> = "fields" extends keyof OperationQuery
  ? Sent<Query, "fields"> extends true
    ? Data
    : Narrowed
  : Data;
type FieldsAnswer<Data, Query, Operation> = UnlessFieldsSent<Data, WholeAnswer<Data>, Query, QueryOf<{ params: ParametersOf<Operation> }>>;

/** openapi-fetch's answer with its success `data` narrowed by `ListAnswer` and `FieldsAnswer`. */
type TypedAnswer<Result, Init, Operation> = Result extends { data: infer Data; error?: never; response: Response }
  ? { data: FieldsAnswer<ListAnswer<Data, QueryOf<Init>>, QueryOf<Init>, Operation>; error?: never; response: Response }
  : Result;

/** A method of the client for one HTTP verb: typed path, params, exact body and response union. */
export type StrictClientMethod<Method extends HttpMethod> = <
  Path extends ClientPathsWithMethod<Client<paths>, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  url: Path,
  ...init: InitParam<StrictInit<Init, OperationAt<Path, Method>>>
) => Promise<TypedAnswer<FetchResponse<OperationAt<Path, Method>, Init, AnyMediaType>, Init, OperationAt<Path, Method>>>;

/** `client.request(method, path, init)`: the same checks with the method as an argument. */
export type StrictClientRequestMethod = <
  Method extends HttpMethod,
  Path extends ClientPathsWithMethod<Client<paths>, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  method: Method,
  url: Path,
  ...init: InitParam<StrictInit<Init, OperationAt<Path, Method>>>
) => Promise<TypedAnswer<FetchResponse<OperationAt<Path, Method>, Init, AnyMediaType>, Init, OperationAt<Path, Method>>>;
