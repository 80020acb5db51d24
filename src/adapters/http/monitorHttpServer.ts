/**
 * The monitor's one HTTP port (node:http): Prometheus metrics, liveness and readiness probes,
 * and a small JSON API over the newest results. `POST /api/simulate` runs a shock on the current
 * book with a bounded body size, a time limit, one simulation at a time and an optional bearer
 * token. `/` serves the dashboard page and `/api/dashboard` everything it shows in one answer.
 * Errors answer `{ "error": "…" }` and never echo secrets.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import { UserInputError } from "../../core/errors.js";
import type { CollateralGraph } from "../../core/graph/collateralGraph.js";
import { formatPath } from "../../core/snapshot/schema.js";
import type { MonitorResults, ValueAtRiskSummary } from "../store/monitorResults.js";
import { DependencyUnavailableError } from "./DependencyUnavailableError.js";
import type { DashboardFiles, StaticFile } from "./dashboardFiles.js";
import { dashboardView } from "./dashboardView.js";
import { BodyTooLargeError, readBody } from "./readBody.js";
import { type SimulateRequest, simulateRequestSchema } from "./simulateRequest.js";

export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

export interface MonitorHttpDeps {
  readonly registry: Registry;
  /** Runs before each `/metrics` scrape (e.g. to copy the newest stored results into the gauges). */
  readonly beforeScrape?: () => Promise<void>;
  readonly getResults: () => Promise<MonitorResults | undefined>;
  readonly readiness: () => Promise<Readiness>;
  /** Runs one simulation on the current book; resolves to a `cascade-report/2` document. */
  readonly simulate: (request: SimulateRequest, signal: AbortSignal) => Promise<unknown>;
  /** When set, `POST /api/simulate` needs `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  readonly maxBodyBytes: number;
  readonly simulateTimeoutMs: number;
  /** Told about every 500 answer (the client only sees "internal error"). */
  readonly onInternalError?: (error: unknown, path: string) => void;
  /** The dashboard page's files; when absent `/` says how to build them. */
  readonly dashboard?: DashboardFiles;
  /** The alert book (firing and recently resolved alerts), for the dashboard. */
  readonly getAlertBook?: () => Promise<AlertBookState | undefined>;
  /** The collateral graph of the current snapshot (liquidation-price clustering), for the dashboard. */
  readonly getGraph?: () => Promise<CollateralGraph | undefined>;
  /** The newest VaR run of the `risk.var` schedule, for `/api/risk/var`. */
  readonly getValueAtRisk?: () => Promise<ValueAtRiskSummary | undefined>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_SIMULATE_TIMEOUT_MS = 10_000;
/** Default number of at-risk positions returned by `/api/positions/at-risk`. */
export const DEFAULT_AT_RISK_LIMIT = 100;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? "");
  if (match === null) return false;
  const given = Buffer.from(match[1] ?? "", "utf8");
  const expected = Buffer.from(token, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The page may load only its own scripts and styles; ECharts sets inline styles on its canvases. */
const PAGE_SECURITY_POLICY =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function sendStatic(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  const headers = {
    "content-type": file.contentType,
    etag: file.etag,
    "cache-control": "no-cache",
    "content-security-policy": PAGE_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
  };
  if (req.headers["if-none-match"] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, "content-length": file.body.length });
  res.end(req.method === "HEAD" ? undefined : file.body);
}

async function requireResults(deps: MonitorHttpDeps): Promise<MonitorResults> {
  const results = await deps.getResults();
  if (results === undefined) throw new HttpError(503, "no results yet: the first sync has not finished");
  return results;
}

