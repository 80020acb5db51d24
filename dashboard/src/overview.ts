/** The header status, the headline figures, alerts and critical shocks. */
import type { DashboardView } from "./api.js";
import { byId, el, replaceChildren, table } from "./dom.js";
import { ageText, formatCount, formatPercent, formatUsd, shockText } from "./format.js";

export function renderStatus(view: DashboardView | undefined, message: string, nowMs: number): void {
  const live = byId("status-live");
  live.className = `pill ${view === undefined ? "down" : "live"}`;
  byId("status-text").textContent = message;
  if (view === undefined) return;
  byId("status-blocks").textContent = Object.entries(view.blocks)
    .map(([chain, block]) => `chain ${chain} · block ${formatCount(block)}`)
    .join("  ");
  byId("status-snapshot").textContent =
    `snapshot ${ageText(view.snapshotTakenAt, nowMs)} · results v${view.version}`;
}

function kpi(field: string, label: string, value: number, text: string, sub: string, tone = ""): HTMLElement {
  return el(
    "div",
    { class: `kpi ${tone}`.trim() },
    el("div", { class: "label" }, label),
    el("div", { class: "value", "data-field": field, "data-value": String(value) }, text),
    el("div", { class: "sub" }, sub),
  );
}

export function renderKpis(view: DashboardView): void {
  const worst = [...view.scenarios].sort(
    (a, b) => b.badDebtUsd - a.badDebtUsd || b.repaidUsd - a.repaidUsd,
  )[0];
  const critical = view.criticalShocks
    .filter((c) => c.cascadeShock !== null)
    .sort((a, b) => Math.abs(a.cascadeShock ?? 0) - Math.abs(b.cascadeShock ?? 0))[0];
  const protocols = Object.keys(view.book.byProtocol).length;
  replaceChildren(
    byId("kpis"),
    kpi(
      "book.positions",
      "Positions",
      view.book.positions,
      formatCount(view.book.positions),
      `${protocols} protocols`,
    ),
    kpi(
      "book.collateralUsd",
      "Collateral",
      view.book.collateralUsd,
      formatUsd(view.book.collateralUsd),
      "at snapshot prices",
    ),
    kpi(
      "book.debtUsd",
      "Debt",
      view.book.debtUsd,
      formatUsd(view.book.debtUsd),
      `${formatCount(view.positionsAtRisk.total)} positions near liquidation`,
    ),
    worst === undefined
      ? kpi("worst.badDebtUsd", "Worst scenario", 0, "—", "no scenario")
      : kpi(
          "worst.badDebtUsd",
          "Worst scenario bad debt",
          worst.badDebtUsd,
          formatUsd(worst.badDebtUsd),
          `${worst.name}: ${shockText(worst.shock)}`,
          worst.badDebtUsd > 0 ? "bad" : "good",
        ),
    critical === undefined || critical.cascadeShock === null
      ? kpi("critical.min", "Critical shock", 0, "none", "no cascade down to -99%", "good")
      : kpi(
          "critical.min",
          "Critical shock",
          critical.cascadeShock,
          formatPercent(critical.cascadeShock),
          `${critical.asset}: the smallest drop that cascades`,
          Math.abs(critical.cascadeShock) < 0.1 ? "bad" : "warn",
        ),
    kpi(
      "alerts.firing",
      "Firing alerts",
      view.alerts.firing.length,
      formatCount(view.alerts.firing.length),
      view.alerts.firing.length === 0 ? "all clear" : "see below",
      view.alerts.firing.length > 0 ? "bad" : "good",
    ),
  );
}

export function renderAlerts(view: DashboardView): void {
  const container = byId("alerts");
  if (view.alerts.firing.length === 0) {
    replaceChildren(container, el("div", { class: "empty" }, "No alert is firing."));
    return;
  }
  replaceChildren(
    container,
    ...view.alerts.firing.map((a) =>
      el(
        "div",
        { class: "alert", "data-alert": a.labels.alertname ?? "" },
        el("span", { class: `tag ${a.labels.severity ?? ""}` }, a.labels.severity ?? "alert"),
        el("span", { class: "name" }, a.labels.alertname ?? a.fingerprint),
        el("span", { class: "hint" }, `since ${new Date(a.startsAtMs).toLocaleTimeString()}`),
        el("span", { class: "summary" }, a.summary),
      ),
    ),
  );
}

export function renderCritical(view: DashboardView): void {
  replaceChildren(
    byId("critical"),
    table(
      view.criticalShocks,
      [
        { key: "asset", label: "Asset", text: (c) => c.asset, alignText: true },
        {
          key: "cascadeShock",
          label: "Starts a cascade",
          text: (c) => (c.cascadeShock === null ? "none to -99%" : formatPercent(c.cascadeShock)),
          value: (c) => c.cascadeShock ?? Number.NaN,
          className: (c) => (c.cascadeShock !== null && Math.abs(c.cascadeShock) < 0.1 ? "bad" : ""),
        },
        {
          key: "badDebtShock",
          label: "Creates bad debt",
          text: (c) => (c.badDebtShock === null ? "none to -99%" : formatPercent(c.badDebtShock)),
          value: (c) => c.badDebtShock ?? Number.NaN,
          className: (c) => (c.badDebtShock !== null ? "warn" : ""),
        },
      ],
      { rowKey: (c) => c.asset, empty: "No critical-shock asset configured." },
    ),
  );
}
