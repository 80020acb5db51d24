/** The book by protocol and asset, the liquidation-price clustering, the positions nearest liquidation. */
import type { DashboardView } from "./api.js";
import { ASSET_COLOR, axisStyle, BAD_DEBT_COLOR, draw, MUTED_COLOR, protocolColor } from "./charts.js";
import { byId, el, replaceChildren, table } from "./dom.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shortenId } from "./format.js";

const compactUsd = (v: number) => formatUsd(v).replace(/\.0+([kMB])/, "$1");

export function renderBook(view: DashboardView): void {
  const protocols = Object.keys(view.book.byProtocol).sort();
  const assets = [...new Set(view.book.exposures.map((e) => e.asset))].sort();
  const sum = (protocol: string, asset: string, side: "collateralUsd" | "debtUsd") =>
    view.book.exposures
      .filter((e) => e.protocol === protocol && e.asset === asset)
      .reduce((total, e) => total + e[side], 0);
  draw(byId("book-chart"), {
    legend: { top: 0, textStyle: { color: MUTED_COLOR } },
    grid: { left: 70, right: 12, top: 34, bottom: 40 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v: unknown) => (typeof v === "number" ? formatUsd(v) : String(v)),
    },
    xAxis: {
      type: "category",
      data: assets,
      axisLabel: { ...axisStyle.axisLabel, interval: 0 },
      axisLine: axisStyle.axisLine,
      name: "solid: collateral · faded: debt",
      nameLocation: "middle",
      nameGap: 26,
      nameTextStyle: axisStyle.nameTextStyle,
    },
    yAxis: { type: "value", ...axisStyle, axisLabel: { ...axisStyle.axisLabel, formatter: compactUsd } },
    series: protocols.flatMap((p) => [
      {
        name: p,
        type: "bar",
        stack: "collateral",
        barMaxWidth: 26,
        itemStyle: { color: protocolColor(p) },
        data: assets.map((a) => sum(p, a, "collateralUsd")),
      },
      {
        name: p,
        type: "bar",
        stack: "debt",
        barMaxWidth: 26,
        itemStyle: { color: protocolColor(p), opacity: 0.45 },
        data: assets.map((a) => sum(p, a, "debtUsd")),
      },
    ]),
  });
  const rows = protocols.map((p) => ({ protocol: p, ...view.book.byProtocol[p]! }));
  replaceChildren(
    byId("book-protocols"),
    table(
      rows,
      [
        { key: "protocol", label: "Protocol", text: (r) => r.protocol, alignText: true },
        {
          key: "positions",
          label: "Positions",
          text: (r) => formatCount(r.positions),
          value: (r) => r.positions,
        },
        {
          key: "collateralUsd",
          label: "Collateral",
          text: (r) => formatUsd(r.collateralUsd),
          value: (r) => r.collateralUsd,
        },
        { key: "debtUsd", label: "Debt", text: (r) => formatUsd(r.debtUsd), value: (r) => r.debtUsd },
        {
          key: "ltv",
          label: "Debt / collateral",
          text: (r) =>
            r.collateralUsd > 0 ? formatPercent(r.debtUsd / r.collateralUsd, 1).replace("+", "") : "—",
          value: (r) => (r.collateralUsd > 0 ? r.debtUsd / r.collateralUsd : 0),
        },
      ],
      { rowKey: (r) => r.protocol },
    ),
  );
}

/** Buckets shown: down to this drop (the rest of the histogram is summed into "further"). */
const CLUSTERING_MAX_DROP = 0.6;

