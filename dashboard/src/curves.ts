/** One liquidation curve per curve asset: direct (round 1) vs with the cascade, and bad debt. */
import type { DashboardView } from "./api.js";
import { axisStyle, BAD_DEBT_COLOR, draw, MUTED_COLOR } from "./charts.js";
import { byId, el, table } from "./dom.js";
import { formatPercent, formatUsd } from "./format.js";

export function renderCurves(view: DashboardView): void {
  const container = byId("curves");
  const wanted = new Set(view.curves.map((c) => c.asset));
  for (const child of [...container.children]) {
    if (!wanted.has((child as HTMLElement).dataset.asset ?? "")) child.remove();
  }
  if (view.curves.length === 0) {
    container.replaceChildren(
      el("div", { class: "empty" }, "No curve asset configured (scenarios.curves.assets)."),
    );
    return;
  }
  container.querySelector(".empty")?.remove();
  for (const curve of view.curves) {
    let box = container.querySelector<HTMLElement>(`[data-asset="${curve.asset}"]`);
    if (box === null) {
      box = el(
        "div",
        { "data-asset": curve.asset },
        el("p", { class: "curve-title" }, curve.asset),
        el("div", { class: "chart" }),
        el("details", {}, el("summary", {}, "numbers"), el("div", { class: "curve-numbers" })),
      );
      container.append(box);
    }
    const chart = box.querySelector<HTMLElement>(".chart");
    if (chart === null) continue;
    const points = [...curve.points].sort((a, b) => b.shock - a.shock);
    box.querySelector<HTMLElement>(".curve-numbers")?.replaceChildren(
      table(
        points,
        [
          {
            key: "shock",
            label: "Shock",
            text: (p) => formatPercent(p.shock, 0),
            value: (p) => p.shock,
            alignText: true,
          },
          {
            key: "directRepaidUsd",
            label: "Direct",
            text: (p) => formatUsd(p.directRepaidUsd),
            value: (p) => p.directRepaidUsd,
          },
          {
            key: "totalRepaidUsd",
            label: "With cascade",
            text: (p) => formatUsd(p.totalRepaidUsd),
            value: (p) => p.totalRepaidUsd,
          },
          {
            key: "badDebtUsd",
            label: "Bad debt",
            text: (p) => formatUsd(p.badDebtUsd),
            value: (p) => p.badDebtUsd,
          },
        ],
        { rowKey: (p) => String(p.shock) },
      ),
    );
    const critical = view.criticalShocks.find((c) => c.asset === curve.asset);
    const marks = [
      ...(critical?.cascadeShock == null
        ? []
        : [{ name: "cascade starts", xAxis: -critical.cascadeShock * 100 }]),
      ...(critical?.badDebtShock == null
        ? []
        : [{ name: "bad debt starts", xAxis: -critical.badDebtShock * 100 }]),
    ];
    const series = (
      name: string,
      pick: (p: (typeof points)[number]) => number,
      color: string,
      area = false,
    ) => ({
      name,
      type: "line",
      smooth: false,
      showSymbol: true,
      symbolSize: 5,
      itemStyle: { color },
      lineStyle: { width: 2 },
      ...(area ? { areaStyle: { opacity: 0.18 } } : {}),
      data: points.map((p) => [-p.shock * 100, pick(p)]),
    });
    box.querySelector(".curve-title")!.textContent = `${curve.asset}: price falls by`;
    draw(chart, {
      legend: { top: 0, textStyle: { color: MUTED_COLOR } },
      grid: { left: 64, right: 18, top: 34, bottom: 34 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => (typeof v === "number" ? formatUsd(v) : String(v)),
      },
      xAxis: {
        type: "value",
        min: 0,
        max: Math.max(...points.map((p) => -p.shock * 100)),
        axisLabel: { ...axisStyle.axisLabel, formatter: (v: number) => formatPercent(-v / 100, 0) },
        axisLine: axisStyle.axisLine,
        splitLine: { show: false },
      },
      yAxis: {
        type: "value",
        ...axisStyle,
        axisLabel: {
          ...axisStyle.axisLabel,
          formatter: (v: number) => formatUsd(v).replace(/\.0+([kMB])/, "$1"),
        },
      },
      series: [
        series("with cascade", (p) => p.totalRepaidUsd, "#4f9dff", true),
        {
          ...series("direct (round 1)", (p) => p.directRepaidUsd, "#8b98a8"),
          lineStyle: { width: 2, type: "dashed" },
        },
        {
          ...series("bad debt", (p) => p.badDebtUsd, BAD_DEBT_COLOR, true),
          markLine: {
            symbol: "none",
            label: { color: MUTED_COLOR, formatter: "{b}", position: "insideEndTop" },
            lineStyle: { color: "#d29922", type: "dotted" },
            data: marks,
          },
        },
      ],
    });
  }
}
