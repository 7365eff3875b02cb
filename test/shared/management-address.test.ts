/**
 * One address model (issue 24): a domain or a base URL gives the origin, base path, token URL and audience the
 * client, the contract run and the emulator's callers use — a tenant prefix and a trailing slash handled once.
 */
import { describe, expect, it } from "vitest";
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import { AddressError, addressOfBaseUrl, addressOfDomain } from "../../src/shared/management-address.js";

describe("a Management API address", () => {
  it("from a domain: the spec's base path, the token endpoint at the origin, the audience Auth0 expects", () => {
    expect(addressOfDomain("tenant.eu.auth0.com")).toEqual({
      origin: "https://tenant.eu.auth0.com",
      hostname: "tenant.eu.auth0.com",
      baseUrl: `https://tenant.eu.auth0.com${API_BASE_PATH}`,
      basePath: API_BASE_PATH,
      root: "https://tenant.eu.auth0.com",
      tokenUrl: "https://tenant.eu.auth0.com/oauth/token",
      audience: `https://tenant.eu.auth0.com${API_BASE_PATH}/`,
    });
    expect(addressOfDomain("Tenant.Auth0.com:8443").baseUrl).toBe(`https://tenant.auth0.com:8443${API_BASE_PATH}`);
  });

  it("from a base URL: a tenant prefix before the base path is kept for the token URL and the admin root", () => {
    const address = addressOfBaseUrl(`http://127.0.0.1:8787/tenants/a${API_BASE_PATH}/`);
    expect(address).toMatchObject({
      origin: "http://127.0.0.1:8787",
      baseUrl: `http://127.0.0.1:8787/tenants/a${API_BASE_PATH}`,
      basePath: `/tenants/a${API_BASE_PATH}`,
      root: "http://127.0.0.1:8787/tenants/a",
      tokenUrl: "http://127.0.0.1:8787/tenants/a/oauth/token",
      audience: `http://127.0.0.1:8787/tenants/a${API_BASE_PATH}/`,
    });
    // A base URL that is not under the base path (a mock at its root): the token endpoint at the origin.
    expect(addressOfBaseUrl("http://127.0.0.1:4010")).toMatchObject({
      basePath: "",
      root: "http://127.0.0.1:4010",
      tokenUrl: "http://127.0.0.1:4010/oauth/token",
    });
  });

  it("refuses what is not a host name or an http(s) URL, saying which form it wants", () => {
    expect(() => addressOfDomain("https://tenant.auth0.com")).toThrow(AddressError);
    expect(() => addressOfDomain("tenant.auth0.com/api")).toThrow(/host name such as/);
    expect(() => addressOfBaseUrl("not a url")).toThrow(/absolute URL such as/);
    expect(() => addressOfBaseUrl("ftp://127.0.0.1/api/v2")).toThrow(/http or https/);
  });
});