export function renderClustering(
  view: DashboardView,
  asset: string | undefined,
  onAsset: (asset: string) => void,
): string | undefined {
  const select = byId<HTMLSelectElement>("clustering-asset");
  const options = view.clustering.map((c) => c.asset);
  const chosen = asset !== undefined && options.includes(asset) ? asset : options[0];
  if ([...select.options].map((o) => o.value).join() !== options.join()) {
    select.replaceChildren(...options.map((a) => el("option", { value: a }, a)));
    select.onchange = () => onAsset(select.value);
  }
  if (chosen === undefined) {
    replaceChildren(byId("clustering-chart"), el("div", { class: "empty" }, "No collateral in the book."));
    return undefined;
  }
  select.value = chosen;
  const c = view.clustering.find((x) => x.asset === chosen)!;
  const shown = c.histogram.buckets.filter((b) => b.dropFrom < CLUSTERING_MAX_DROP - 1e-9);
  const further = c.histogram.buckets.filter((b) => b.dropFrom >= CLUSTERING_MAX_DROP - 1e-9);
  const furtherDebt = further.reduce((s, b) => s + b.debtUsd, 0);
  const labels = ["now", ...shown.map((b) => formatPrice(b.priceToUsd))];
  const debt = [c.histogram.alreadyLiquidatable.debtUsd, ...shown.map((b) => b.debtUsd)];
  const counts = [c.histogram.alreadyLiquidatable.positions, ...shown.map((b) => b.positions)];
  const drops = [0, ...shown.map((b) => b.dropFrom)];
  draw(byId("clustering-chart"), {
    grid: { left: 70, right: 12, top: 30, bottom: 46 },
    title: {
      text: `${chosen} at $${formatPrice(c.priceUsd)} · ${formatUsd(c.collateralUsd)} as collateral · ${formatUsd(furtherDebt)} more below -${CLUSTERING_MAX_DROP * 100}%`,
      left: "center",
      top: 0,
      textStyle: { color: MUTED_COLOR, fontSize: 12, fontWeight: "normal" },
    },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: unknown) => {
        const p = (params as Array<{ dataIndex: number }>)[0];
        if (p === undefined) return "";
        const i = p.dataIndex;
        const where =
          i === 0
            ? "liquidatable now"
            : `${chosen} ≤ $${labels[i]} (${formatPercent(-(drops[i] ?? 0), 0)} and more)`;
        return `${where}<br>${formatCount(counts[i] ?? 0)} positions · ${formatUsd(debt[i] ?? 0)} debt`;
      },
    },
    xAxis: {
      type: "category",
      data: labels,
      name: `${chosen} price (USD) at which they become liquidatable`,
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: axisStyle.nameTextStyle,
      axisLabel: axisStyle.axisLabel,
      axisLine: axisStyle.axisLine,
    },
    yAxis: { type: "value", ...axisStyle, axisLabel: { ...axisStyle.axisLabel, formatter: compactUsd } },
    series: [
      {
        type: "bar",
        name: "debt",
        barCategoryGap: "12%",
        data: debt.map((v, i) => ({
          value: v,
          itemStyle: { color: i === 0 ? BAD_DEBT_COLOR : ASSET_COLOR },
        })),
      },
    ],
  });
  return chosen;
}

type AtRisk = DashboardView["positionsAtRisk"]["positions"][number];

export function renderAtRisk(view: DashboardView): void {
  byId("at-risk-hint").textContent =
    `the ${view.positionsAtRisk.positions.length} lowest health factors of ${formatCount(view.positionsAtRisk.total)} positions below the at-risk bound`;
  replaceChildren(
    byId("at-risk"),
    table<AtRisk>(
      view.positionsAtRisk.positions,
      [
        { key: "protocol", label: "Protocol", text: (p) => p.protocol, alignText: true },
        {
          key: "market",
          label: "Market",
          text: (p) => shortenId(p.market),
          alignText: true,
          title: (p) => p.market,
        },
        {
          key: "account",
          label: "Account",
          text: (p) => shortenId(p.account),
          alignText: true,
          title: (p) => p.account,
        },
        {
          key: "healthFactor",
          label: "Health factor",
          text: (p) => p.healthFactor.toFixed(4),
          value: (p) => p.healthFactor,
          className: (p) => (p.healthFactor < 1 ? "bad" : p.healthFactor < 1.05 ? "warn" : ""),
        },
        {
          key: "collateralUsd",
          label: "Collateral",
          text: (p) => formatUsd(p.collateralUsd),
          value: (p) => p.collateralUsd,
        },
        { key: "debtUsd", label: "Debt", text: (p) => formatUsd(p.debtUsd), value: (p) => p.debtUsd },
      ],
      { rowKey: (p) => `${p.market}/${p.account}`, empty: "No position below the at-risk health factor." },
    ),
  );
}
