/**
 * Type-level tests of the client: every call is checked against the spec's types — path and query parameters,
 * request bodies (exactly, unlike plain openapi-fetch), and the data/error union of the answer.
 */
import createClient from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import { createManagementClient, paginate, type ManagementApiError, type PaginatedItem, type PaginatedPath } from "../../src/client/index.js";
import type {
  Connection,
  ConnectionDeletion,
  ConnectionFields,
  ConnectionsCheckpointPage,
  ConnectionsPage,
  EnabledConnection,
  ErrorResponse,
  ListedConnection,
  Organization,
  OrganizationConnection,
  OrganizationConnectionsPage,
  paths,
} from "../../src/client/types.js";

const client = createManagementClient({ domain: "acme.auth0.com", token: "token" });
const id = "org_bCE84ZIRjtX58FeO";
const connection_id = "con_PmFe8KxCsPJvZRrj";

describe("parameters", () => {
  it("requires the path parameters with their spec names", () => {
    void client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id, connection_id } } });
    // @ts-expect-error -- connection_id is missing
    void client.GET("/organizations/{id}/connections/{connection_id}", { params: { path: { id } } });
    // @ts-expect-error -- the old family calls it connectionId
    void client.GET("/organizations/{id}/enabled_connections/{connectionId}", { params: { path: { id, connection_id } } });
    // @ts-expect-error -- the options (and their path parameters) cannot be left out
    void client.GET("/organizations/{id}");
    // @ts-expect-error -- not an endpoint of the spec
    void client.GET("/users/{id}", { params: { path: { id } } });
  });

  it("types query parameters and refuses unknown ones", () => {
    void client.GET("/organizations/{id}/connections", { params: { path: { id }, query: { page: 0, per_page: 50, include_totals: true, is_enabled: true } } });
    // @ts-expect-error -- per_page is a number
    void client.GET("/organizations/{id}/connections", { params: { path: { id }, query: { per_page: "50" } } });
    // @ts-expect-error -- misspelt query parameter
    void client.GET("/organizations/{id}/connections", { params: { path: { id }, query: { per_pge: 50 } } });
    // @ts-expect-error -- is_enabled filters only the new family
    void client.GET("/organizations/{id}/enabled_connections", { params: { path: { id }, query: { is_enabled: true } } });
  });
});

describe("request bodies", () => {
  it("require the required fields and accept the optional ones", () => {
    void client.POST("/organizations/{id}/connections", {
      params: { path: { id } },
      body: { connection_id, is_enabled: true, organization_access_level: "readonly" },
    });
    // @ts-expect-error -- connection_id is required
    void client.POST("/organizations/{id}/connections", { params: { path: { id } }, body: { is_enabled: true } });
  });

  it("refuse a misspelt extra field, which plain openapi-fetch lets through (its issue #1769)", () => {
    // @ts-expect-error -- is_enabld is not a field of CreateOrganizationConnectionRequest
    void client.POST("/organizations/{id}/connections", { params: { path: { id } }, body: { connection_id, is_enabld: true } });
    // @ts-expect-error -- nested objects are exact too
    void client.PATCH("/connections/{id}", { params: { path: { id: connection_id } }, body: { authentication: { active: true, actve: false } } });
    // @ts-expect-error -- and so are array items
    void client.PATCH("/connections/{id}/clients", { params: { path: { id: connection_id } }, body: [{ client_id: "abc", status: true, stauts: 1 }] });

    // The gap being closed: the same misspelling compiles with a bare openapi-fetch client. If openapi-fetch
    // ever fixes #1769 this line fails to compile, and the exact-body layer can be reconsidered.
    const bare = createClient<paths>({ baseUrl: "https://acme.auth0.com/api/v2" });
    void bare.POST("/organizations/{id}/connections", { params: { path: { id } }, body: { connection_id, is_enabld: true } });
  });

  it("keep free-form maps free-form", () => {
    void client.PATCH("/connections/{id}", { params: { path: { id: connection_id } }, body: { metadata: { any_key: "value", other: null } } });
    void client.POST("/organizations", { body: { name: "acme", metadata: { tier: "gold" } } });
    void client.PATCH("/connections/{id}", {
      params: { path: { id: connection_id } },
      body: { options: { brute_force_protection: true, passwordPolicy: "good" } },
    });
  });

  it("allow null exactly where the spec does", () => {
    void client.PATCH("/organizations/{id}/connections/{connection_id}", {
      params: { path: { id, connection_id } },
      body: { organization_connection_name: null, organization_access_level: null, is_enabled: null },
    });
    void client.PATCH("/organizations/{id}/connections/{connection_id}", {
      params: { path: { id, connection_id } },
      // @ts-expect-error -- assign_membership_on_login is not nullable
      body: { assign_membership_on_login: null },
    });
    // @ts-expect-error -- the create body does not take null
    void client.POST("/organizations/{id}/connections", { params: { path: { id } }, body: { connection_id, organization_connection_name: null } });
  });

  it("keep enums closed", () => {
    void client.PATCH("/organizations/{id}/connections/{connection_id}", {
      params: { path: { id, connection_id } },
      body: { organization_access_level: "full" },
    });
    void client.PATCH("/organizations/{id}/connections/{connection_id}", {
      params: { path: { id, connection_id } },
      // @ts-expect-error -- "admin" is not an access level
      body: { organization_access_level: "admin" },
    });
  });

  it("accept a body typed with the spec's alias", () => {
    const body: paths["/organizations/{id}/connections/{connection_id}"]["patch"]["requestBody"]["content"]["application/json"] = { is_enabled: false };
    void client.PATCH("/organizations/{id}/connections/{connection_id}", { params: { path: { id, connection_id } }, body });
  });

  it("refuse a body where the operation takes none", () => {
    // @ts-expect-error -- GET has no body
    void client.GET("/organizations/{id}", { params: { path: { id } }, body: { name: "x" } });
  });
});

