/**
 * The GitHub Actions workflows cannot run here, so this checks what can break silently: every npm script
 * they call exists, and each workflow keeps the triggers, matrix, secrets and outputs it promises.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OFFICIAL_DOCUMENT_URL } from "../../src/contract/official-diff/command.js";
import { DEFAULT_DOCS_OUTPUT } from "../../src/docs/build.js";
import { readDocumentation } from "../helpers/documentation.js";
import { workspacePackages } from "../helpers/shared-build.js";
import { PROJECT_ROOT } from "../helpers/project.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  "runs-on": string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  "timeout-minutes"?: number;
  needs?: string | string[];
  strategy?: { matrix?: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS = ["ci.yml", "contract.yml", "docs.yml", "auth0-drift.yml"] as const;
const load = (file: string) => parse(readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8")) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const commands = (workflow: Workflow) => steps(workflow).flatMap((step) => (step.run ? step.run.split("\n") : []));
const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** `npm run <name>`, `npm test` and `npm ci` calls in a shell line. */
function npmScriptsCalled(line: string): string[] {
  const called = [...line.matchAll(/\bnpm\s+run(?:-script)?\s+([\w:.-]+)/g)].map((m) => m[1]!);
  if (/\bnpm\s+(test|t)\b/.test(line)) called.push("test");
  return called;
}

describe.each(WORKFLOWS)("%s", (file) => {
  const workflow = load(file);

  it("calls only npm scripts that package.json defines", () => {
    const called = commands(workflow).flatMap(npmScriptsCalled);
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((name) => !(name in scripts))).toEqual([]);
  });

  it("installs from the lockfile and pins every action to a major version", () => {
    expect(commands(workflow)).toContain("npm ci");
    for (const step of steps(workflow).filter((s) => s.uses)) expect(step.uses).toMatch(/^actions\/[\w-]+@v\d+$/);
  });
});

describe("ci.yml", () => {
  const workflow = load("ci.yml");
  const job = workflow.jobs.test!;

  it("runs on pushes and pull requests, on Node 20, 22 and 24", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(job.strategy?.matrix?.node).toEqual([20, 22, 24]);
    expect(job.steps.find((s) => s.uses?.startsWith("actions/setup-node"))?.with?.["node-version"]).toBe("${{ matrix.node }}");
  });

  it("tests every Node line package.json's engines admits, and no other", () => {
    const engines = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    // One range per tested line: `^20.19.0 || ^22.12.0 || >=24.0.0` (the newest line open-ended).
    const majors = engines.split("||").map((range) => Number(/(\d+)\./.exec(range)![1]));
    expect(majors).toEqual(job.strategy?.matrix?.node);
  });

  it("lints the spec with GitHub annotations and the code with ESLint and Prettier, then tests", () => {
    const lines = commands(workflow);
    const lint = lines.indexOf("npm run lint -- --format=github-actions");
    const lintCode = lines.indexOf("npm run lint:code");
    expect(lint).toBeGreaterThan(-1);
    expect(lintCode).toBeGreaterThan(-1);
    expect(lines.indexOf("npm test")).toBeGreaterThan(Math.max(lint, lintCode));
  });
});

describe("contract.yml", () => {
  const workflow = load("contract.yml");

  it("runs on a schedule and by hand", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
  });

  it("runs the live contract with the tenant's credentials from secrets and uploads its JUnit report", () => {
    const run = steps(workflow).find((s) => s.run?.includes("npm run contract") && !s.run.includes("--cleanup"))!;
    expect(run.run).toBe("npm run contract -- --live --junit reports/contract.xml");
    expect(run.env).toEqual({
      AUTH0_DOMAIN: "${{ secrets.AUTH0_DOMAIN }}",
      AUTH0_CLIENT_ID: "${{ secrets.AUTH0_CLIENT_ID }}",
      AUTH0_CLIENT_SECRET: "${{ secrets.AUTH0_CLIENT_SECRET }}",
    });
    const upload = steps(workflow).find((s) => s.uses?.startsWith("actions/upload-artifact"))!;
    expect(upload.if).toBe("always()"); // the report matters most when the run failed
    expect(upload.with?.path).toBe("reports/contract.xml");
  });

  it("first removes what runs on lost runners left behind, only runs older than the job can last", () => {
    const all = steps(workflow);
    const sweep = all.findIndex((s) => /--cleanup --older-than (\d+)h\b/.test(s.run ?? ""));
    const contract = all.findIndex((s) => s.run?.includes("--junit"));
    expect(sweep).toBeGreaterThan(-1);
    expect(sweep).toBeLessThan(contract);
    const hours = Number(/--older-than (\d+)h/.exec(all[sweep]!.run!)![1]);
    expect(hours * 60).toBeGreaterThan(Number(workflow.jobs.contract!["timeout-minutes"]));
    expect(all[sweep]!.env).toEqual(all[contract]!.env);
  });

  it("never puts a credential on a command line (logs and npm's echo would show it)", () => {
    for (const step of steps(workflow).filter((s) => s.run)) {
      expect(step.run).not.toMatch(/secrets\.|--token|--narrow-token|CLIENT_SECRET/);
    }
  });
});

