/** ECharts, only the parts the page draws with, on a canvas sized to its box. */
import { BarChart, LineChart, SankeyChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { type EChartsCoreOption, type EChartsType, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart,
  LineChart,
  SankeyChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = EChartsCoreOption;

/** One color per protocol, the same on every chart. */
export const PROTOCOL_COLORS: Readonly<Record<string, string>> = {
  "aave-v3": "#b6509e",
  "aave-v4": "#8f6bd8",
  "morpho-blue": "#4f9dff",
  "compound-v3": "#00d395",
};
export const ASSET_COLOR = "#d29922";
export const BAD_DEBT_COLOR = "#f85149";
export const TEXT_COLOR = "#e6edf3";
export const MUTED_COLOR = "#8b98a8";
export const GRID_LINE_COLOR = "#2a3441";

export const protocolColor = (protocol: string): string => PROTOCOL_COLORS[protocol] ?? "#8b98a8";

const charts = new Map<HTMLElement, EChartsType>();
const resizer = new ResizeObserver((entries) => {
  for (const entry of entries) charts.get(entry.target as HTMLElement)?.resize();
});

/** Draws `option` into `container`, reusing its chart (so updates animate instead of flashing). */
export function draw(container: HTMLElement, option: ChartOption): EChartsType {
  let chart = charts.get(container);
  if (chart === undefined) {
    chart = init(container, "dark", { renderer: "canvas" });
    charts.set(container, chart);
    resizer.observe(container);
  }
  chart.setOption({ backgroundColor: "transparent", textStyle: { color: TEXT_COLOR }, ...option }, true);
  return chart;
}

export function dispose(container: HTMLElement): void {
  charts.get(container)?.dispose();
  charts.delete(container);
  resizer.unobserve(container);
}

export const axisStyle = {
  axisLine: { lineStyle: { color: GRID_LINE_COLOR } },
  splitLine: { lineStyle: { color: GRID_LINE_COLOR, opacity: 0.6 } },
  axisLabel: { color: MUTED_COLOR },
  nameTextStyle: { color: MUTED_COLOR },
};
