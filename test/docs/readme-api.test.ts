/**
 * Issue 21: what a user needs is named where users look. Every name the four packages export, every option of their
 * option types (read from the TypeScript types themselves, so a new option cannot be left out) and every admin API
 * call of the emulator appear in the documentation: the README, the pages under docs/ (the table is docs/api.md) or a
 * package's README.
 */
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { adminRoutes } from "../../src/emulator/admin.js";
import type { EmulatorControls } from "../../src/emulator/controls.js";
import { PACKAGE_NAMES, readDocumentation } from "../helpers/documentation.js";
import { PROJECT_ROOT } from "../helpers/project.js";

const ENTRY_POINTS = PACKAGE_NAMES.map((name) => path.join(PROJECT_ROOT, "src", name, "index.ts"));
const DOCS = readDocumentation()
  .map((doc) => doc.text)
  .join("\n");
/** The exported types whose properties are settings a user passes (options objects, fault rules). */
const OPTION_TYPE = /(Options|Settings|Target|Auth|Rule)$/;

const named = (name: string) => DOCS.includes(`\`${name}\``) || new RegExp(`\\b${name}\\b`).test(DOCS);

function exportedApi(): Array<{ name: string; options: string[] }> {
  const program = ts.createProgram(ENTRY_POINTS, {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  return ENTRY_POINTS.flatMap((file) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    return checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const isType = (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0;
      if (!isType || !OPTION_TYPE.test(symbol.name)) return { name: symbol.name, options: [] };
      const type = checker.getDeclaredTypeOfSymbol(target);
      const members = type.isUnion() ? type.types : [type];
      return { name: symbol.name, options: [...new Set(members.flatMap((member) => checker.getPropertiesOfType(member).map((p) => p.name)))] };
    });
  });
}

describe("the documentation names the public API", () => {
  const api = exportedApi();

  it("finds the exports it checks (the check itself works)", () => {
    expect(api.map((entry) => entry.name)).toEqual(expect.arrayContaining(["createManagementClient", "FaultRule", "StartOptions", "MockOptions"]));
    expect(api.find((entry) => entry.name === "RetryOptions")?.options).toEqual(expect.arrayContaining(["baseDelayMs", "jitterMs"]));
  });

  it("names every exported function, class, constant and type", () => {
    expect(api.map((entry) => entry.name).filter((name) => !named(name))).toEqual([]);
  });

  it("names every option of the option types, in backticks", () => {
    const missing = api.flatMap((entry) => entry.options.filter((option) => !DOCS.includes(`\`${option}\``)).map((option) => `${entry.name}.${option}`));
    expect(missing).toEqual([]);
  });

  it("names every admin API call, with its body", () => {
    const controls = { tenants: { list: () => [], create: () => undefined } } as unknown as EmulatorControls;
    const calls = [...adminRoutes(controls).keys()];
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((call) => !DOCS.includes(`\`${call}\``))).toEqual([]);
  });
});
