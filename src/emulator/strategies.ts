/**
 * What the emulator knows about connection strategies: which kind each is, and the option defaults a live tenant
 * was recorded filling in. This is behaviour, not contract (the spec keeps `options` free-form), so it lives here.
 */

/** Auth0's enterprise strategies: their organization links carry no `is_signup_enabled`, and they show `show_as_button`. */
const ENTERPRISE_STRATEGIES = new Set([
  "ad",
  "adfs",
  "auth0-adldap",
  "custom",
  "google-apps",
  "ip",
  "office365",
  "oidc",
  "okta",
  "pingfederate",
  "samlp",
  "sharepoint",
  "waad",
]);

/** Strategies seen echoing the connection's `name` as `display_name` when none is set (OpenID Connect and Azure AD). */
const DISPLAY_NAME_FALLBACK_STRATEGIES = new Set(["oidc", "okta", "waad"]);

/** Strategies whose connections were recorded with a `provisioning_ticket_url` (the connector and SSO-ticket ones). */
const PROVISIONING_TICKET_STRATEGIES = new Set(["ad", "adfs", "google-apps", "pingfederate", "samlp", "waad"]);

/** Strategies that were not seen returning `authentication`/`connected_accounts` (AD connectors). */
const WITHOUT_LOGIN_FLAGS = new Set(["ad", "auth0-adldap"]);

export const DATABASE_STRATEGY = "auth0";

export const isDatabaseStrategy = (strategy: string) => strategy === DATABASE_STRATEGY;
export const isEnterpriseStrategy = (strategy: string) => ENTERPRISE_STRATEGIES.has(strategy);
export const fallsBackToNameForDisplay = (strategy: string) => DISPLAY_NAME_FALLBACK_STRATEGIES.has(strategy);
export const hasLoginFlags = (strategy: string) => !WITHOUT_LOGIN_FLAGS.has(strategy);
export const hasProvisioningTicket = (strategy: string) => PROVISIONING_TICKET_STRATEGIES.has(strategy);

type Options = Record<string, unknown>;

/**
 * Defaults that come back after every update, even when the update's `options` left them out (recorded:
 * `PATCH /connections/{id}` with two options answered with these added).
 */
function persistentDefaults(strategy: string): Options {
  switch (strategy) {
    case "auth0":
      return {
        strategy_version: 2,
        authentication_methods: { password: { enabled: true }, passkey: { enabled: false } },
        passkey_options: { challenge_ui: "both", progressive_enrollment_enabled: true, local_enrollment_enabled: true },
        brute_force_protection: true,
      };
    case "ad":
      return { ips: null, brute_force_protection: true };
    case "okta":
    case "oidc":
      return {
        type: "back_channel",
        schema_version: "oidc-V4",
        attribute_map: { mapping_mode: strategy === "oidc" ? "bind_all" : "basic_profile" },
        connection_settings: { pkce: "auto" },
      };
    default:
      return {};
  }
}

/** Defaults filled in only when a connection is created. */
function creationDefaults(strategy: string): Options {
  if (strategy === "auth0") return { mfa: { active: true, return_enroll_settings: true }, passwordPolicy: "good" };
  return {};
}

/** The options a new connection gets: the strategy's defaults, overridden by what was sent. */
export function optionsOnCreate(strategy: string, sent: Options | undefined): Options {
  return { ...creationDefaults(strategy), ...persistentDefaults(strategy), ...(sent ?? {}) };
}

/** `PATCH` replaces `options` whole: what was sent, plus the defaults the service always adds back. */
export function optionsOnUpdate(strategy: string, sent: Options | null): Options {
  return { ...persistentDefaults(strategy), ...(sent ?? {}) };
}
