/**
 * Oracle readings to the snapshot's `oracles` (cascade-model section 3), once every asset's
 * market price is known. Each spec reproduces, at snapshot prices, exactly what the chain answered:
 * - a feed with a deviation threshold starts at its answer (`reportedUsd`) and catches up with
 *   its asset's market price when the move reaches the threshold; without one it keeps its ratio to
 *   the market price (`scale` = answer / market price, 1 when they agree);
 * - a rate keeps its scale; a fixed price stays;
 * - a Comet base feed far (10% or more) from its asset's market price answers in that asset's
 *   units (1 ETH per ETH): the base is judged at its market price;
 * - a ratio reading becomes a rate over its anchor, scaled so that it reports `ratio` times its
 *   quote oracle at snapshot prices.
 */
import type { OracleReading } from "./OracleReading.js";

export type OracleSpec =
  | {
      readonly kind: "market";
      readonly asset: string;
      readonly scale?: number;
      readonly deviation?: number;
      readonly reportedUsd?: number;
    }
  | { readonly kind: "rate"; readonly oracle: string; readonly scale: number }
  | { readonly kind: "fixed"; readonly priceUsd: number };

/** A Comet base feed this far from its asset's market price answers in the asset's own units. */
const UNIT_MISMATCH = 0.1;
/** Closer to 1 than this, a scale is written as 1 (left out). */
const SCALE_EPSILON = 1e-12;

export interface OracleSpecs {
  readonly oracles: Record<string, OracleSpec>;
  /** What each oracle id reports at snapshot prices (an asset id without a spec: its market price). */
  readonly reportedUsdOf: (id: string) => number | undefined;
}

export function toOracleSpecs(
  readings: readonly OracleReading[],
  marketPriceUsd: (asset: string) => number | undefined,
): OracleSpecs {
  // The first reading of an id wins (markets that read one contract read one answer).
  const byId = new Map<string, OracleReading>();
  for (const r of readings) if (!byId.has(r.id)) byId.set(r.id, r);
  const oracles: Record<string, OracleSpec> = {};
  const values = new Map<string, number | undefined>();
  const visiting = new Set<string>();
  const reportedUsdOf = (id: string): number | undefined => {
    if (values.has(id)) return values.get(id);
    const reading = byId.get(id);
    if (reading === undefined) return marketPriceUsd(id);
    if (visiting.has(id)) return undefined;
    visiting.add(id);
    const spec = specOf(reading);
    visiting.delete(id);
    if (spec === undefined) {
      values.set(id, undefined);
      return undefined;
    }
    oracles[id] = spec;
    const value =
      spec.kind === "fixed"
        ? spec.priceUsd
        : spec.kind === "rate"
          ? mul(spec.scale, reportedUsdOf(spec.oracle))
          : spec.deviation !== undefined && spec.deviation > 0
            ? spec.reportedUsd
            : mul(spec.scale ?? 1, marketPriceUsd(spec.asset));
    values.set(id, value);
    return value;
  };
  const specOf = (reading: OracleReading): OracleSpec | undefined => {
    switch (reading.kind) {
      case "fixed":
        return { kind: "fixed", priceUsd: reading.priceUsd };
      case "rate":
        return reportedUsdOf(reading.of) === undefined
          ? undefined
          : { kind: "rate", oracle: reading.of, scale: reading.scale };
      case "feed": {
        const market = marketPriceUsd(reading.asset);
        if (market === undefined || !(market > 0)) return undefined;
        if (reading.unitMayBeAsset === true && Math.abs(reading.answerUsd / market - 1) >= UNIT_MISMATCH)
          return { kind: "market", asset: reading.asset };
        if (reading.deviation !== undefined && reading.deviation > 0)
          return {
            kind: "market",
            asset: reading.asset,
            deviation: reading.deviation,
            reportedUsd: reading.answerUsd,
          };
        const scale = reading.answerUsd / market;
        return Math.abs(scale - 1) < SCALE_EPSILON
          ? { kind: "market", asset: reading.asset }
          : { kind: "market", asset: reading.asset, scale };
      }
      case "ratio": {
        const quote = reportedUsdOf(reading.quote);
        const anchor = reportedUsdOf(reading.anchor);
        if (quote === undefined || anchor === undefined || !(anchor > 0)) return undefined;
        return { kind: "rate", oracle: reading.anchor, scale: (reading.ratio * quote) / anchor };
      }
    }
  };
  for (const id of byId.keys()) reportedUsdOf(id);
  return { oracles, reportedUsdOf };
}

const mul = (a: number, b: number | undefined): number | undefined => (b === undefined ? undefined : a * b);
