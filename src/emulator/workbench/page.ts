/**
 * The dashboard page: plain HTML, a style sheet and a script, all served by the emulator itself (no framework, no
 * asset from another host). The script is `dashboardApp` below, written in TypeScript so that the compiler checks it
 * against the DOM's types, and sent to the browser as its source text: it must stay self-contained (no imports, no
 * outside names).
 *
 * Every view is reached by the address's hash (`#/organizations`, `#/organizations/<id>`, …) so that the browser's
 * back button and bookmarks work; every control is a native button, link, input or select, so the keyboard reaches
 * all of it in order; data is always put into the page as text, never as markup.
 */
import { OPERATIONS } from "../../../generated/spec-facts.js";

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auth0 emulator</title>
<link rel="stylesheet" href="/__emulator/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<p class="brand">Auth0 emulator <span id="tenant"></span></p>
<nav aria-label="Sections">
<a href="#/organizations">Organizations</a>
<a href="#/connections">Connections</a>
<a href="#/applications">Applications</a>
<a href="#/requests">Requests</a>
<a href="#/settings">Rate limit &amp; faults</a>
</nav>
</header>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<p id="status" role="status" aria-live="polite"></p>
<script src="/__emulator/dashboard.js"></script>
</body>
</html>
`;

export const DASHBOARD_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;background:#f6f6f8}
header{background:#16214d;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:center}
.brand{margin:0;font-weight:700}
#tenant{font-weight:400;opacity:.85}
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header nav a{color:#fff}
nav a[aria-current=page]{font-weight:700;text-underline-offset:4px}
main{padding:1rem;max-width:72rem;margin:0 auto;background:#fff;min-height:60vh}
h1{font-size:1.5rem;margin:.25rem 0 .75rem}
h2{font-size:1.2rem;margin:1.25rem 0 .5rem}
a{color:#1d4ed8}
.skip{position:absolute;left:-999px}
.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#000;padding:.25rem .5rem;z-index:2}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
main:focus,h2:focus{outline:none}
button{font:inherit;padding:.35rem .8rem;border-radius:6px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d4ed8}
button.danger{background:#b91c1c;border-color:#b91c1c}
button:disabled{opacity:.6;cursor:default}
input,select{font:inherit;padding:.3rem .4rem;border:1px solid #767680;border-radius:4px;max-width:100%}
label{display:block;margin:.5rem 0 .15rem;font-weight:600}
label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:600}
label.check input{margin-top:.35rem}
.hint{display:block;font-weight:400;color:#4b4b55;font-size:.9rem}
fieldset{border:1px solid #c9c9d2;border-radius:8px;margin:1rem 0;padding:.75rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.table-wrap{overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e1e1e8;vertical-align:top}
th{background:#f0f0f5}
caption{text-align:left}
.actions{display:flex;flex-wrap:wrap;gap:.4rem}
.form-actions{margin-top:.75rem}
.error{color:#991b1b;background:#fef2f2;border:1px solid #fecaca;padding:.5rem .75rem;border-radius:6px}
.note{color:#4b4b55}
.pager{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.prompt{max-width:24rem;border:1px solid #c9c9d2;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;background:#fff;box-shadow:0 1px 4px #0001}
.prompt button{display:block;width:100%;margin:.4rem 0;background:#fff;color:#1b1b1f;border-color:#9a9aa5}
.prompt input{display:block;width:100%;margin:.25rem 0}
.badge{display:inline-block;font-size:.8rem;padding:0 .4rem;border-radius:4px;background:#e0e7ff;color:#1e3a8a;margin-left:.25rem}
#status{position:sticky;bottom:0;margin:0;padding:.25rem 1rem;background:#ecfdf5;color:#065f46;min-height:1.5rem}
#status:empty{display:none}
code{font-size:.9em;word-break:break-all}
@media (max-width:600px){
main{padding:.75rem}
.stack thead{position:absolute;left:-999px}
.stack,.stack caption,.stack tbody,.stack tr,.stack td{display:block;width:100%}
.stack tr{border:1px solid #e1e1e8;border-radius:8px;margin:.5rem 0;padding:.25rem .5rem}
.stack td{border:0;padding:.15rem 0}
.stack td::before{content:attr(data-label) ": ";font-weight:600}
}
`;

/** The spec's facts the dashboard's script needs, passed in as its argument (it can read no outside name). */
export interface DashboardFacts {
  /** The largest page of an organization's connections and of its client grants (`per_page`). */
  linksPerPage: number;
  grantsPerPage: number;
}