describe("auth0-drift.yml", () => {
  const workflow = load("auth0-drift.yml");
  const contract = load("contract.yml");
  const tenantEnv = steps(contract).find((s) => s.run?.includes("--junit"))!.env;

  it("runs weekly and by hand", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const cron = (workflow.on.schedule as Array<{ cron: string }>)[0]!.cron.split(" ");
    expect(cron[2]).toBe("*"); // any day of the month…
    expect(cron[4]).toMatch(/^[0-6]$/); // …on one day of the week
  });

  it("compares the spec with Auth0's live document and writes what moved to the job summary", () => {
    const run = steps(workflow).find((s) => s.run?.includes("npm run official-diff"))!;
    expect(run.run).toBe(`npm run official-diff -- ${OFFICIAL_DOCUMENT_URL} --summary "$GITHUB_STEP_SUMMARY"`);
    expect(OFFICIAL_DOCUMENT_URL).toBe("https://auth0.com/docs/oas/management/v2/management-api-oas.json");
  });

  it("runs the contract against the tenant failing on drift, with contract.yml's secrets, one run at a time with it", () => {
    const run = steps(workflow).find((s) => s.run?.includes("--fail-on-drift"))!;
    expect(run.run).toContain("npm run contract -- --live --fail-on-drift --drift-report reports/drift.json --junit reports/contract.xml");
    expect(run.run).toContain("set -o pipefail"); // the tee must not hide the run's exit code
    expect(run.env).toEqual(tenantEnv);
    const tenant = Object.values(workflow.jobs).find((job) => job.steps.includes(run))!;
    expect(tenant.concurrency).toEqual({ group: "contract-live", "cancel-in-progress": false });
    const summary = tenant.steps.find((s) => s.run?.includes("$GITHUB_STEP_SUMMARY"))!;
    expect(summary.if).toBe("always()");
    expect(tenant.steps.indexOf(summary)).toBeGreaterThan(tenant.steps.indexOf(run));
    expect(tenant.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))?.if).toBe("always()");
  });

  it("never puts a credential on a command line", () => {
    for (const step of steps(workflow).filter((s) => s.run)) expect(step.run).not.toMatch(/secrets\.|--token|--narrow-token|CLIENT_SECRET/);
  });
});

describe("docs.yml", () => {
  const workflow = load("docs.yml");

  it("builds the docs and publishes the folder npm run docs writes with the official Pages actions", () => {
    expect(commands(workflow)).toContain("npm run docs");
    const upload = steps(workflow).find((s) => s.uses?.startsWith("actions/upload-pages-artifact"))!;
    expect(path.resolve(PROJECT_ROOT, String(upload.with?.path))).toBe(path.dirname(DEFAULT_DOCS_OUTPUT));
    expect(path.basename(DEFAULT_DOCS_OUTPUT)).toBe("index.html");
    expect(steps(workflow).some((s) => s.uses?.startsWith("actions/deploy-pages"))).toBe(true);
    expect(workflow.permissions).toMatchObject({ pages: "write", "id-token": "write" });
  });

  it("publishes a folder that npm run build leaves alone (each package's build deletes its own dist/ first)", () => {
    expect(scripts.build).toBe("npm run build --workspaces");
    for (const { dir, manifest } of workspacePackages()) {
      expect((manifest.scripts as Record<string, string>).build, manifest.name).toMatch(/^node -e "fs\.rmSync\('dist'/);
      expect(path.relative(path.join(dir, "dist"), DEFAULT_DOCS_OUTPUT), manifest.name).toMatch(/^\.\.\//);
    }
  });
});

describe("the documentation (README, docs/, the packages' READMEs) and .ci/run", () => {
  it("show only npm scripts that package.json defines, and only commands the packages install", () => {
    const documents = [...readDocumentation().map((doc) => doc.text), readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8")];
    const called = documents.flatMap((text) => text.split("\n").flatMap(npmScriptsCalled));
    expect(called).toEqual(expect.arrayContaining(["test", "test:quick", "test:long", "contract"]));
    expect(called.filter((name) => !(name in scripts))).toEqual([]);
    const bins = new Set(workspacePackages().flatMap(({ manifest }) => Object.keys(manifest.bin ?? {})));
    const npxCommands = documents.flatMap((text) => [...text.matchAll(/\bnpx\s+([\w@/.-]+)/g)].map((m) => m[1]!));
    expect(npxCommands.length).toBeGreaterThan(0);
    expect(npxCommands.filter((name) => !bins.has(name))).toEqual([]);
  });
});

describe(".ci/run", () => {
  const script = readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
  const commandLines = script.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));

  it("installs only through npm ci: no system package manager (the docs test brings its own Chromium)", () => {
    expect(commandLines.filter((line) => /\b(apt|apt-get|dpkg|yum|dnf|apk|brew|sudo)\b/.test(line))).toEqual([]);
    expect(commandLines.some((line) => /^npm ci\b/.test(line.trim()))).toBe(true);
  });
});
