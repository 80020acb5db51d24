/** The scenarios table and the selected scenario's cascade, drawn round by round. */
import type { CascadeFlows } from "../../src/adapters/store/cascadeFlows.js";
import type { DashboardView } from "./api.js";
import { cascadeSankeyOption } from "./cascadeSankey.js";
import { axisStyle, type ChartOption, dispose, draw, MUTED_COLOR } from "./charts.js";
import { byId, el, replaceChildren, table } from "./dom.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shockText } from "./format.js";

type Scenario = DashboardView["scenarios"][number];

const cascadeOf = (view: DashboardView, scenario: string): CascadeFlows | undefined =>
  view.cascades.find((c) => c.scenario === scenario)?.flows;

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
        {
          key: "strandedDebtUsd",
          label: "Stranded debt",
          text: (s) => {
            const flows = cascadeOf(view, s.name);
            return flows === undefined ? "—" : formatUsd(flows.strandedDebtUsd);
          },
          value: (s) => cascadeOf(view, s.name)?.strandedDebtUsd ?? Number.NaN,
          title: () => "debt still liquidatable when the cascade stops, but unprofitable to liquidate",
          className: (s) => ((cascadeOf(view, s.name)?.strandedDebtUsd ?? 0) > 0 ? "warn" : ""),
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

/**
 * Market price and oracle report of each asset the cascade moved, round by round, as a share of
 * the snapshot market price: where the two part, positions are judged at prices the market left.
 */
function pricesOption(flows: CascadeFlows, assets: readonly string[]): ChartOption {
  const pct = (price: number, start: number) => (start > 0 ? (price / start - 1) * 100 : 0);
  const rounds = flows.rounds;
  return {
    legend: { top: 0, textStyle: { color: MUTED_COLOR }, type: "scroll" },
    grid: { left: 48, right: 12, top: 34, bottom: 28 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v: unknown) => (typeof v === "number" ? `${v.toFixed(2)}%` : String(v)),
    },
    xAxis: {
      type: "category",
      data: ["snapshot", ...rounds.map((r) => `R${r.round}`)],
      axisLabel: axisStyle.axisLabel,
      axisLine: axisStyle.axisLine,
    },
    yAxis: {
      type: "value",
      ...axisStyle,
      scale: true,
      axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => `${v}%` },
    },
    series: assets.flatMap((a, i) => {
      const start = flows.initialPrices[a] ?? 0;
      const color = SERIES_COLORS[i % SERIES_COLORS.length];
      return [
        {
          name: `${a} market`,
          type: "line",
          itemStyle: { color },
          data: [0, ...rounds.map((r) => pct(r.prices[a] ?? start, start))],
        },
        {
          name: `${a} oracle`,
          type: "line",
          itemStyle: { color },
          lineStyle: { type: "dashed" },
          symbol: "emptyCircle",
          data: [
            0,
            ...rounds.map((r) => (r.oraclePrices[a] === undefined ? null : pct(r.oraclePrices[a], start))),
          ],
        },
      ];
    }),
  };
}

const SERIES_COLORS = ["#4f9dff", "#d29922", "#b6509e", "#00d395", "#f85149"];

/** Draws `flows` into the Sankey, the rounds table and the prices chart given by id. */
export function renderCascade(
  flows: CascadeFlows | undefined,
  ids: { chart: string; rounds: string; prices: string; title?: string },
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
  const moved = Object.keys(flows?.initialPrices ?? {}).filter((a) =>
    rounds.some((r) => (r.prices[a] ?? 0) !== (flows?.initialPrices[a] ?? 0)),
  );
  const pricesChart = byId(ids.prices);
  if (flows === undefined || rounds.length === 0) dispose(pricesChart);
  else draw(pricesChart, pricesOption(flows, moved));
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
        {
          key: "unprofitableDebtUsd",
          label: "Unprofitable",
          text: (r) =>
            r.unprofitable === 0
              ? "—"
              : `${formatCount(r.unprofitable)} · ${formatUsd(r.unprofitableDebtUsd)}`,
          value: (r) => r.unprofitableDebtUsd,
          title: () =>
            "liquidatable positions skipped because liquidating them would not pay, and their debt",
          className: (r) => (r.unprofitable > 0 ? "warn" : ""),
        },
        ...moved.map((a) => ({
          key: `price.${a}`,
          label: `${a} move`,
          text: (r: (typeof rounds)[number]) => {
            const start = flows?.initialPrices[a] ?? 0;
            return formatPercent(start > 0 ? (r.prices[a] ?? 0) / start - 1 : 0, 1);
          },
          title: (r: (typeof rounds)[number]) =>
            `${a} after round ${r.round}: market $${formatPrice(r.prices[a] ?? 0)}, oracle $${formatPrice(r.oraclePrices[a] ?? Number.NaN)}`,
          value: (r: (typeof rounds)[number]) => r.prices[a] ?? 0,
        })),
      ],
      { empty: "No round liquidates anything." },
    ),
  );
}
