/**
 * A Morpho market's oracle as v2 oracle readings. Morpho judges a position by one ratio, the
 * oracle's price of collateral in loan units; the readings keep that ratio exactly at snapshot
 * prices and let it move with the assets its feeds follow:
 * - the loan is judged by its single quote feed when it has one (USDC/USD for a USDC loan), else
 *   by its own asset's oracle;
 * - the collateral is a ratio over the loan's oracle, moving with the first base feed that is a
 *   market feed (ETH/USD under wstETH/ETH x ETH/USD moves with the asset ETH/USD answers to);
 *   a feed whose description says it is an exchange rate, and a vault, move with nothing;
 *   with no market feed on the base side the ratio moves with the loan (a pure exchange rate);
 * - an oracle not shaped like MorphoChainlinkOracleV2 is its price alone: kept as a ratio that
 *   moves with the collateral's own market, and reported so.
 */
import type { PriceSourceProbe } from "./classifyPriceSource.js";
import { type OracleReading, oracleIdOf } from "./OracleReading.js";
import type { MorphoOracleShape } from "./readMorphoOracle.js";

export interface MorphoOracleReadings {
  readonly readings: OracleReading[];
  readonly collateralOracle: string;
  readonly loanOracle: string;
  readonly notes: string[];
}

export interface MorphoOracleReadingsParameters {
  readonly chainId: number;
  readonly marketId: string;
  readonly shape: MorphoOracleShape;
  readonly collateral: string;
  readonly loan: string;
  readonly collateralDecimals: number;
  readonly loanDecimals: number;
  /** Lowercase feed address to the asset it answers to (from the other protocols' oracles). */
  readonly feedAssets: ReadonlyMap<string, string>;
}

const EXCHANGE_RATE = /exchange.?rate|\brate\b/i;

export function morphoOracleReadings(parameters: MorphoOracleReadingsParameters): MorphoOracleReadings {
  const { chainId, shape, collateral, loan } = parameters;
  const notes: string[] = [];
  const readings: OracleReading[] = [];
  // Loan units per collateral unit.
  const ratio =
    (Number(shape.price) / 1e36) * 10 ** (parameters.collateralDecimals - parameters.loanDecimals);
  const collateralOracle = `${parameters.marketId}/collateral`;
  if (!shape.decomposed) {
    notes.push(
      `${parameters.marketId}: oracle ${shape.oracle} is not shaped like MorphoChainlinkOracleV2; its price is kept as a ratio of ${loan} that moves with ${collateral}'s market`,
    );
    readings.push({ kind: "ratio", id: collateralOracle, ratio, quote: loan, anchor: collateral });
    return { readings, collateralOracle, loanOracle: loan, notes };
  }
  const feedReading = (probe: PriceSourceProbe, fallbackAsset: string): string | undefined => {
    if (probe.roundAnswer === undefined || !(probe.roundAnswer > 0)) return undefined;
    const id = oracleIdOf(chainId, probe.address);
    const asset = parameters.feedAssets.get(probe.address.toLowerCase()) ?? fallbackAsset;
    readings.push({ kind: "feed", id, asset, answerUsd: probe.roundAnswer });
    return id;
  };
  const isMarketFeed = (probe: PriceSourceProbe): boolean =>
    probe.description === undefined || !EXCHANGE_RATE.test(probe.description);

  let loanOracle = loan;
  if (shape.quoteFeeds.length === 1 && shape.quoteVault === undefined && isMarketFeed(shape.quoteFeeds[0]!))
    loanOracle = feedReading(shape.quoteFeeds[0]!, loan) ?? loan;
  else if (shape.quoteFeeds.length > 0 || shape.quoteVault !== undefined)
    notes.push(
      `${parameters.marketId}: the loan side of oracle ${shape.oracle} is composite; ${loan} is judged by its own oracle`,
    );

  const marketFeed = shape.baseFeeds.find(isMarketFeed);
  let anchor = loanOracle;
  if (marketFeed !== undefined) {
    const known = parameters.feedAssets.has(marketFeed.address.toLowerCase());
    if (!known)
      notes.push(
        `${parameters.marketId}: base feed ${marketFeed.address}${marketFeed.description === undefined ? "" : ` (${marketFeed.description})`} is no listed asset's own feed; the collateral price moves with ${collateral}'s market`,
      );
    anchor = feedReading(marketFeed, collateral) ?? collateral;
  }
  readings.push({ kind: "ratio", id: collateralOracle, ratio, quote: loanOracle, anchor });
  return { readings, collateralOracle, loanOracle, notes };
}
