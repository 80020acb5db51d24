/** A plain-text table: a header, a rule, one line per row; numeric columns right-aligned. */
export interface TextColumn {
  readonly header: string;
  /** Right-align (numbers). */
  readonly right?: boolean;
}

/** `indent` prefixes every line (header, rule and rows) so a table can sit under a heading. */
export function renderTextTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
  indent = "",
): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((cell, i) =>
        columns[i]?.right === true ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((_, i) => r[i] ?? ""))),
  ];
}
