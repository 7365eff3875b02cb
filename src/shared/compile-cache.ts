/**
 * The installed commands start faster when Node keeps V8's compiled code of their modules between starts: Node 22.1
 * and later can, once asked (`module.enableCompileCache`, cached under the OS's temporary directory; Node's own
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off). Node 20 has no such cache and starts as before. Called by each
 * command's entry point before it loads the rest of the command, so that all of it is cached.
 */
import module from "node:module";

export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
