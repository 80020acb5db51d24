/**
 * Finds a system program the tests run for real, or fails at once with the Debian package to
 * install: a missing binary must never leave a test waiting for its timeout.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The first of `names` found on `PATH`, as an absolute path; throws naming `debianPackage` when none is. */
export function requireProgram(names: readonly string[], debianPackage: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not in this directory.
      }
    }
  }
  throw new Error(
    `${names.join(" or ")} not found on PATH: install the Debian package ${debianPackage} ` +
      "(npm test installs it when run as root on Debian)",
  );
}