describe("answers", () => {
  it("type data as the success body and error as Auth0's error body", async () => {
    const list = await client.GET("/organizations/{id}/connections", { params: { path: { id }, query: { include_totals: true } } });
    expectTypeOf(list.data).toEqualTypeOf<OrganizationConnectionsPage | undefined>();
    expectTypeOf(list.error).toEqualTypeOf<ErrorResponse | undefined>();
    expectTypeOf(list.response).toEqualTypeOf<Response>();

    const removal = await client.DELETE("/connections/{id}", { params: { path: { id: connection_id } } });
    // 202 carries { deleted_at }, 204 carries nothing.
    expectTypeOf(removal.data).toEqualTypeOf<ConnectionDeletion | undefined>();
  });

  it("narrow data and error against each other", async () => {
    const result = await client.GET("/organizations/{id}/enabled_connections", { params: { path: { id } } });
    if (result.error) {
      expectTypeOf(result.error).toEqualTypeOf<ErrorResponse>();
      expectTypeOf(result.data).toEqualTypeOf<undefined>();
    } else {
      expectTypeOf(result.data).toEqualTypeOf<EnabledConnection[]>();
    }
  });

  it("type a list answer by what was asked: a plain array, a page with totals, or a checkpoint page (issue 21)", async () => {
    const unwrap = client.unwrap;
    // Without `fields` the items are whole connections (id, name and strategy certain); with it, field selections.
    // (`branded`: `Connection` is an intersection, which the plain comparison does not flatten.)
    type WholePage<Page, Key extends keyof Page> = Omit<Page, Key> & { [K in Key]: Connection[] };
    expectTypeOf(await unwrap(client.GET("/connections", {}))).branded.toEqualTypeOf<Connection[]>();
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { strategy: ["okta"] } } }))).branded.toEqualTypeOf<Connection[]>();
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { include_totals: false, per_page: 5 } } }))).branded.toEqualTypeOf<Connection[]>();
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { include_totals: true, page: 1 } } }))).branded.toEqualTypeOf<
      WholePage<ConnectionsPage, "connections">
    >();
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { take: 10 } } }))).branded.toEqualTypeOf<{
      connections: Connection[];
      next?: string;
    }>();
    expectTypeOf(
      await unwrap(client.GET("/connections", { params: { query: { from: "abc", include_totals: true, fields: "id" } } })),
    ).branded.toEqualTypeOf<ConnectionsCheckpointPage>();
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { fields: "name", include_fields: true } } }))).branded.toEqualTypeOf<
      ListedConnection[]
    >();
    expectTypeOf(await unwrap(client.GET("/connections/{id}", { params: { path: { id } } }))).branded.toEqualTypeOf<Connection>();
    expectTypeOf(await unwrap(client.GET("/connections/{id}", { params: { path: { id }, query: { fields: "name" } } }))).branded.toEqualTypeOf<
      Connection | ConnectionFields
    >();
    // A flag only known at run time keeps the shapes it may select.
    const totals = Math.random() > 0.5;
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { include_totals: totals, fields: "id" } } }))).branded.toEqualTypeOf<
      ListedConnection[] | ConnectionsPage
    >();
    const fields = Math.random() > 0.5 ? "id" : undefined;
    expectTypeOf(await unwrap(client.GET("/connections", { params: { query: { fields } } }))).branded.toEqualTypeOf<ListedConnection[]>();
    // An answer that is not a union of list shapes is as the spec says.
    expectTypeOf(await unwrap(client.GET("/organizations/{id}", { params: { path: { id } } }))).toEqualTypeOf<Organization>();
  });

  it("unwrap() resolves to the success body of the operation called", async () => {
    expectTypeOf(await client.unwrap(client.GET("/organizations/{id}", { params: { path: { id } } }))).toEqualTypeOf<Organization>();
    expectTypeOf(
      await client.unwrap(
        client.PATCH("/organizations/{id}/connections/{connection_id}", { params: { path: { id, connection_id } }, body: { is_enabled: true } }),
      ),
    ).toEqualTypeOf<OrganizationConnection>();
    expectTypeOf(
      await client.unwrap(client.DELETE("/organizations/{id}/enabled_connections/{connectionId}", { params: { path: { id, connectionId: connection_id } } })),
    ).toEqualTypeOf<undefined>();
    expectTypeOf(client.errorOf).returns.toEqualTypeOf<ManagementApiError>();
  });
});

