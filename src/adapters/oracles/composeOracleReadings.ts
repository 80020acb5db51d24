/**
 * Joins what the protocol indexers read about oracles into one set: every reading, and the Morpho
 * markets' oracles decomposed against the other protocols' feeds (a Morpho base feed that is an
 * Aave reserve's own feed answers to that reserve's asset). One home for the join, used by the
 * snapshot and by anything that re-reads the same oracles later (the devnet's liquidator).
 */
import type { MarketOracles, MarketsReading } from "../protocols/ProtocolIndexer.js";
import { morphoOracleReadings } from "./morphoOracleReadings.js";
import type { OracleReading } from "./OracleReading.js";

export interface ComposedOracleReadings {
  readonly readings: OracleReading[];
  /** Per market id, the oracle ids it judges its assets by. */
  readonly marketOracles: Map<string, MarketOracles>;
  /** What the Morpho decomposition could not place exactly, one line each. */
  readonly notes: string[];
}

export function composeOracleReadings(
  readings: readonly Pick<MarketsReading, "oracles" | "marketOracles" | "morphoOracles">[],
): ComposedOracleReadings {
  const all: OracleReading[] = readings.flatMap((r) => [...(r.oracles ?? [])]);
  const feedAssets = new Map<string, string>();
  for (const r of all)
    if (r.kind === "feed" && r.address !== undefined && !feedAssets.has(r.address.toLowerCase()))
      feedAssets.set(r.address.toLowerCase(), r.asset);
  const marketOracles = new Map<string, MarketOracles>();
  for (const r of readings) for (const [id, o] of r.marketOracles ?? []) marketOracles.set(id, o);
  const notes: string[] = [];
  for (const morpho of readings.flatMap((r) => [...(r.morphoOracles ?? [])])) {
    const decomposed = morphoOracleReadings({ ...morpho, feedAssets });
    all.push(...decomposed.readings);
    notes.push(...decomposed.notes);
    marketOracles.set(morpho.marketId, {
      kind: "morpho-blue",
      collateralOracle: decomposed.collateralOracle,
      loanOracle: decomposed.loanOracle,
    });
  }
  return { readings: all, marketOracles, notes };
}
