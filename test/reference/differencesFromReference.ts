/**
 * Every difference between an engine report and the reference's, as readable lines (none when
 * they agree to 1e-9 relative, absolute 1e-9 near 0: the agreement cascade-model.md asks of two
 * implementations). Reports are typed structurally, as decoded JSON of the `cascade-report/2`
 * shape; the fields version 2 added (`unprofitable`, `oraclePrices`, `profitUsd`, `stranded`, ...)
 * are compared whenever the expected report has them, so a version 1 pair compares as before.
 */

const RELATIVE = 1e-9;
const ABSOLUTE = 1e-9;
/** Beyond this many lines the rest is summarised: the first differences are the useful ones. */
const MAX_LINES = 60;

type NumberRecord = Readonly<Record<string, number | undefined>>;

export interface ComparableRound {
  readonly round: number;
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  readonly liquidityExhausted: boolean;
  readonly unprofitable?: number;
  readonly unprofitableDebtUsd?: number;
  readonly prices: NumberRecord;
  readonly oraclePrices?: NumberRecord;
}

export interface ComparableLiquidation {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly protocol: string;
  readonly healthFactor: number;
  readonly repaid: NumberRecord;
  readonly seized: NumberRecord;
  readonly repaidUsd: number;
  readonly seizedUsd: number;
  readonly profitUsd?: number;
  readonly badDebtUsd: number;
  readonly cause: string;
  readonly sources: readonly string[];
  readonly crossProtocol: boolean;
}

export interface ComparableProtocolTotals {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
}

export interface ComparableReport {
  readonly schema?: string;
  readonly converged: boolean;
  readonly rounds: readonly ComparableRound[];
  readonly liquidations: readonly ComparableLiquidation[];
  readonly totals: {
    readonly liquidations: number;
    readonly positionsLiquidated: number;
    readonly repaidUsd: number;
    readonly badDebtUsd: number;
    readonly stranded?: number;
    readonly strandedDebtUsd?: number;
    readonly byProtocol: Readonly<Record<string, ComparableProtocolTotals | undefined>>;
  };
  readonly initialPrices: NumberRecord;
  readonly finalPrices: NumberRecord;
  readonly amplification: NumberRecord;
}

const show = (v: unknown): string =>
  v === undefined ? "absent" : Array.isArray(v) ? `[${v.join(", ")}]` : String(v);

class Mismatches {
  readonly lines: string[] = [];
  private dropped = 0;

  push(line: string): void {
    if (this.lines.length < MAX_LINES) this.lines.push(line);
    else this.dropped += 1;
  }

  number(path: string, actual: number | undefined, expected: number | undefined): void {
    if (actual === undefined && expected === undefined) return;
    if (actual === undefined || expected === undefined) {
      this.push(`${path}: ${show(actual)} vs ${show(expected)}`);
      return;
    }
    if (actual === expected) return;
    const scale = Math.max(Math.abs(actual), Math.abs(expected));
    if (!(Math.abs(actual - expected) <= RELATIVE * scale + ABSOLUTE))
      this.push(`${path}: ${actual} vs ${expected}`);
  }

  same(path: string, actual: unknown, expected: unknown): void {
    if (show(actual) !== show(expected)) this.push(`${path}: ${show(actual)} vs ${show(expected)}`);
  }

  /** Token amounts per asset: an asset missing on one side counts as 0. */
  amounts(path: string, actual: NumberRecord, expected: NumberRecord): void {
    for (const k of new Set([...Object.keys(actual), ...Object.keys(expected)]))
      this.number(`${path}.${k}`, actual[k] ?? 0, expected[k] ?? 0);
  }

