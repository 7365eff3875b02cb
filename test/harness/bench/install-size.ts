/**
 * Benchmark 7: what a project pays on disk for installing these packages — the packed tarballs installed into an
 * empty project (production dependencies only, as a user's `npm install` does), counted as installed packages
 * and megabytes of node_modules. Installs prefer the local npm cache, so the figure is about size, not download.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NPM } from "../../helpers/project.js";

export interface InstallSize {
  /** What was installed, e.g. `@auth0-org-connections/client (client only)`. */
  name: string;
  /** Installed packages, this one included (every folder under node_modules with a package.json). */
  packages: number;
  bytes: number;
}

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
        const packageRoot =
          parent === "node_modules"
            ? !entry.name.startsWith("@") && !entry.name.startsWith(".")
            : parent.startsWith("@") && path.basename(path.dirname(folder)) === "node_modules";
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

/**
 * Packs the packages in `packageDirs` (workspace folders; `npm pack` builds each) and installs their tarballs
 * together into a fresh project; the temp folder is removed afterwards.
 */
export function measureInstallSize(packageDirs: string[], name: string): InstallSize {
  const work = mkdtempSync(path.join(tmpdir(), "aoct-install-size-"));
  try {
    const packed = packageDirs.map((dir) => {
      const output = execFileSync(NPM, ["pack", "--json", "--pack-destination", work], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const [info] = JSON.parse(output.slice(output.indexOf("["))) as Array<{ filename: string }>;
      if (!info) throw new Error(`npm pack in ${dir} reported no tarball`);
      return info;
    });
    const consumer = path.join(work, "consumer");
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    const tarballs = packed.map((info) => path.join(work, info.filename));
    execFileSync(NPM, ["install", ...tarballs, "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
      cwd: consumer,
      stdio: "ignore",
    });
    return { name, ...measureNodeModules(path.join(consumer, "node_modules")) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
