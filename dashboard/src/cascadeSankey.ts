/**
 * A cascade as a Sankey diagram, round by round: the shock flows into the protocols whose
 * positions it liquidates (debt repaid), each protocol into the collateral it sold, and each
 * round's sold collateral into the next round's liquidations of positions holding it.
 */
import type { CascadeFlows } from "../../src/adapters/store/cascadeFlows.js";
import { type ChartOption, MUTED_COLOR, protocolColor, TEXT_COLOR } from "./charts.js";
import { formatUsd, shockText } from "./format.js";

interface SankeyNode {
  name: string;
  itemStyle: { color: string };
}
interface SankeyLink {
  source: string;
  target: string;
  value: number;
}

const protocolNode = (round: number, protocol: string) => `R${round} · ${protocol}`;
const soldNode = (round: number, asset: string) => `R${round} · ${asset} sold`;
const ASSET_NODE_COLOR = "#d29922";
const SHOCK_NODE_COLOR = "#f85149";

export function cascadeSankeyOption(flows: CascadeFlows): ChartOption | undefined {
  if (flows.flows.length === 0) return undefined;
  const nodes = new Map<string, SankeyNode>();
  const links = new Map<string, SankeyLink>();
  const node = (name: string, color: string) => {
    if (!nodes.has(name)) nodes.set(name, { name, itemStyle: { color } });
  };
  const link = (source: string, target: string, value: number) => {
    if (!(value > 0)) return;
    const key = `${source}\u0000${target}`;
    const l = links.get(key) ?? { source, target, value: 0 };
    l.value += value;
    links.set(key, l);
  };
  const shock = `Shock: ${shockText(flows.shock)}`;
  node(shock, SHOCK_NODE_COLOR);
  for (const f of flows.flows) {
    const liquidated = protocolNode(f.round, f.protocol);
    const sold = soldNode(f.round, f.collateral);
    node(liquidated, protocolColor(f.protocol));
    node(sold, ASSET_NODE_COLOR);
    link(liquidated, sold, f.seizedUsd);
  }
  for (const f of flows.flows) {
    const target = protocolNode(f.round, f.protocol);
    let source = shock;
    if (f.round > 1) {
      source = soldNode(f.round - 1, f.collateral);
      // A position may fall in round r because its collateral follows an asset sold in round r-1.
      if (!nodes.has(source)) source = `R${f.round - 1} · ${f.collateral} price`;
      node(source, ASSET_NODE_COLOR);
    }
    link(source, target, f.repaidUsd);
  }
  return {
    tooltip: {
      trigger: "item",
      valueFormatter: (v: unknown) => (typeof v === "number" ? formatUsd(v) : String(v)),
    },
    series: [
      {
        type: "sankey",
        left: 8,
        right: 130,
        top: 12,
        bottom: 12,
        nodeGap: 18,
        nodeWidth: 14,
        draggable: false,
        emphasis: { focus: "adjacency" },
        data: [...nodes.values()],
        links: [...links.values()],
        lineStyle: { color: "gradient", opacity: 0.35, curveness: 0.5 },
        label: { color: TEXT_COLOR, fontSize: 11.5, textBorderColor: "#0d1117", textBorderWidth: 3 },
        edgeLabel: { show: false, color: MUTED_COLOR },
      },
    ],
  };
}