describe("paginate", () => {
  it("covers exactly the page/per_page and checkpoint list endpoints and types their items", async () => {
    expectTypeOf<PaginatedPath>().toEqualTypeOf<
      | "/organizations/{id}/enabled_connections"
      | "/organizations/{id}/connections"
      | "/organizations/{id}/client-grants"
      | "/clients"
      | "/connections"
      | "/organizations"
      | "/client-grants"
      | "/connections/{id}/clients"
    >();
    for await (const item of paginate(client, "/organizations/{id}/enabled_connections", { params: { path: { id } } })) {
      expectTypeOf(item).toEqualTypeOf<EnabledConnection>();
    }
    for await (const item of paginate(client, "/organizations/{id}/connections", { params: { path: { id }, query: { is_enabled: true, per_page: 20 } } })) {
      expectTypeOf(item).toEqualTypeOf<OrganizationConnection>();
    }
    for await (const item of paginate(client, "/connections", { params: { query: { strategy: ["auth0"], take: 50 } } })) {
      expectTypeOf(item).branded.toEqualTypeOf<Connection>();
    }
    for await (const item of paginate(client, "/connections/{id}/clients", { params: { path: { id } } })) {
      expectTypeOf(item).toEqualTypeOf<{ client_id: string }>();
    }
    // @ts-expect-error -- checkpoint lists are walked with take/from, not page numbers
    void paginate(client, "/organizations", { params: { query: { page: 2 } } });
    // @ts-expect-error -- take is a number
    void paginate(client, "/connections", { params: { query: { take: "50" } } });
    // @ts-expect-error -- a misspelt filter beside a real one
    void paginate(client, "/connections", { params: { query: { strategy: ["auth0"], tak: 50 } } });
    // @ts-expect-error -- include_totals is always sent by paginate
    void paginate(client, "/organizations/{id}/connections", { params: { path: { id }, query: { include_totals: false } } });
  });

  it("yields whole objects when no `fields` is sent, and field selections when it is, as the client's own calls do", async () => {
    // (`branded`: `Connection` is an intersection, which the plain comparison does not flatten.)
    for await (const item of paginate(client, "/connections", { params: {} })) expectTypeOf(item).branded.toEqualTypeOf<Connection>();
    for await (const item of paginate(client, "/connections", { params: { query: { name: "db" } } })) expectTypeOf(item).branded.toEqualTypeOf<Connection>();
    for await (const item of paginate(client, "/connections", { params: { query: { fields: "id,name", include_fields: true } } })) {
      expectTypeOf(item).toEqualTypeOf<ListedConnection>();
    }
    // A `fields` known only at run time may be sent, so the items may be selections.
    const fields = Math.random() > 0.5 ? "id" : undefined;
    for await (const item of paginate(client, "/connections", { params: { query: { fields } } })) expectTypeOf(item).toEqualTypeOf<ListedConnection>();
    // A query held in a variable of the operation's own query type (as code written before this narrowing did): accepted.
    const linkQuery: NonNullable<paths["/organizations/{id}/connections"]["get"]["parameters"]["query"]> = { per_page: 1 };
    for await (const item of paginate(client, "/organizations/{id}/connections", { params: { path: { id }, query: linkQuery } })) {
      expectTypeOf(item).toEqualTypeOf<OrganizationConnection>();
    }
    const connectionQuery: NonNullable<paths["/connections"]["get"]["parameters"]["query"]> = { take: 5 };
    for await (const item of paginate(client, "/connections", { params: { query: connectionQuery } })) expectTypeOf(item).toEqualTypeOf<ListedConnection>();
    // Lists without a `fields` parameter are as the spec says; the item type of a path alone is what any query may yield.
    for await (const item of paginate(client, "/organizations/{id}/connections", { params: { path: { id } } })) {
      expectTypeOf(item).toEqualTypeOf<OrganizationConnection>();
    }
    expectTypeOf<PaginatedItem<"/connections">>().toEqualTypeOf<ListedConnection>();
    expectTypeOf<PaginatedItem<"/connections", { take: 10 }>>().branded.toEqualTypeOf<Connection>();
  });
});

describe("options", () => {
  it("take one target and one way to authenticate", () => {
    createManagementClient({ baseUrl: "http://127.0.0.1:8787/api/v2", token: async () => "t" });
    createManagementClient({ domain: "acme.auth0.com", clientId: "id", clientSecret: "secret", audience: "https://acme.auth0.com/api/v2/" });
    // @ts-expect-error -- domain and baseUrl together
    createManagementClient({ domain: "acme.auth0.com", baseUrl: "https://acme.auth0.com/api/v2", token: "t" });
    // @ts-expect-error -- a token and client credentials together
    createManagementClient({ domain: "acme.auth0.com", token: "t", clientId: "id", clientSecret: "secret" });
    // @ts-expect-error -- a client id without its secret
    createManagementClient({ domain: "acme.auth0.com", clientId: "id" });
  });
});
