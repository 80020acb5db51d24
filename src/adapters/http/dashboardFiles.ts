/**
 * The dashboard page's static files (built once by `npm run build` into `dist/dashboard/`), read
 * into memory at start and served by the monitor itself: no CDN, works offline. Only files of
 * that directory are served, by exact name.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface DashboardFiles {
  /** `name` is a file name of the directory (`index.html`, `app.js`). */
  get(name: string): StaticFile | undefined;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".map": "application/json; charset=utf-8",
};

/** Where `npm run build` puts the page: `dist/dashboard/` of the package this module belongs to. */
export function defaultDashboardDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, "dist", "dashboard");
}

/** The files of `dir`, or undefined when the page was not built there (no `index.html`). */
export async function loadDashboardFiles(dir: string): Promise<DashboardFiles | undefined> {
  if (!existsSync(join(dir, "index.html"))) return undefined;
  const files = new Map<string, StaticFile>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || contentType === undefined) continue;
    const body = await readFile(join(dir, entry.name));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    files.set(entry.name, { body, contentType, etag });
  }
  return { get: (name) => files.get(name) };
}
