import type { BenchRow } from "./benchSuite.js";

function formatValue(row: BenchRow): string {
  const digits = row.value >= 100 ? 0 : row.value >= 10 ? 1 : 2;
  const number = row.value.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
  return row.unit === "count" ? number : `${number} ${row.unit}`;
}

function formatTarget(row: BenchRow): [string, string] {
  if (row.target === undefined) return ["", ""];
  if ("max" in row.target) {
    return [
      `< ${row.target.max.toLocaleString("en-US")} ${row.unit}`,
      row.value <= row.target.max ? "ok" : "MISSED",
    ];
  }
  return [
    `> ${row.target.min.toLocaleString("en-US")} ${row.unit}`,
    row.value >= row.target.min ? "ok" : "MISSED",
  ];
}

/** The rows as a Markdown table (one line per row, columns padded for reading in a terminal). */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ["suite", "positions", "measure", "median", "runs", "target", "result", "note"];
  const lines = rows.map((row) => {
    const [target, verdict] = formatTarget(row);
    return [
      row.suite,
      row.positions === undefined ? "" : row.positions.toLocaleString("en-US"),
      row.measure,
      formatValue(row),
      row.runs === undefined ? "" : String(row.runs),
      target,
      verdict,
      row.note ?? "",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [render(header), render(widths.map((w) => "-".repeat(Math.max(3, w)))), ...lines.map(render)].join(
    "\n",
  );
}
