/** The scenarios table and the selected scenario's cascade, drawn round by round. */
import type { CascadeFlows } from "../../src/adapters/store/cascadeFlows.js";
import type { DashboardView } from "./api.js";
import { cascadeSankeyOption } from "./cascadeSankey.js";
import { dispose, draw } from "./charts.js";
import { byId, el, replaceChildren, table } from "./dom.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shockText } from "./format.js";

type Scenario = DashboardView["scenarios"][number];

export function renderScenarios(
  view: DashboardView,
  selected: string | undefined,
  onSelect: (name: string) => void,
): void {
  replaceChildren(
    byId("scenarios"),
    table<Scenario>(
      view.scenarios,
      [
        { key: "name", label: "Scenario", text: (s) => s.name, alignText: true },
        { key: "shock", label: "Shock", text: (s) => shockText(s.shock), alignText: true },
        {
          key: "liquidations",
          label: "Liquidations",
          text: (s) => formatCount(s.liquidations),
          value: (s) => s.liquidations,
        },
        {
          key: "repaidUsd",
          label: "Debt repaid",
          text: (s) => formatUsd(s.repaidUsd),
          value: (s) => s.repaidUsd,
        },
        {
          key: "badDebtUsd",
          label: "Bad debt",
          text: (s) => formatUsd(s.badDebtUsd),
          value: (s) => s.badDebtUsd,
          className: (s) => (s.badDebtUsd > 0 ? "bad" : ""),
        },
        { key: "rounds", label: "Rounds", text: (s) => String(s.rounds), value: (s) => s.rounds },
        {
          key: "crossProtocolLiquidations",
          label: "Cross-protocol",
          text: (s) => formatCount(s.crossProtocolLiquidations),
          value: (s) => s.crossProtocolLiquidations,
          className: (s) => (s.crossProtocolLiquidations > 0 ? "warn" : ""),
        },
        {
          key: "amplification",
          label: "Amplification",
          text: (s) => {
            const values = Object.values(s.amplification);
            return values.length === 0 ? "—" : `${Math.max(...values).toFixed(2)}×`;
          },
          value: (s) => Math.max(0, ...Object.values(s.amplification)),
          title: () => "final price fall over the shock's own fall, for the shocked asset",
        },
      ],
      {
        rowKey: (s) => s.name,
        ...(selected === undefined ? {} : { selectedKey: selected }),
        onSelect: (s) => onSelect(s.name),
        empty: "No scenario configured.",
      },
    ),
  );
}

/** Draws `flows` into the chart and the rounds table given by id. */
export function renderCascade(
  flows: CascadeFlows | undefined,
  ids: { chart: string; rounds: string; title?: string },
  title: string,
): void {
  if (ids.title !== undefined) byId(ids.title).textContent = title;
  const chart = byId(ids.chart);
  const option = flows === undefined ? undefined : cascadeSankeyOption(flows);
  if (option === undefined) {
    dispose(chart);
    replaceChildren(chart, el("div", { class: "empty" }, "No liquidation: this shock starts no cascade."));
  } else {
    if (chart.firstElementChild?.classList.contains("empty") === true) chart.replaceChildren();
    draw(chart, option);
  }
  const rounds = flows?.rounds ?? [];
  const assets = Object.keys(flows?.initialPrices ?? {});
  replaceChildren(
    byId(ids.rounds),
    table(
      rounds,
      [
        {
          key: "round",
          label: "Round",
          text: (r) => String(r.round),
          value: (r) => r.round,
          alignText: true,
        },
        {
          key: "liquidations",
          label: "Liq.",
          text: (r) => formatCount(r.liquidations),
          value: (r) => r.liquidations,
        },
        { key: "repaidUsd", label: "Repaid", text: (r) => formatUsd(r.repaidUsd), value: (r) => r.repaidUsd },
        {
          key: "badDebtUsd",
          label: "Bad debt",
          text: (r) => formatUsd(r.badDebtUsd),
          value: (r) => r.badDebtUsd,
          className: (r) => (r.badDebtUsd > 0 ? "bad" : ""),
        },
        ...assets
          .filter((a) => rounds.some((r) => (r.prices[a] ?? 0) !== (flows?.initialPrices[a] ?? 0)))
          .map((a) => ({
            key: `price.${a}`,
            label: `${a} move`,
            text: (r: (typeof rounds)[number]) => {
              const start = flows?.initialPrices[a] ?? 0;
              return formatPercent(start > 0 ? (r.prices[a] ?? 0) / start - 1 : 0, 1);
            },
            title: (r: (typeof rounds)[number]) =>
              `${a} after round ${r.round}: $${formatPrice(r.prices[a] ?? 0)}`,
            value: (r: (typeof rounds)[number]) => r.prices[a] ?? 0,
          })),
      ],
      { empty: "No round liquidates anything." },
    ),
  );
}
