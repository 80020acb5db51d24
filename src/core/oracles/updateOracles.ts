/**
 * Oracle reports (docs/cascade-model.md, section 3), updated at the start of every round:
 * a market oracle reports `scale × p_asset`, a deviation-threshold feed only when that moved at
 * least `deviation` from its last report; a rate oracle reports `scale ×` its source's report
 * (after the source updated); a fixed oracle never moves.
 */
import { type BookOracles, ORACLE_MARKET, ORACLE_RATE } from "../book/book.js";

/** Updates `reportUsd` (per oracle index) in place from the market prices `priceUsd`. */
export function updateOracles(oracles: BookOracles, priceUsd: Float64Array, reportUsd: Float64Array): void {
  const { updateOrder, kind, asset, source, scale, deviation } = oracles;
  for (let k = 0; k < updateOrder.length; k++) {
    const o = updateOrder[k]!;
    const oracleKind = kind[o];
    if (oracleKind === ORACLE_MARKET) {
      const value = scale[o]! * priceUsd[asset[o]!]!;
      const threshold = deviation[o]!;
      if (threshold === 0 || Math.abs(value / reportUsd[o]! - 1) >= threshold) reportUsd[o] = value;
    } else if (oracleKind === ORACLE_RATE) {
      reportUsd[o] = scale[o]! * reportUsd[source[o]!]!;
    }
  }
}