const DASHBOARD_FACTS: DashboardFacts = {
  linksPerPage: OPERATIONS.listOrganizationConnections.query.per_page.maximum,
  grantsPerPage: OPERATIONS.listOrganizationClientGrants.query.per_page.maximum,
};

/**
 * The dashboard's script. Runs in the browser; sent as its source (see the module comment): self-contained.
 */
export function dashboardApp(facts: DashboardFacts): void {
  type Child = Node | string | null | undefined | false;
  type Json = Record<string, any>;

  const main = document.getElementById("main") as HTMLElement;
  const status = document.getElementById("status") as HTMLElement;
  let stopPolling: (() => void) | undefined;

  /** An element with attributes (`on…` ones are listeners) and children; text is always text, never markup. */
  function h(tag: string, attributes: Record<string, unknown> = {}, ...children: Child[]): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value as EventListener);
      else if (value === true) element.setAttribute(name, "");
      else element.setAttribute(name, typeof value === "string" ? value : JSON.stringify(value));
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }

  /** A table that becomes a list of labelled cards on a narrow screen (each cell says which column it is). */
  const table = (headings: string[], rows: HTMLElement[], caption: string) => {
    for (const row of rows) Array.from(row.children).forEach((td, index) => td.setAttribute("data-label", headings[index] ?? ""));
    return h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "stack" },
        h("caption", { class: "note" }, caption),
        h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { scope: "col" }, text)))),
        h("tbody", {}, ...rows),
      ),
    );
  };
  const cell = (...children: Child[]) => h("td", {}, ...children);
  const yesNo = (value: unknown) => (value === true ? "Yes" : value === false ? "No" : "—");

  function say(message: string): void {
    status.textContent = message;
  }

  function show(title: string, ...children: Child[]): void {
    main.replaceChildren(h("h1", {}, title), ...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
    document.title = `${title} · Auth0 emulator`;
  }

  function showError(error: unknown): void {
    show("Something went wrong", h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
  }

  /** A read of the emulator's own views (admin API, same rules). */
  async function admin(path: string): Promise<Json> {
    const response = await fetch(`/__emulator${path}`, { headers: { accept: "application/json" } });
    const body = (await response.json()) as Json;
    if (!response.ok) throw new Error(String(body.message ?? response.statusText));
    return body;
  }

  /** An admin API write: JSON only (the admin API refuses anything else, which is what stops cross-site forms). */
  async function adminWrite(method: string, path: string, body?: unknown): Promise<Json | undefined> {
    const response = await fetch(`/__emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined;
    const answer = (await response.json()) as Json;
    if (!response.ok) throw new Error(String(answer.message ?? response.statusText));
    return answer;
  }

  /** A Management API call through the emulator: the same pipeline, rules and error messages as any client's. */
  async function api(method: string, path: string, body?: unknown): Promise<any> {
    const answer = (await adminWrite("POST", "/api", { method, path, body })) as { status: number; body: Json | null };
    if (answer.status >= 400) throw new Error(String(answer.body?.message ?? `HTTP ${answer.status}`));
    return answer.body;
  }

  // ---- organizations ------------------------------------------------------------------------------------

  async function organizationsView(query: URLSearchParams): Promise<void> {
    const q = query.get("q") ?? "";
    const page = Number(query.get("page") ?? "0") || 0;
    const result = await admin(`/organizations?q=${encodeURIComponent(q)}&page=${page}`);
    const pages = Math.max(1, Math.ceil(result.total / result.per_page));
    const go = (to: number) => (location.hash = `#/organizations?q=${encodeURIComponent(q)}&page=${to}`);
    const search = h("input", { id: "organization-search", type: "search", name: "q", value: q, autocomplete: "off" }) as HTMLInputElement;
    show(
      "Organizations",
      h(
        "form",
        {
          class: "search",
          role: "search",
          onsubmit: (event: Event) => (event.preventDefault(), (location.hash = `#/organizations?q=${encodeURIComponent(search.value)}&page=0`)),
        },
        h("div", {}, h("label", { for: "organization-search" }, "Search by name, display name or id"), search),
        h("button", { type: "submit" }, "Search"),
      ),
      table(
        ["Name", "Display name", "Id", "Connections"],
        (result.organizations as Json[]).map((org) =>
          h(
            "tr",
            {},
            cell(h("a", { href: `#/organizations/${encodeURIComponent(org.id)}` }, org.name)),
            cell(org.display_name ?? ""),
            cell(h("code", {}, org.id)),
            cell(String(org.connections)),
          ),
        ),
        `${result.total} organization${result.total === 1 ? "" : "s"}${q ? ` matching “${q}”` : ""}`,
      ),
      h(
        "div",
        { class: "pager" },
        h("button", { type: "button", class: "secondary", disabled: result.page <= 0, onclick: () => go(result.page - 1) }, "Previous page"),
        h("span", {}, `Page ${result.page + 1} of ${pages}`),
        h("button", { type: "button", class: "secondary", disabled: result.page + 1 >= pages, onclick: () => go(result.page + 1) }, "Next page"),
      ),
    );
  }

  /** The organization's sub-pages. */
  const organizationNav = (id: string, current: string) =>
    h(
      "nav",
      { "aria-label": "Organization", class: "pager" },
      ...[
        ["connections", "Connections", `#/organizations/${encodeURIComponent(id)}`],
        ["login", "Login prompt", `#/organizations/${encodeURIComponent(id)}/login`],
        ["grants", "Client grants", `#/organizations/${encodeURIComponent(id)}/grants`],
      ].map(([key, text, href]) => h("a", { href, "aria-current": key === current ? "page" : false }, text)),
    );

  async function organizationView(id: string): Promise<void> {
    const path = `/organizations/${encodeURIComponent(id)}`;
    const [organization, links, connections, settings] = await Promise.all([
      api("GET", path),
      api("GET", `${path}/connections?per_page=${facts.linksPerPage}`),
      admin("/connections"),
      admin("/settings"),
    ]);
    const linked = new Set((links as Json[]).map((link) => link.connection_id));
    const formHolder = h("div", {});

    const openForm = (link?: Json) => {
      const available = (connections.connections as Json[]).filter((c) => link !== undefined || !linked.has(c.id));
      const select = h(
        "select",
        { id: "connection-select", name: "connection_id", disabled: link !== undefined, required: true },
        ...(link
          ? [h("option", { value: link.connection_id }, `${link.connection.name} (${link.connection.strategy})`)]
          : available.map((c) => h("option", { value: c.id }, `${c.name} (${c.strategy})`))),
      ) as HTMLSelectElement;
      const check = (id: string, text: string, hint: string, checked: boolean) =>
        h("label", { class: "check", for: id }, h("input", { id, type: "checkbox", checked }), h("span", {}, text, h("span", { class: "hint" }, hint)));
      const level = h(
        "select",
        { id: "access-level" },
        h("option", { value: "" }, "Default"),
        ...(settings.accessLevels as string[]).map((value) => h("option", { value, selected: link?.organization_access_level === value }, value)),
      ) as HTMLSelectElement;
      const name = h("input", {
        id: "organization-connection-name",
        type: "text",
        value: link?.organization_connection_name ?? "",
        maxlength: 128,
      }) as HTMLInputElement;
      const problem = h("div", { role: "alert" });
      const form = h(
        "form",
        {
          id: "connection-form",
          onsubmit: async (event: Event) => {
            event.preventDefault();
            const checked = (id: string) => (document.getElementById(id) as HTMLInputElement).checked;
            const settingsSent: Json = {
              assign_membership_on_login: checked("membership"),
              show_as_button: checked("show-as-button"),
              is_signup_enabled: checked("signup"),
              is_enabled: checked("is-enabled"),
            };
            if (level.value !== "") settingsSent.organization_access_level = level.value;
            const connectionId = select.value;
            const label = select.selectedOptions[0]?.textContent ?? connectionId;
            try {
              let done: string;
              if (link) {
                settingsSent.organization_connection_name = name.value === "" ? null : name.value;
                await api("PATCH", `${path}/connections/${encodeURIComponent(connectionId)}`, settingsSent);
                done = `Saved ${label} for ${organization.name}.`;
              } else {
                if (name.value !== "") settingsSent.organization_connection_name = name.value;
                await api("POST", `${path}/connections`, { connection_id: connectionId, ...settingsSent });
                done = `Enabled ${label} for ${organization.name}.`;
              }
              // Announced only once the view it describes is on screen and focused, so nobody (a screen reader,
              // a person tabbing, a test) acts on the page being replaced.
              await organizationView(id);
              document.getElementById("connections-heading")?.focus();
              say(done);
            } catch (error) {
              problem.replaceChildren(h("p", { class: "error" }, (error as Error).message));
            }
          },
        },
        h(
          "fieldset",
          {},
          h("legend", {}, link ? `Edit ${link.connection.name}` : "Enable Connections"),
          link || available.length > 0 ? null : h("p", { class: "note" }, "Every connection of the tenant is enabled already."),
          h("label", { for: "connection-select" }, "Connection"),
          select,
          check(
            "membership",
            "Membership On Authentication",
            "Users who log in with this connection become members of the organization automatically.",
            link?.assign_membership_on_login === true,
          ),
          check(
            "show-as-button",
            "Display connection as a button",
            "Shown on the organization's login prompt (enterprise connections).",
            link ? link.show_as_button !== false : true,
          ),
          check("signup", "Enable sign-ups", "Database connections with Membership On Authentication only.", link?.is_signup_enabled === true),
          check("is-enabled", "Enabled", "Newer family: a disabled link is kept but not offered on the login prompt.", link ? link.is_enabled !== false : true),
          h("label", { for: "access-level" }, "Organization access level", h("span", { class: "hint" }, "Newer family")),
          level,
          h("label", { for: "organization-connection-name" }, "Name in this organization", h("span", { class: "hint" }, "Newer family; empty for none")),
          name,
          problem,
          h(
            "div",
            { class: "actions form-actions" },
            h("button", { type: "submit", id: "save-connection" }, "Save"),
            h("button", { type: "button", class: "secondary", onclick: () => formHolder.replaceChildren() }, "Cancel"),
          ),
        ),
      );
      formHolder.replaceChildren(form);
      (link ? (document.getElementById("membership") as HTMLElement) : select).focus();
    };

    const rows = (links as Json[]).map((link) => {
      const actions = h("div", { class: "actions" });
      const defaultActions = () =>
        actions.replaceChildren(
          h("button", { type: "button", class: "secondary", onclick: () => openForm(link) }, `Edit`, h("span", { class: "skip" }, ` ${link.connection.name}`)),
          h(
            "button",
            {
              type: "button",
              class: "danger",
              onclick: () => {
                const confirm = h(
                  "button",
                  {
                    type: "button",
                    class: "danger",
                    onclick: async () => {
                      try {
                        await api("DELETE", `${path}/enabled_connections/${encodeURIComponent(link.connection_id)}`);
                        await organizationView(id);
                        document.getElementById("connections-heading")?.focus();
                        say(`Disabled ${link.connection.name} for ${organization.name}.`);
                      } catch (error) {
                        say((error as Error).message);
                      }
                    },
                  },
                  `Yes, disable ${link.connection.name}`,
                );
                actions.replaceChildren(confirm, h("button", { type: "button", class: "secondary", onclick: defaultActions }, "Keep it"));
                confirm.focus();
              },
            },
            "Disable",
            h("span", { class: "skip" }, ` ${link.connection.name}`),
          ),
        );
      defaultActions();
      return h(
        "tr",
        {},
        cell(link.connection.name, h("span", { class: "hint" }, link.connection.strategy)),
        cell(yesNo(link.assign_membership_on_login)),
        cell(yesNo(link.show_as_button)),
        cell(yesNo(link.is_signup_enabled)),
        cell(link.organization_access_level ?? "—"),
        cell(link.organization_connection_name ?? "—"),
        cell(yesNo(link.is_enabled)),
        cell(actions),
      );
    });

    show(
      organization.display_name ? `${organization.display_name}` : organization.name,
      h("p", { class: "note" }, `${organization.name} · `, h("code", {}, organization.id)),
      organizationNav(id, "connections"),
      h("h2", { id: "connections-heading", tabindex: "-1" }, "Connections"),
      h("p", { class: "note" }, "The connections enabled here are the login options of the organization's login prompt."),
      h("button", { type: "button", id: "enable-connections", onclick: () => openForm() }, "Enable Connections"),
      formHolder,
      table(
        ["Connection", "Membership On Authentication", "Button", "Sign-ups", "Access level", "Name here", "Enabled", "Actions"],
        rows,
        `${rows.length} enabled connection${rows.length === 1 ? "" : "s"}`,
      ),
    );
  }

  async function loginPromptView(id: string): Promise<void> {
    const prompt = await admin(`/login-prompt?organization=${encodeURIComponent(id)}`);
    const org = prompt.organization as Json;
    const box = h("section", { class: "prompt", "aria-label": "Login prompt preview" }, h("h2", {}, `Log in to ${org.display_name ?? org.name}`));
    for (const option of prompt.options as Json[]) {
      const membership = option.assigns_membership ? h("span", { class: "badge" }, "joins on login") : null;
      if (option.kind === "password-form") {
        box.append(
          h(
            "fieldset",
            { "data-connection": option.connection_name },
            h("legend", {}, option.label, membership),
            h("label", { for: `email-${option.connection_id}` }, "Email address"),
            h("input", { id: `email-${option.connection_id}`, type: "email", disabled: true }),
            h("label", { for: `password-${option.connection_id}` }, "Password"),
            h("input", { id: `password-${option.connection_id}`, type: "password", disabled: true }),
            h("button", { type: "button", disabled: true }, "Continue"),
            option.signup ? h("p", { class: "signup" }, "Don't have an account? ", h("strong", {}, "Sign up")) : h("p", { class: "note" }, "No sign-up here."),
          ),
        );
      } else if (option.kind === "passwordless") {
        box.append(
          h(
            "fieldset",
            { "data-connection": option.connection_name },
            h("legend", {}, option.label, membership),
            h("p", {}, `Get a one-time code by ${option.strategy === "sms" ? "text message" : "email"}.`),
          ),
        );
      } else if (option.kind === "button") {
        box.append(
          h("div", { "data-connection": option.connection_name }, h("button", { type: "button", disabled: true }, `Continue with ${option.label}`), membership),
        );
      } else {
        box.append(
          h("p", { class: "note", "data-connection": option.connection_name }, `${option.label}: no button; users reach it by their email domain.`, membership),
        );
      }
    }
    if ((prompt.options as Json[]).length === 0) box.append(h("p", { class: "note" }, "No connection is enabled: the prompt would offer nothing."));
    show(
      `Login prompt: ${org.display_name ?? org.name}`,
      organizationNav(id, "login"),
      h("p", { class: "note" }, "What Auth0's login prompt would offer for this organization. No real log-in happens here."),
      box,
      (prompt.hidden as Json[]).length > 0
        ? h(
            "div",
            {},
            h("h2", {}, "Enabled but not offered"),
            h("ul", {}, ...(prompt.hidden as Json[]).map((item) => h("li", {}, `${item.connection_name}: ${item.reason}`))),
          )
        : null,
      h("h2", {}, "The rules this page follows"),
      h("ul", {}, ...(prompt.rules as string[]).map((rule) => h("li", {}, rule))),
      h("h2", {}, "Where Auth0 documents them"),
      h("ul", {}, ...(prompt.documentation as Json[]).map((doc) => h("li", {}, h("a", { href: doc.url, rel: "noreferrer" }, doc.title)))),
    );
  }

  async function organizationGrantsView(id: string): Promise<void> {
    const grants = (await api("GET", `/organizations/${encodeURIComponent(id)}/client-grants?per_page=${facts.grantsPerPage}`)) as Json[];
    show(
      "Client grants of the organization",
      organizationNav(id, "grants"),
      h("p", { class: "note" }, "Read-only here; associate and remove them with the Management API (POST and DELETE /organizations/{id}/client-grants)."),
      table(
        ["Grant", "Application", "API", "Scopes"],
        grants.map((g) => h("tr", {}, cell(h("code", {}, g.id)), cell(h("code", {}, g.client_id)), cell(g.audience), cell((g.scope as string[]).join(" ")))),
        `${grants.length} client grant${grants.length === 1 ? "" : "s"}`,
      ),
    );
  }

  // ---- the rest of the tenant ------------------------------------------------------------------------------

  async function connectionsView(): Promise<void> {
    const { connections } = await admin("/connections");
    show(
      "Connections",
      table(
        ["Name", "Strategy", "Display name", "Used by organizations"],
        (connections as Json[]).map((c) =>
          h(
            "tr",
            {},
            cell(c.name),
            cell(c.strategy),
            cell(c.display_name ?? ""),
            cell(
              ...((c.organizations as Json[]).length === 0
                ? ["none"]
                : (c.organizations as Json[]).flatMap((org, index) => [
                    index > 0 ? ", " : null,
                    h("a", { href: `#/organizations/${encodeURIComponent(org.id)}` }, org.name),
                  ])),
            ),
          ),
        ),
        `${connections.length} connection${connections.length === 1 ? "" : "s"}`,
      ),
    );
  }

  async function applicationsView(): Promise<void> {
    const { applications, client_grants: grants } = await admin("/applications");
    show(
      "Applications and client grants",
      h("p", { class: "note" }, "Read-only: applications and grants come from the seed. Secrets are never shown."),
      table(
        ["Name", "Client id", "Type"],
        (applications as Json[]).map((a) => h("tr", {}, cell(a.name ?? ""), cell(h("code", {}, a.client_id)), cell(a.app_type ?? ""))),
        `${applications.length} application${applications.length === 1 ? "" : "s"}`,
      ),
      h("h2", {}, "Client grants"),
      table(
        ["Grant", "Application", "API", "Scopes", "Organization use", "Organizations"],
        (grants as Json[]).map((g) =>
          h(
            "tr",
            {},
            cell(h("code", {}, g.id)),
            cell(h("code", {}, g.client_id)),
            cell(g.audience),
            cell((g.scope as string[]).join(" ")),
            cell(g.organization_usage ?? "—"),
            cell((g.organizations as Json[]).map((o) => o.name).join(", ") || "none"),
          ),
        ),
        `${grants.length} client grant${grants.length === 1 ? "" : "s"}`,
      ),
    );
  }

  async function requestsView(): Promise<void> {
    const body = h("tbody", {});
    let last = 0;
    const headings = ["Time", "Method", "Path", "Status", "Scope", "Bucket", "Message", "From"];
    const row = (r: Json) => {
      const tr = h(
        "tr",
        { "data-seq": r.seq },
        cell(new Date(r.time).toLocaleTimeString()),
        cell(r.method),
        cell(h("code", {}, r.path)),
        cell(String(r.status)),
        cell(r.scope ?? "—"),
        cell(r.bucket ?? "—"),
        cell(r.message ?? ""),
        cell(r.source),
      );
      Array.from(tr.children).forEach((td, index) => td.setAttribute("data-label", headings[index] ?? ""));
      return tr;
    };
    const refresh = async () => {
      const { requests } = await admin(`/requests?after=${last}`);
      if ((requests as Json[]).length === 0) return;
      last = (requests as Json[])[0]!.seq;
      body.prepend(...(requests as Json[]).map(row));
      while (body.children.length > 200) body.lastElementChild?.remove();
    };
    show(
      "Requests",
      h(
        "p",
        { class: "note" },
        "The last Management API requests the emulator answered, newest first, live. Tokens, secrets, query strings and bodies are never kept.",
      ),
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => (await adminWrite("DELETE", "/requests"), body.replaceChildren(), say("Requests cleared.")),
        },
        "Clear",
      ),
      h(
        "div",
        { class: "table-wrap" },
        h("table", { id: "requests", class: "stack" }, h("thead", {}, h("tr", {}, ...headings.map((t) => h("th", { scope: "col" }, t)))), body),
      ),
    );
    await refresh();
    const timer = setInterval(() => void refresh().catch(() => undefined), 1000);
    stopPolling = () => clearInterval(timer);
  }

  async function settingsView(): Promise<void> {
    const settings = await admin("/settings");
    const rate = settings.rateLimit as Json;
    const faults = settings.faults as Json;
    const number = (id: string, text: string, value: unknown, attributes: Record<string, unknown> = {}) => [
      h("label", { for: id }, text),
      h("input", { id, type: "number", value: value ?? "", ...attributes }),
    ];
    const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
    const problem = h("div", { role: "alert" });
    const form = h(
      "form",
      {
        id: "faults-form",
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const next: Json = {};
          if (value("latency") !== "") next.latencyMs = Number(value("latency"));
          if (value("status-code") !== "") {
            next.status = { code: Number(value("status-code")) };
            if (value("status-count") !== "") next.status.count = Number(value("status-count"));
            if (value("status-fraction") !== "") next.status.fraction = Number(value("status-fraction"));
          }
          if (value("drop-count") !== "" || value("drop-fraction") !== "") {
            next.drop = {};
            if (value("drop-count") !== "") next.drop.count = Number(value("drop-count"));
            if (value("drop-fraction") !== "") next.drop.fraction = Number(value("drop-fraction"));
          }
          try {
            await adminWrite("POST", "/faults", next);
            say("Faults saved.");
            await settingsView();
          } catch (error) {
            problem.replaceChildren(h("p", { class: "error" }, (error as Error).message));
          }
        },
      },
      h(
        "fieldset",
        {},
        h("legend", {}, "Faults (Management API and /oauth/token only)"),
        ...number("latency", "Added latency (ms)", faults.latencyMs, { min: 0, max: 60000 }),
        h("label", { for: "status-code" }, "Answer with status"),
        h(
          "select",
          { id: "status-code" },
          h("option", { value: "" }, "No forced status"),
          ...[429, 500, 503].map((code) => h("option", { value: code, selected: faults.status?.code === code }, String(code))),
        ),
        ...number("status-count", "…for the next N requests", faults.status?.count, { min: 0 }),
        ...number("status-fraction", "…or for this fraction of requests (0–1)", faults.status?.fraction, { min: 0, max: 1, step: "any" }),
        ...number("drop-count", "Drop the connection of the next N requests", faults.drop?.count, { min: 0 }),
        ...number("drop-fraction", "…or of this fraction of requests (0–1)", faults.drop?.fraction, { min: 0, max: 1, step: "any" }),
        problem,
        h(
          "div",
          { class: "actions form-actions" },
          h("button", { type: "submit" }, "Save faults"),
          h(
            "button",
            { type: "button", class: "secondary", onclick: async () => (await adminWrite("DELETE", "/faults"), say("Faults cleared."), await settingsView()) },
            "Clear faults",
          ),
        ),
      ),
    );
    show(
      "Rate limit & faults",
      h("h2", {}, "Rate limits"),
      h(
        "p",
        {},
        rate.enforced
          ? `${rate.preset ?? "Custom"} limits: token buckets, each a burst and a sustained rate.`
          : "Off: the emulator never answers 429 (the headers are still sent).",
      ),
      h(
        "ul",
        { id: "buckets" },
        ...(rate.buckets as Json[]).map((bucket) =>
          h(
            "li",
            {},
            `${bucket.name} (${bucket.appliesTo === "every request" ? "every request" : `${bucket.appliesTo.length} operations`}): burst ${bucket.burst}, ${bucket.rate}, ${bucket.remaining} left`,
          ),
        ),
      ),
      h("p", { class: "note" }, "Set with --limits, --rate-limit or --no-rate-limit when the emulator starts, or POST /__emulator/limits."),
      h("h2", {}, "Faults"),
      h("p", {}, Object.keys(faults).length === 0 ? "None in force." : `In force: ${JSON.stringify(faults)}`),
      form,
    );
  }

  // ---- routing ------------------------------------------------------------------------------------------------

  async function render(): Promise<void> {
    stopPolling?.();
    stopPolling = undefined;
    const [route = "", search = ""] = location.hash.replace(/^#/, "").split("?");
    const parts = route.split("/").filter(Boolean).map(decodeURIComponent);
    for (const link of document.querySelectorAll<HTMLAnchorElement>("header nav a"))
      link.toggleAttribute("aria-current", `#/${parts[0] ?? "organizations"}` === link.getAttribute("href"));
    document.querySelector("header nav a[aria-current]")?.setAttribute("aria-current", "page");
    try {
      if (parts[0] === "organizations" && parts[1] && parts[2] === "login") await loginPromptView(parts[1]);
      else if (parts[0] === "organizations" && parts[1] && parts[2] === "grants") await organizationGrantsView(parts[1]);
      else if (parts[0] === "organizations" && parts[1]) await organizationView(parts[1]);
      else if (parts[0] === "connections") await connectionsView();
      else if (parts[0] === "applications") await applicationsView();
      else if (parts[0] === "requests") await requestsView();
      else if (parts[0] === "settings") await settingsView();
      else await organizationsView(new URLSearchParams(search));
    } catch (error) {
      showError(error);
    }
    document.body.dataset.ready = location.hash;
  }

  window.addEventListener("hashchange", () => {
    say("");
    void render().then(() => main.focus());
  });
  void admin("/settings")
    .then((settings) => ((document.getElementById("tenant") as HTMLElement).textContent = settings.domain))
    .catch(() => undefined);
  void render();
}

/** The script as served. `__name` stands in for the helper some TypeScript loaders add to named functions. */
export const DASHBOARD_SCRIPT = `"use strict";\nvar __name = function (target) { return target; };\n(${dashboardApp.toString()})(${JSON.stringify(DASHBOARD_FACTS)});\n`;
