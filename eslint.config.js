// ESLint for the TypeScript sources: typescript-eslint's type-aware recommended rules, run by `npm run lint`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Node's globals for the few plain JavaScript files (examples, the Dredd hooks adapter). */
const nodeGlobals = Object.fromEntries(
  ["process", "console", "require", "module", "__dirname", "URL", "fetch", "setTimeout", "clearTimeout", "Buffer", "Request", "Response"].map((name) => [
    name,
    "readonly",
  ]),
);

/** The rules that keep `any` out, turned off where free-form JSON is the point. */
const anyAllowed = Object.fromEntries(
  ["no-unsafe-member-access", "no-unsafe-assignment", "no-unsafe-argument", "no-unsafe-call", "no-unsafe-return", "no-explicit-any"].map((rule) => [
    `@typescript-eslint/${rule}`,
    "off",
  ]),
);

export default tseslint.config(
  { ignores: ["**/dist/**", "node_modules/**", "generated/**", "reports/**", "test/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `_name` marks a value left out on purpose (a destructured field dropped, an argument a signature requires).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // A promise that passes on what it caught passes on an unknown value as it came.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read answers as the wire gives them (`await response.json()` is `any`) and hand methods to `expect`;
    // holding them to the production rules would bury each assertion in casts.
    files: ["test/**/*.ts"],
    rules: {
      ...anyAllowed,
      "@typescript-eslint/unbound-method": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "preserve-caught-error": "off",
      // A test spells out the type it expects even where the checker could infer it.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
  {
    // The dashboard's page script runs in the browser on the admin API's JSON, which it treats as free-form (`Json`).
    files: ["src/emulator/workbench/page.ts"],
    rules: {
      ...anyAllowed,
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals, sourceType: "module" },
  },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs" }, rules: { "@typescript-eslint/no-require-imports": "off" } },
);
