/**
 * Benchmark 7: what a project pays on disk for installing this package — the packed tarball installed into an
 * empty project (production dependencies only, as a user's `npm install` does), counted as installed packages
 * and megabytes of node_modules. Installs prefer the local npm cache, so the figure is about size, not download.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface InstallSize {
  /** What was installed, e.g. `auth0-org-connections-toolkit (whole toolkit)`. */
  name: string;
  /** Installed packages, this one included (every folder under node_modules with a package.json). */
  packages: number;
  bytes: number;
}

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** Packages and bytes under a node_modules folder (nested node_modules included; symlinks not followed). */
export function measureNodeModules(dir: string): { packages: number; bytes: number } {
  let packages = 0;
  let bytes = 0;
  const walk = (folder: string, isPackageRoot: boolean) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        const parent = path.basename(folder);
        // A package folder sits directly in node_modules, or in an @scope folder inside it.
        const packageRoot = parent === "node_modules" ? !entry.name.startsWith("@") && !entry.name.startsWith(".") : parent.startsWith("@") && path.basename(path.dirname(folder)) === "node_modules";
        walk(full, packageRoot);
      } else if (entry.isFile()) {
        bytes += statSync(full).size;
        if (isPackageRoot && entry.name === "package.json") packages += 1;
      }
    }
  };
  walk(dir, false);
  return { packages, bytes };
}

/** Packs the package in `projectRoot` (the repository root, or a workspace package's folder) and installs the tarball into a fresh project; the temp folder is removed afterwards. */
export function measureInstallSize(projectRoot: string, label: string): InstallSize {
  const work = mkdtempSync(path.join(tmpdir(), "aoct-install-size-"));
  try {
    const packed = execFileSync(NPM, ["pack", "--json", "--pack-destination", work], { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const [info] = JSON.parse(packed.slice(packed.indexOf("["))) as Array<{ name: string; filename: string }>;
    if (!info) throw new Error("npm pack reported no tarball");
    const consumer = path.join(work, "consumer");
    execFileSync("mkdir", ["-p", consumer]);
    writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    execFileSync(NPM, ["install", path.join(work, info.filename), "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: consumer, stdio: "ignore" });
    return { name: `${info.name} (${label})`, ...measureNodeModules(path.join(consumer, "node_modules")) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
