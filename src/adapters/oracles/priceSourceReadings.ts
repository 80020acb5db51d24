/**
 * Turns the price sources a protocol names per asset (Aave's `getSourceOfAsset`) into oracle
 * readings, each with the asset it answers to:
 * - a Chainlink-style feed answers its own asset's price;
 * - an exchange-rate adapter is a `rate` over its base feed, which answers the price of the asset
 *   whose own source it is (ETH/USD is WETH's); a base feed no listed asset uses follows the
 *   adapter's asset itself, and is reported;
 * - a capped-stable adapter is a `rate` over its asset feed (scale below 1 while capped);
 * - anything else (and a zero source, which Aave resolves through its fallback oracle) is fixed
 *   at the price the protocol reports now.
 * `priceUsd` is what the protocol itself answers for the asset (its oracle's `getAssetsPrices`),
 * so the readings reproduce it exactly.
 */
import { type Address, zeroAddress } from "viem";
import { classifyPriceSource, type PriceSourceProbe } from "./classifyPriceSource.js";
import { type OracleReading, oracleIdOf } from "./OracleReading.js";

export interface PricedSource {
  readonly asset: string;
  readonly token: Address;
  readonly source: Address;
  /** The protocol's own answer for the asset, USD. */
  readonly priceUsd: number;
}

export interface PriceSourceReadings {
  readonly readings: OracleReading[];
  /** The oracle id each asset is judged by. */
  readonly oracleOf: Map<string, string>;
  /** Lowercase feed address to the asset it answers to. */
  readonly feedAssets: Map<string, string>;
  /** What could not be placed exactly, one line each (for the log). */
  readonly notes: string[];
}

export function priceSourceReadings(
  chainId: number,
  sources: readonly PricedSource[],
  probes: ReadonlyMap<string, PriceSourceProbe>,
  deviationOf: (asset: string) => number | undefined = () => undefined,
): PriceSourceReadings {
  const readings = new Map<string, OracleReading>();
  const oracleOf = new Map<string, string>();
  const feedAssets = new Map<string, string>();
  const notes: string[] = [];
  const kindOf = (s: PricedSource) => {
    const probe = probes.get(s.source.toLowerCase());
    return s.source === zeroAddress || probe === undefined ? "fixed" : classifyPriceSource(probe);
  };
  const add = (reading: OracleReading): void => {
    if (!readings.has(reading.id)) readings.set(reading.id, reading);
  };
  // Direct feeds first: they say which asset each feed answers to.
  for (const s of sources) {
    if (kindOf(s) !== "feed") continue;
    const id = oracleIdOf(chainId, s.source);
    if (!feedAssets.has(s.source.toLowerCase())) feedAssets.set(s.source.toLowerCase(), s.asset);
    add({
      kind: "feed",
      id,
      address: s.source,
      asset: feedAssets.get(s.source.toLowerCase())!,
      answerUsd: s.priceUsd,
      deviation: deviationOf(s.asset),
    });
    oracleOf.set(s.asset, id);
  }
  // A capped adapter's inner feed is its own asset's; an exchange-rate adapter's base feed is another asset's.
  const innerFeed = (
    s: PricedSource,
    inner: Address,
    ownAsset: boolean,
  ): { id: string; answerUsd: number } | undefined => {
    const probe = probes.get(inner.toLowerCase());
    if (probe?.roundAnswer === undefined || !(probe.roundAnswer > 0)) return undefined;
    const id = oracleIdOf(chainId, inner);
    let asset = feedAssets.get(inner.toLowerCase());
    if (asset === undefined) {
      asset = s.asset;
      if (!ownAsset)
        notes.push(
          `${s.asset}: its oracle's base feed ${inner}${probe.description === undefined ? "" : ` (${probe.description})`} is no listed asset's own feed; it follows ${s.asset}'s market`,
        );
    }
    add({
      kind: "feed",
      id,
      address: inner,
      asset,
      answerUsd: probe.roundAnswer,
      deviation: deviationOf(asset),
    });
    return { id, answerUsd: probe.roundAnswer };
  };
  for (const s of sources) {
    const kind = kindOf(s);
    if (kind === "feed") continue;
    const id =
      s.source === zeroAddress
        ? `oracle:${chainId}:fallback:${s.token.toLowerCase()}`
        : oracleIdOf(chainId, s.source);
    const probe = probes.get(s.source.toLowerCase());
    const inner =
      kind === "exchange-rate" ? probe?.baseToUsd : kind === "capped" ? probe?.assetToUsd : undefined;
    const base = inner === undefined ? undefined : innerFeed(s, inner, kind === "capped");
    if (base !== undefined) add({ kind: "rate", id, of: base.id, scale: s.priceUsd / base.answerUsd });
    else {
      if (kind !== "fixed")
        notes.push(
          `${s.asset}: the feed under its ${kind} oracle ${s.source} did not answer; its price is held fixed`,
        );
      add({ kind: "fixed", id, priceUsd: s.priceUsd });
    }
    oracleOf.set(s.asset, id);
  }
  return { readings: [...readings.values()], oracleOf, feedAssets, notes };
}