export function createMonitorHttpServer(deps: MonitorHttpDeps) {
  let simulating = false;

  async function simulate(req: IncomingMessage): Promise<unknown> {
    if (deps.bearerToken !== undefined && !tokenMatches(req.headers.authorization, deps.bearerToken)) {
      throw new HttpError(401, "missing or wrong bearer token", { "www-authenticate": "Bearer" });
    }
    const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (mediaType !== "application/json") {
      throw new HttpError(415, "content-type must be application/json");
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req, deps.maxBodyBytes));
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new HttpError(413, error.message);
      throw new HttpError(400, "body is not valid JSON");
    }
    const parsed = simulateRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue === undefined ? "" : formatPath(issue.path);
      throw new HttpError(400, `${path === "" ? "body" : path}: ${issue?.message ?? "invalid"}`);
    }
    if (simulating)
      throw new HttpError(429, "a simulation is already running; retry shortly", { "retry-after": "1" });
    simulating = true;
    const signal = AbortSignal.timeout(deps.simulateTimeoutMs);
    try {
      return await Promise.race([
        deps.simulate(parsed.data, signal),
        new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () =>
            reject(new HttpError(504, `simulation took longer than ${deps.simulateTimeoutMs} ms`)),
          ),
        ),
      ]);
    } finally {
      simulating = false;
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path === "/api/simulate") {
      if (method !== "POST") throw new HttpError(405, "use POST", { allow: "POST" });
      sendJson(res, 200, await simulate(req));
      return;
    }
    if (method !== "GET" && method !== "HEAD") throw new HttpError(405, "use GET", { allow: "GET, HEAD" });
    if (path === "/" || path.startsWith("/dashboard/")) {
      const name = path === "/" ? "index.html" : path.slice("/dashboard/".length);
      if (deps.dashboard === undefined)
        throw new HttpError(503, "the dashboard page is not built: run `npm run build`");
      const file = deps.dashboard.get(name);
      if (file === undefined) throw new HttpError(404, `no dashboard file ${name}`);
      sendStatic(req, res, file);
      return;
    }
    if (path === "/api/dashboard") {
      const r = await requireResults(deps);
      const [alertBook, graph] = await Promise.all([deps.getAlertBook?.(), deps.getGraph?.()]);
      sendJson(res, 200, dashboardView(r, alertBook, graph, deps.bearerToken !== undefined));
      return;
    }
    if (path === "/metrics") {
      await deps.beforeScrape?.();
      const text = await deps.registry.metrics();
      res.writeHead(200, { "content-type": deps.registry.contentType });
      res.end(text);
      return;
    }
    if (path === "/healthz") {
      sendJson(res, 200, { status: "alive" });
      return;
    }
    if (path === "/readyz") {
      const readiness = await deps.readiness();
      sendJson(res, readiness.ready ? 200 : 503, {
        status: readiness.ready ? "ready" : "not ready",
        reason: readiness.reason,
      });
      return;
    }
    if (path === "/api/snapshot/summary") {
      const r = await requireResults(deps);
      sendJson(res, 200, {
        version: r.version,
        snapshotTakenAt: new Date(r.snapshotTakenAtMs).toISOString(),
        computedAt: new Date(r.computedAtMs).toISOString(),
        blocks: r.blocks,
        ...r.book,
      });
      return;
    }
    if (path === "/api/scenarios") {
      const r = await requireResults(deps);
      sendJson(res, 200, {
        version: r.version,
        scenarios: r.scenarios,
        criticalShocks: r.criticalShocks,
        cascades: r.cascades ?? [],
      });
      return;
    }
    const drivers = /^\/api\/scenarios\/([^/]+)\/drivers$/.exec(path);
    if (drivers !== null) {
      const name = decodeURIComponent(drivers[1] ?? "");
      const r = await requireResults(deps);
      const found = r.risk?.drivers.find((d) => d.scenario === name);
      if (found === undefined) {
        const known = (r.risk?.drivers ?? []).map((d) => d.scenario).join(", ");
        throw new HttpError(
          404,
          `no drivers for scenario "${name}"; risk.drivers.scenarios computes them for: ${known || "none"}`,
        );
      }
      sendJson(res, 200, { scenario: name, version: r.version, ...found.drivers });
      return;
    }
    const clustering = /^\/api\/clustering\/([^/]+)$/.exec(path);
    if (clustering !== null) {
      const asset = decodeURIComponent(clustering[1] ?? "");
      const r = await requireResults(deps);
      const found = r.risk?.clustering.find((c) => c.asset === asset);
      if (found === undefined) {
        const known = (r.risk?.clustering ?? []).map((c) => c.asset).join(", ");
        throw new HttpError(
          404,
          `no clustering for asset "${asset}"; risk.clustering.assets computes it for: ${known || "none"}`,
        );
      }
      sendJson(res, 200, { version: r.version, ...found });
      return;
    }
    if (path === "/api/risk/var") {
      const report = await deps.getValueAtRisk?.();
      if (report === undefined)
        throw new HttpError(
          deps.getValueAtRisk === undefined ? 404 : 503,
          deps.getValueAtRisk === undefined
            ? "value-at-risk is not scheduled: set risk.var.enabled: true"
            : "no value-at-risk run has finished yet",
        );
      sendJson(res, 200, report);
      return;
    }
    const curve = /^\/api\/curve\/([^/]+)$/.exec(path);
    if (curve !== null) {
      let asset: string;
      try {
        asset = decodeURIComponent(curve[1] ?? "");
      } catch {
        throw new HttpError(400, "asset: not a valid percent-encoded name");
      }
      const r = await requireResults(deps);
      const points = r.curves.filter((p) => p.asset === asset);
      if (points.length === 0) {
        const known = [...new Set(r.curves.map((p) => p.asset))].join(", ");
        throw new HttpError(404, `no curve for asset "${asset}"; curves exist for: ${known || "none"}`);
      }
      const critical = r.criticalShocks.find((c) => c.asset === asset) ?? null;
      sendJson(res, 200, { asset, version: r.version, points, critical });
      return;
    }
    if (path === "/api/positions/at-risk") {
      const r = await requireResults(deps);
      const limitText = url.searchParams.get("limit");
      const limit = limitText === null ? DEFAULT_AT_RISK_LIMIT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new HttpError(400, "limit: must be an integer from 1 to 10000");
      const positions = [...r.positionsAtRisk]
        .sort((a, b) => a.healthFactor - b.healthFactor)
        .slice(0, limit);
      sendJson(res, 200, { version: r.version, total: r.positionsAtRisk.length, positions });
      return;
    }
    throw new HttpError(404, `no route ${path}`);
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        // After a refused body the rest of it is not read: close the connection instead of reusing it.
        const close: Record<string, string> = error.status === 413 ? { connection: "close" } : {};
        sendJson(res, error.status, { error: error.message }, { ...error.headers, ...close });
        return;
      }
      if (error instanceof UserInputError) {
        sendJson(res, 400, { error: error.message });
        return;
      }
      if (error instanceof DependencyUnavailableError) {
        sendJson(res, 503, { error: error.message }, { "retry-after": "5" });
        return;
      }
      deps.onInternalError?.(error, req.url ?? "");
      sendJson(res, 500, { error: "internal error" });
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  return {
    server,
    /** Listens on `host:port` (port 0 picks a free one) and resolves the bound port. */
    listen(port: number, host: string): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address();
          resolve(typeof address === "object" && address !== null ? address.port : port);
        });
      });
    },
    /** Stops listening; requests still open after a second are cut. */
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
    },
  };
}

export type MonitorHttpServer = ReturnType<typeof createMonitorHttpServer>;
