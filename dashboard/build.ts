/**
 * Builds the dashboard page into `dist/dashboard/` (index.html, app.js, app.css): TypeScript and
 * ECharts bundled and minified by esbuild, once, so the monitor serves it with no CDN.
 * Run by `npm run build`; `--out DIR` writes elsewhere.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

export async function buildDashboard(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, "src", "main.ts")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    minify: true,
    target: ["es2022"],
    legalComments: "linked",
    logLevel: "warning",
  });
  await copyFile(join(here, "styles.css"), join(outDir, "app.css"));
  await copyFile(join(here, "index.html"), join(outDir, "index.html"));
}

const outArg = process.argv.indexOf("--out");
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDashboard(
    outArg >= 0 ? resolve(process.argv[outArg + 1] ?? "") : join(here, "..", "dist", "dashboard"),
  );
}
