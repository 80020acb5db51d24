/** The dashboard page: polls `/api/dashboard` and redraws what changed, without reloading. */
import { ApiError, type DashboardView, fetchDashboard } from "./api.js";
import { renderAtRisk, renderBook, renderClustering } from "./book.js";
import { renderCurves } from "./curves.js";
import { shockText } from "./format.js";
import { renderAlerts, renderCritical, renderKpis, renderStatus } from "./overview.js";
import { renderCascade, renderScenarios } from "./scenarios.js";
import { bindWhatIf, renderWhatIfInputs } from "./whatIf.js";

const POLL_MS = 3000;

let view: DashboardView | undefined;
let selectedScenario: string | undefined;
let clusteringAsset: string | undefined;

function renderSelection(): void {
  if (view === undefined) return;
  const current = view;
  const names = current.scenarios.map((s) => s.name);
  if (selectedScenario === undefined || !names.includes(selectedScenario)) {
    // Start with the scenario that repays the most: the cascade worth looking at.
    selectedScenario = [...current.scenarios].sort((a, b) => b.repaidUsd - a.repaidUsd)[0]?.name;
  }
  renderScenarios(current, selectedScenario, (name) => {
    selectedScenario = name;
    renderSelection();
  });
  const scenario = current.scenarios.find((s) => s.name === selectedScenario);
  const cascade = current.cascades.find((c) => c.scenario === selectedScenario);
  renderCascade(
    cascade?.flows,
    { chart: "cascade-chart", rounds: "cascade-rounds", prices: "cascade-prices", title: "cascade-title" },
    scenario === undefined ? "Cascade" : `Cascade of ${scenario.name} (${shockText(scenario.shock)})`,
  );
}

function render(next: DashboardView): void {
  view = next;
  renderKpis(next);
  renderAlerts(next);
  renderCritical(next);
  renderSelection();
  renderCurves(next);
  clusteringAsset = renderClustering(next, clusteringAsset, (asset) => {
    clusteringAsset = asset;
    if (view !== undefined) renderClustering(view, asset, () => undefined);
  });
  renderBook(next);
  renderAtRisk(next);
  renderWhatIfInputs(next);
  document.body.dataset.version = String(next.version);
}

async function poll(): Promise<void> {
  try {
    const next = await fetchDashboard(AbortSignal.timeout(POLL_MS * 3));
    if (view === undefined || next.version !== view.version) render(next);
    renderStatus(next, "live", Date.now());
  } catch (error) {
    const text =
      error instanceof ApiError && error.status === 503
        ? "waiting for the first sync"
        : "monitor unreachable";
    renderStatus(view, text, Date.now());
    if (view !== undefined) document.getElementById("status-live")?.classList.replace("live", "stale");
  } finally {
    setTimeout(() => void poll(), POLL_MS);
  }
}

bindWhatIf();
void poll();
