/**
 * Every difference between a propagator report and the reference's, as readable lines (none when
 * they agree to 1e-9 relative, the agreement cascade-model.md asks of two implementations).
 */
import type { CascadeReport } from "../../src/core/report/cascadeReport.js";
import type { RefReport } from "./referenceSimulate.js";

const RELATIVE = 1e-9;

function close(path: string, actual: number, expected: number, mismatches: string[]): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  if (Math.abs(actual - expected) > RELATIVE * scale + 1e-9)
    mismatches.push(`${path}: ${actual} != ${expected}`);
}

function closeRecord(
  path: string,
  actual: Readonly<Record<string, number>>,
  expected: Readonly<Record<string, number>>,
  mismatches: string[],
): void {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const k of keys) close(`${path}.${k}`, actual[k] ?? 0, expected[k] ?? 0, mismatches);
}

/** Every difference between the two reports, as readable lines (empty when they agree). */
export function differencesFromReference(actual: CascadeReport, expected: RefReport): string[] {
  const out: string[] = [];
  if (actual.converged !== expected.converged)
    out.push(`converged: ${actual.converged} != ${expected.converged}`);
  if (actual.rounds.length !== expected.rounds.length) {
    out.push(`rounds: ${actual.rounds.length} != ${expected.rounds.length}`);
  }
  expected.rounds.forEach((e, i) => {
    const a = actual.rounds[i];
    if (!a) return;
    const p = `rounds[${i}]`;
    if (a.liquidations !== e.liquidations)
      out.push(`${p}.liquidations: ${a.liquidations} != ${e.liquidations}`);
    if (a.liquidityExhausted !== e.liquidityExhausted) out.push(`${p}.liquidityExhausted differs`);
    close(`${p}.repaidUsd`, a.repaidUsd, e.repaidUsd, out);
    close(`${p}.soldUsd`, a.soldUsd, e.soldUsd, out);
    close(`${p}.badDebtUsd`, a.badDebtUsd, e.badDebtUsd, out);
    closeRecord(`${p}.prices`, a.prices, e.prices, out);
  });
  if (actual.liquidations.length !== expected.liquidations.length) {
    out.push(`liquidations: ${actual.liquidations.length} != ${expected.liquidations.length}`);
  }
  expected.liquidations.forEach((e, i) => {
    const a = actual.liquidations[i];
    if (!a || out.length > 20) return;
    const p = `liquidations[${i}] (${e.round} ${e.market} ${e.account})`;
    if (a.round !== e.round || a.market !== e.market || a.account !== e.account) {
      out.push(`${p}: found round ${a.round} ${a.market} ${a.account}`);
      return;
    }
    if (a.protocol !== e.protocol) out.push(`${p}.protocol differs`);
    if (a.cause !== e.cause) out.push(`${p}.cause: ${a.cause} != ${e.cause}`);
    if (a.crossProtocol !== e.crossProtocol)
      out.push(`${p}.crossProtocol: ${a.crossProtocol} != ${e.crossProtocol}`);
    if (a.sources.join() !== e.sources.join()) out.push(`${p}.sources: ${a.sources} != ${e.sources}`);
    close(`${p}.healthFactor`, a.healthFactor, e.healthFactor, out);
    close(`${p}.repaidUsd`, a.repaidUsd, e.repaidUsd, out);
    close(`${p}.seizedUsd`, a.seizedUsd, e.seizedUsd, out);
    close(`${p}.badDebtUsd`, a.badDebtUsd, e.badDebtUsd, out);
    closeRecord(`${p}.repaid`, a.repaid, e.repaid, out);
    closeRecord(`${p}.seized`, a.seized, e.seized, out);
  });
  const t = actual.totals;
  const et = expected.totals;
  if (t.liquidations !== et.liquidations)
    out.push(`totals.liquidations: ${t.liquidations} != ${et.liquidations}`);
  if (t.positionsLiquidated !== et.positionsLiquidated) out.push("totals.positionsLiquidated differs");
  close("totals.repaidUsd", t.repaidUsd, et.repaidUsd, out);
  close("totals.badDebtUsd", t.badDebtUsd, et.badDebtUsd, out);
  for (const [protocol, e] of Object.entries(et.byProtocol)) {
    const a = (t.byProtocol as Record<string, typeof e | undefined>)[protocol];
    if (!a) {
      out.push(`totals.byProtocol.${protocol} missing`);
      continue;
    }
    if (a.liquidations !== e.liquidations) out.push(`totals.byProtocol.${protocol}.liquidations differs`);
    close(`totals.byProtocol.${protocol}.repaidUsd`, a.repaidUsd, e.repaidUsd, out);
    close(`totals.byProtocol.${protocol}.badDebtUsd`, a.badDebtUsd, e.badDebtUsd, out);
  }
  closeRecord("initialPrices", actual.initialPrices, expected.initialPrices, out);
  closeRecord("finalPrices", actual.finalPrices, expected.finalPrices, out);
  closeRecord("amplification", actual.amplification, expected.amplification, out);
  return out;
}
