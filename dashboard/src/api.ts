/** The monitor's API as the page uses it: one dashboard view per poll, and what-if simulations. */
import type { DashboardView } from "../../src/adapters/http/dashboardView.js";
import type { CascadeReport } from "../../src/core/report/cascadeReport.js";

export type { DashboardView };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
}

export async function fetchDashboard(signal: AbortSignal): Promise<DashboardView> {
  const res = await fetch("/api/dashboard", { signal, cache: "no-store" });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as DashboardView;
}

export async function simulate(
  shock: Record<string, number>,
  maxRounds: number,
  token: string | undefined,
): Promise<CascadeReport> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined && token !== "") headers.authorization = `Bearer ${token}`;
  const res = await fetch("/api/simulate", {
    method: "POST",
    headers,
    body: JSON.stringify({ shock, maxRounds }),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as CascadeReport;
}
