/**
 * What Auth0's Universal Login prompt would offer for one organization, worked out from the tenant's links — a
 * picture for the developer, not a log-in. The rules, from Auth0's documentation of organization connections (the
 * seed page "Enable Organization Connections") and of the organization login flow:
 *
 * - the prompt offers only the connections enabled for the organization (the newer family's `is_enabled: false`
 *   hides one without removing it);
 * - a database connection is a username/password form; sign-up is offered only where `is_signup_enabled` (which the
 *   API allows only for database connections with `assign_membership_on_login`);
 * - a passwordless connection (email, sms) asks for a code;
 * - a social connection is a "Continue with …" button;
 * - an enterprise connection is a button only when `show_as_button`; otherwise users reach it by their email
 *   domain (Home Realm Discovery), with no button;
 * - with `assign_membership_on_login`, whoever logs in through the connection becomes a member; without it, only
 *   existing members can log in through it.
 */
import type { ConnectionRecord, LinkRecord, OrganizationRecord, TenantStore } from "../store.js";
import { isDatabaseStrategy, isEnterpriseStrategy } from "../strategies.js";

export type PromptKind = "password-form" | "passwordless" | "button" | "domain-only";

export interface PromptOption {
  connection_id: string;
  connection_name: string;
  strategy: string;
  /** What the user sees: the organization's name for the connection, its display name, or its name. */
  label: string;
  kind: PromptKind;
  /** A sign-up link is offered. */
  signup: boolean;
  /** Logging in through it makes the user a member. */
  assigns_membership: boolean;
}

export interface LoginPrompt {
  organization: { id: string; name: string; display_name?: string };
  options: PromptOption[];
  /** Enabled links the prompt does not offer (the newer family's `is_enabled: false`). */
  hidden: Array<{ connection_id: string; connection_name: string; reason: string }>;
  rules: string[];
  documentation: Array<{ title: string; url: string }>;
}

const PASSWORDLESS = new Set(["email", "sms"]);

export const PROMPT_RULES = [
  "Only the connections enabled for the organization are offered; a link whose is_enabled is false (the newer family) is kept but not offered.",
  "A database connection is a username and password form; sign-up is offered only where is_signup_enabled is true (database connections with assign_membership_on_login only).",
  "A passwordless connection (email, sms) asks for a one-time code.",
  'A social connection is a "Continue with …" button.',
  "An enterprise connection is a button only when show_as_button is true; otherwise users reach it by their email domain (Home Realm Discovery).",
  "With assign_membership_on_login, whoever logs in through the connection becomes a member of the organization; without it, only existing members can log in through it.",
];

export const PROMPT_DOCUMENTATION = [
  { title: "Enable Organization Connections", url: "https://auth0.com/docs/manage-users/organizations/configure-organizations/enable-connections" },
  { title: "Login Flows for Organizations", url: "https://auth0.com/docs/manage-users/organizations/login-flows-for-organizations" },
  {
    title: "Grant Just-In-Time Membership to an Organization Connection",
    url: "https://auth0.com/docs/manage-users/organizations/configure-organizations/grant-just-in-time-membership",
  },
];

function kindOf(connection: ConnectionRecord, link: LinkRecord): PromptKind {
  if (isDatabaseStrategy(connection.strategy)) return "password-form";
  if (PASSWORDLESS.has(connection.strategy)) return "passwordless";
  if (isEnterpriseStrategy(connection.strategy)) return link.show_as_button === false ? "domain-only" : "button";
  return "button";
}

export function loginPromptOf(store: TenantStore, organizationId: string): LoginPrompt {
  const organization: OrganizationRecord = store.getOrganization(organizationId);
  const options: PromptOption[] = [];
  const hidden: LoginPrompt["hidden"] = [];
  for (const link of store.listLinks(organizationId)) {
    const connection = store.data.connections.get(link.connection_id);
    if (!connection) continue;
    if (link.is_enabled === false) {
      hidden.push({ connection_id: connection.id, connection_name: connection.name, reason: "is_enabled is false" });
      continue;
    }
    const kind = kindOf(connection, link);
    options.push({
      connection_id: connection.id,
      connection_name: connection.name,
      strategy: connection.strategy,
      label: link.organization_connection_name ?? connection.display_name ?? connection.name,
      kind,
      signup: kind === "password-form" && link.is_signup_enabled === true,
      assigns_membership: link.assign_membership_on_login === true,
    });
  }
  const { id, name, display_name } = organization;
  return {
    organization: { id, name, ...(display_name === undefined ? {} : { display_name }) },
    options,
    hidden,
    rules: PROMPT_RULES,
    documentation: PROMPT_DOCUMENTATION,
  };
}
