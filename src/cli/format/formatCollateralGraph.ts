import type {
  AssetNode,
  CollateralGraph,
  LiquidationBucket,
  LiquidationPriceBucket,
} from "../../core/graph/collateralGraph.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shortenId } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

export interface FormatCollateralGraphOptions {
  /** Show the clustering of this asset only, bucket by bucket. */
  readonly asset?: string;
}

const BAR_WIDTH = 30;
const BAND = 0.05;
const BANDS_SHOWN = 10;

const bar = (value: number, max: number): string =>
  max > 0 ? "#".repeat(Math.round((value / max) * BAR_WIDTH)) : "";

function exposureTable(graph: CollateralGraph): string[] {
  return renderTextTable(
    [
      { header: "asset" },
      { header: "price", right: true },
      { header: "collateral", right: true },
      { header: "debt", right: true },
      { header: "positions", right: true },
      { header: "markets", right: true },
      { header: "protocols" },
      { header: "quote" },
      { header: "follows" },
    ],
    graph.assets.map((n) => [
      n.asset,
      formatPrice(n.priceUsd),
      formatUsd(n.exposure.collateralUsd),
      formatUsd(n.exposure.debtUsd),
      formatCount(n.exposure.positions),
      String(n.markets.length),
      n.protocols.join(", "),
      n.quote,
      n.leaders.map((l) => `${l.asset} (beta ${l.beta})`).join(" → "),
    ]),
  );
}

function sharedAssetLines(graph: CollateralGraph): string[] {
  const lines: string[] = [];
  for (const node of graph.assets.filter((n) => n.markets.length > 1)) {
    lines.push(`${node.asset}: ${node.markets.length} markets, ${node.protocols.length} protocol(s)`);
    lines.push(
      ...renderTextTable(
        [
          { header: "market" },
          { header: "protocol" },
          { header: "role" },
          { header: "collateral", right: true },
          { header: "debt", right: true },
          { header: "positions", right: true },
        ],
        node.markets.map((m) => {
          const e = node.exposure.byMarket[m.market];
          return [
            shortenId(m.market),
            m.protocol,
            m.role,
            formatUsd(e?.collateralUsd ?? 0),
            formatUsd(e?.debtUsd ?? 0),
            formatCount(e?.positions ?? 0),
          ];
        }),
        "  ",
      ),
    );
  }
  return lines;
}

/** Reserves whose liquidations the protocol holds now (Aave flags, model 2.1), and frozen ones; none: one line. */
function heldLines(graph: CollateralGraph): string[] {
  const rows: string[][] = [];
  for (const node of graph.assets)
    for (const m of node.markets) {
      if (m.hold === undefined && m.frozen !== true) continue;
      const e = node.exposure.byMarket[m.market];
      const hold =
        m.hold === undefined
          ? "liquidations go on"
          : m.hold.reason === "paused"
            ? "paused: no liquidation seizes or repays it"
            : m.hold.reason === "grace-period"
              ? `grace period until ${new Date(m.hold.untilSeconds * 1000).toISOString()}`
              : `sentinel: only health factors below ${m.hold.belowHealthFactor}`;
      rows.push([
        shortenId(m.market),
        node.asset,
        `${hold}${m.frozen === true ? " (frozen)" : ""}`,
        formatUsd(e?.collateralUsd ?? 0),
        formatUsd(e?.debtUsd ?? 0),
      ]);
    }
  if (rows.length === 0) return ["  none"];
  return renderTextTable(
    [
      { header: "market" },
      { header: "reserve" },
      { header: "liquidations" },
      { header: "collateral", right: true },
      { header: "debt", right: true },
    ],
    rows,
    "  ",
  );
}

/** The quote forest: each asset under the asset it trades against, USD at the roots. */
function quoteForestLines(graph: CollateralGraph): string[] {
  const byId = new Map(graph.assets.map((n) => [n.asset as string, n]));
  const lines: string[] = [];
  const visit = (node: AssetNode, indent: string): void => {
    lines.push(`${indent}${node.asset} (${node.liquidity}, ${formatPrice(node.priceUsd)})`);
    for (const child of [...node.quotedBy].sort()) {
      const childNode = byId.get(child);
      if (childNode !== undefined) visit(childNode, `${indent}  `);
    }
  };
  lines.push("USD");
  for (const node of graph.assets
    .filter((n) => n.quote === "USD")
    .sort((a, b) => (a.asset < b.asset ? -1 : 1))) {
    visit(node, "  ");
  }
  return lines;
}

/** Which markets read which oracle for each asset, with its report and how it moves with the asset. */
function oracleTable(graph: CollateralGraph): string[] {
  const rows: string[][] = [];
  for (const node of graph.assets) {
    for (const o of node.oracles) {
      rows.push([
        node.asset,
        o.oracle,
        o.kind,
        formatPrice(o.reportUsd),
        o.sensitivity.toFixed(2),
        o.markets.length <= 3
          ? o.markets.map(shortenId).join(", ")
          : `${o.markets.slice(0, 2).map(shortenId).join(", ")} and ${o.markets.length - 2} more`,
      ]);
    }
  }
  return renderTextTable(
    [
      { header: "asset" },
      { header: "oracle" },
      { header: "kind" },
      { header: "report", right: true },
      { header: "moves with asset", right: true },
      { header: "read by" },
    ],
    rows,
  );
}

