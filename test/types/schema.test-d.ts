/** Type-level checks that the spec's nullables, enums and list variants come through openapi-typescript intact. */
import { describe, expectTypeOf, it } from "vitest";
import type {
  EnabledConnection,
  EnabledConnectionsPage,
  OrganizationAccessLevel,
  OrganizationConnection,
  OrganizationConnectionsPage,
  UpdateConnectionRequest,
  UpdateOrganizationConnectionRequest,
  operations,
  paths,
} from "../../generated/schema.js";

type JsonBody<T> = T extends { content: { "application/json": infer B } } ? B : never;

describe("generated types", () => {
  it("keep the access-level enum closed", () => {
    expectTypeOf<OrganizationAccessLevel>().toEqualTypeOf<"none" | "readonly" | "limited" | "full">();
    expectTypeOf<OrganizationConnection["organization_access_level"]>().toEqualTypeOf<OrganizationAccessLevel>();
  });

  it("let PATCH bodies send null where the service accepts it, and nowhere else", () => {
    expectTypeOf<UpdateOrganizationConnectionRequest["organization_connection_name"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<UpdateOrganizationConnectionRequest["organization_access_level"]>().toEqualTypeOf<
      "none" | "readonly" | "limited" | "full" | null | undefined
    >();
    expectTypeOf<UpdateOrganizationConnectionRequest["is_enabled"]>().toEqualTypeOf<boolean | null | undefined>();
    expectTypeOf<UpdateOrganizationConnectionRequest["assign_membership_on_login"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<UpdateConnectionRequest["enabled_clients"]>().toEqualTypeOf<string[] | null | undefined>();
  });

  it("type both list endpoints as the plain array or the page with totals", () => {
    type NewList = JsonBody<operations["listOrganizationConnections"]["responses"][200]>;
    expectTypeOf<NewList>().toEqualTypeOf<OrganizationConnection[] | OrganizationConnectionsPage>();
    type OldList = JsonBody<operations["listOrganizationEnabledConnections"]["responses"][200]>;
    expectTypeOf<OldList>().toEqualTypeOf<EnabledConnection[] | EnabledConnectionsPage>();
  });

  it("make optional what the live service may leave out", () => {
    expectTypeOf<EnabledConnection["is_signup_enabled"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<OrganizationConnection["organization_connection_name"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<OrganizationConnection["connection_id"]>().toEqualTypeOf<string>();
  });

  it("type path and query parameters", () => {
    type ListParams = paths["/organizations/{id}/connections"]["get"]["parameters"];
    expectTypeOf<ListParams["path"]>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<NonNullable<ListParams["query"]>["per_page"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<ListParams["query"]>["is_enabled"]>().toEqualTypeOf<boolean | undefined>();
  });
});