  /** Prices per asset or oracle: every key must be on both sides. */
  keyed(path: string, actual: NumberRecord, expected: NumberRecord): void {
    for (const k of [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort())
      this.number(`${path}.${k}`, actual[k], expected[k]);
  }

  result(): string[] {
    return this.dropped > 0 ? [...this.lines, `... and ${this.dropped} more`] : this.lines;
  }
}

function compareRounds(
  out: Mismatches,
  actual: ComparableReport,
  expected: ComparableReport,
  version2: boolean,
): void {
  out.same("rounds.length", actual.rounds.length, expected.rounds.length);
  expected.rounds.forEach((e, i) => {
    const a = actual.rounds[i];
    if (a === undefined) return;
    const p = `round ${e.round}`;
    out.same(`${p} round`, a.round, e.round);
    out.same(`${p} liquidations`, a.liquidations, e.liquidations);
    out.same(`${p} liquidityExhausted`, a.liquidityExhausted, e.liquidityExhausted);
    out.number(`${p} repaidUsd`, a.repaidUsd, e.repaidUsd);
    out.number(`${p} soldUsd`, a.soldUsd, e.soldUsd);
    out.number(`${p} badDebtUsd`, a.badDebtUsd, e.badDebtUsd);
    out.keyed(`${p} prices`, a.prices, e.prices);
    if (!version2) return;
    out.same(`${p} unprofitable`, a.unprofitable, e.unprofitable);
    out.number(`${p} unprofitableDebtUsd`, a.unprofitableDebtUsd, e.unprofitableDebtUsd);
    out.keyed(`${p} oraclePrices`, a.oraclePrices ?? {}, e.oraclePrices ?? {});
  });
}

function compareLiquidations(
  out: Mismatches,
  actual: ComparableReport,
  expected: ComparableReport,
  version2: boolean,
): void {
  out.same("liquidations.length", actual.liquidations.length, expected.liquidations.length);
  expected.liquidations.forEach((e, i) => {
    const a = actual.liquidations[i];
    if (a === undefined) return;
    const p = `round ${e.round} liquidations[${i}]`;
    if (a.round !== e.round || a.market !== e.market || a.account !== e.account) {
      out.push(
        `${p}: round ${a.round} ${a.market} ${a.account} vs round ${e.round} ${e.market} ${e.account}`,
      );
      return;
    }
    const at = ` (${e.market} ${e.account})`;
    out.same(`${p}.protocol${at}`, a.protocol, e.protocol);
    out.same(`${p}.cause${at}`, a.cause, e.cause);
    out.same(`${p}.sources${at}`, a.sources, e.sources);
    out.same(`${p}.crossProtocol${at}`, a.crossProtocol, e.crossProtocol);
    out.number(`${p}.healthFactor${at}`, a.healthFactor, e.healthFactor);
    out.number(`${p}.repaidUsd${at}`, a.repaidUsd, e.repaidUsd);
    out.number(`${p}.seizedUsd${at}`, a.seizedUsd, e.seizedUsd);
    out.number(`${p}.badDebtUsd${at}`, a.badDebtUsd, e.badDebtUsd);
    // Version 2: present for every liquidation but an absorb and a write-off, on both sides alike.
    if (version2) out.number(`${p}.profitUsd${at}`, a.profitUsd, e.profitUsd);
    out.amounts(`${p}.repaid${at}`, a.repaid, e.repaid);
    out.amounts(`${p}.seized${at}`, a.seized, e.seized);
  });
}

function compareTotals(
  out: Mismatches,
  actual: ComparableReport,
  expected: ComparableReport,
  version2: boolean,
): void {
  const t = actual.totals;
  const e = expected.totals;
  out.same("totals.liquidations", t.liquidations, e.liquidations);
  out.same("totals.positionsLiquidated", t.positionsLiquidated, e.positionsLiquidated);
  out.number("totals.repaidUsd", t.repaidUsd, e.repaidUsd);
  out.number("totals.badDebtUsd", t.badDebtUsd, e.badDebtUsd);
  if (version2) {
    out.same("totals.stranded", t.stranded, e.stranded);
    out.number("totals.strandedDebtUsd", t.strandedDebtUsd, e.strandedDebtUsd);
  }
  // Version 2 lists every protocol that has a market; the version 1 reference only those that liquidated.
  const protocols = version2
    ? [...Object.keys(t.byProtocol), ...Object.keys(e.byProtocol)]
    : Object.keys(e.byProtocol);
  for (const protocol of [...new Set(protocols)].sort()) {
    const a = t.byProtocol[protocol];
    const b = e.byProtocol[protocol];
    const p = `totals.byProtocol.${protocol}`;
    if (a === undefined || b === undefined) {
      out.push(
        `${p}: ${a === undefined ? "absent" : "present"} vs ${b === undefined ? "absent" : "present"}`,
      );
      continue;
    }
    out.same(`${p}.liquidations`, a.liquidations, b.liquidations);
    out.number(`${p}.repaidUsd`, a.repaidUsd, b.repaidUsd);
    out.number(`${p}.badDebtUsd`, a.badDebtUsd, b.badDebtUsd);
  }
}

export interface CompareOptions {
  /**
   * Which fields to compare: 2 (the default when the expected report is `cascade-report/2`) adds
   * the schema, `unprofitable`, `unprofitableDebtUsd`, `oraclePrices`, `profitUsd` (present or
   * absent alike), `stranded`, `strandedDebtUsd` and every `byProtocol` entry of either side;
   * 1 compares only what a `cascade-report/1` has.
   */
  readonly version?: 1 | 2;
}

/** Every difference between the two reports, as readable lines (empty when they agree). */
export function differencesFromReference(
  actual: ComparableReport,
  expected: ComparableReport,
  options: CompareOptions = {},
): string[] {
  const out = new Mismatches();
  const version2 = (options.version ?? (expected.schema === "cascade-report/2" ? 2 : 1)) === 2;
  if (version2) out.same("schema", actual.schema, expected.schema);
  out.same("converged", actual.converged, expected.converged);
  compareRounds(out, actual, expected, version2);
  compareLiquidations(out, actual, expected, version2);
  compareTotals(out, actual, expected, version2);
  out.keyed("initialPrices", actual.initialPrices, expected.initialPrices);
  out.keyed("finalPrices", actual.finalPrices, expected.finalPrices);
  out.keyed("amplification", actual.amplification, expected.amplification);
  return out.result();
}