/** Sums the histogram's buckets into bands of `BAND` (5%) for the first `BANDS_SHOWN` bands, then the rest. */
function bands(buckets: readonly LiquidationPriceBucket[]): { label: string; bucket: LiquidationBucket }[] {
  const out: { label: string; bucket: LiquidationBucket }[] = [];
  const add = (label: string, from: number, to: number): void => {
    const sum: LiquidationBucket = { positions: 0, collateralUsd: 0, debtUsd: 0 };
    for (const b of buckets) {
      if (b.dropFrom >= from - 1e-9 && b.dropFrom < to - 1e-9) {
        sum.positions += b.positions;
        sum.collateralUsd += b.collateralUsd;
        sum.debtUsd += b.debtUsd;
      }
    }
    out.push({ label, bucket: sum });
  };
  for (let k = 0; k < BANDS_SHOWN; k++) {
    add(
      `${k === 0 ? "0" : `-${Math.round(k * BAND * 100)}`}% to -${Math.round((k + 1) * BAND * 100)}%`,
      k * BAND,
      (k + 1) * BAND,
    );
  }
  add(`beyond -${Math.round(BANDS_SHOWN * BAND * 100)}%`, BANDS_SHOWN * BAND, 2);
  return out;
}

function clusteringLines(node: AssetNode, detailed: boolean): string[] {
  const h = node.liquidationPrices;
  const held = [...h.buckets, h.alreadyLiquidatable, h.notOnFall].reduce((s, b) => s + b.collateralUsd, 0);
  const lines = [
    `${node.asset} at ${formatPrice(node.priceUsd)}: ${formatUsd(held)} held as collateral; ` +
      `already liquidatable ${formatUsd(h.alreadyLiquidatable.collateralUsd)} (${formatCount(h.alreadyLiquidatable.positions)} positions); ` +
      `not by a fall ${formatUsd(h.notOnFall.collateralUsd)} (${formatCount(h.notOnFall.positions)})`,
  ];
  const rows: { label: string; price: string; bucket: LiquidationBucket }[] = detailed
    ? h.buckets
        .filter((b) => b.positions > 0)
        .map((b) => ({
          label: `${b.dropFrom === 0 ? "0%" : formatPercent(-b.dropFrom)} to ${formatPercent(-b.dropTo)}`,
          price: `${formatPrice(b.priceToUsd)} – ${formatPrice(b.priceFromUsd)}`,
          bucket: b,
        }))
    : bands(h.buckets).map((b, k) => ({
        label: b.label,
        price:
          k < BANDS_SHOWN
            ? `${formatPrice(node.priceUsd * (1 - k * BAND))} – ${formatPrice(node.priceUsd * (1 - (k + 1) * BAND))}`
            : `below ${formatPrice(node.priceUsd * (1 - BANDS_SHOWN * BAND))}`,
        bucket: b.bucket,
      }));
  const max = Math.max(0, ...rows.map((r) => r.bucket.collateralUsd));
  lines.push(
    ...renderTextTable(
      [
        { header: "price drop" },
        { header: "price", right: true },
        { header: "positions", right: true },
        { header: "collateral", right: true },
        { header: "share", right: true },
        { header: "debt", right: true },
        { header: "" },
      ],
      rows.map((r) => [
        r.label,
        r.price,
        formatCount(r.bucket.positions),
        formatUsd(r.bucket.collateralUsd),
        held > 0 ? `${((100 * r.bucket.collateralUsd) / held).toFixed(1)}%` : "",
        formatUsd(r.bucket.debtUsd),
        bar(r.bucket.collateralUsd, max),
      ]),
      "  ",
    ),
  );
  const densest = [...h.buckets]
    .filter((b) => b.collateralUsd > 0)
    .sort((a, b) => b.collateralUsd - a.collateralUsd)
    .slice(0, 3);
  if (!detailed && densest.length > 0) {
    lines.push(
      `  densest levels: ${densest
        .map(
          (b) =>
            `${formatPercent(-b.dropFrom, 0)}..${formatPercent(-b.dropTo, 0)} ${formatUsd(b.collateralUsd)}`,
        )
        .join(", ")}`,
    );
  }
  return lines;
}

/** The readable collateral graph: exposure, shared assets, price links, liquidation clustering. */
export function formatCollateralGraph(
  graph: CollateralGraph,
  options: FormatCollateralGraphOptions = {},
): string[] {
  const lines: string[] = ["Exposure at snapshot prices", ...exposureTable(graph)];
  lines.push("", "Shared assets (named by two or more markets)", ...sharedAssetLines(graph));
  lines.push(
    "",
    "Held liquidations (paused, grace period, L2 sentinel) and frozen reserves",
    ...heldLines(graph),
  );
  lines.push("", "Quote forest (each asset under the asset it trades against)", ...quoteForestLines(graph));
  lines.push("", "Oracles the markets read", ...oracleTable(graph));
  const step = graph.assets[0]?.liquidationPrices.step ?? 0.01;
  lines.push(
    "",
    "Liquidation clustering: collateral that becomes liquidatable as the asset's market price falls,",
    "judged at oracle reports (whole position; reports that depend on the asset move with it,",
    `fixed feeds and other assets stay; levels of ${formatPercent(step, 2).replace("+", "")})`,
  );
  const nodes =
    options.asset === undefined
      ? graph.assets.filter(
          (n) => n.exposure.collateralUsd > 0 && n.liquidationPrices.buckets.some((b) => b.positions > 0),
        )
      : graph.assets.filter((n) => n.asset === options.asset);
  for (const node of nodes) lines.push("", ...clusteringLines(node, options.asset !== undefined));
  return lines;
}
