/**
 * A version 2 snapshot restated under model version 1's assumptions (docs/cascade-model.md: "every
 * asset quoted in USD, every oracle the market price, no gas"), to measure what version 1 gets
 * wrong against a chain that is not built in its image. Pure.
 */
import type {
  AaveMarketData,
  AaveV4MarketData,
  AssetData,
  CompoundMarketData,
  LiquidityData,
  MarketData,
  MorphoMarketData,
} from "../snapshot/schema.js";
import { quoteOf, USD } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";

/**
 * The same book and the same prices under version 1's assumptions:
 * - every oracle is its asset's market price (no `oracles`, no market names an oracle): no
 *   exchange-rate adapter, no deviation threshold, no fixed $1;
 * - every pool is quoted in USD: a pool against another asset `q` keeps its depth in USD at
 *   `q`'s price now (constant product: `reserveQuote × p_q`; concentrated: range bounds `× p_q`,
 *   `L × sqrt(p_q)`, so the virtual reserves are the same tokens), and the asset follows `q` with
 *   beta 1, as version 1 said "wstETH moves with WETH" (unless `q` is an `infinite` pool against
 *   USD, a stablecoin whose price never moves);
 * - no gas (`liquidationGasUsd` 0): the liquidator always liquidates.
 * Positions, markets' risk parameters, asset prices and decimals are unchanged.
 */
export function restateAsModelV1(snapshot: Snapshot): Snapshot {
  const byId = new Map(snapshot.assets.map((asset) => [asset.id, asset]));
  return {
    ...snapshot,
    assets: snapshot.assets.map((asset) => quotedInUsd(asset, byId)),
    oracles: {},
    markets: snapshot.markets.map(atMarketPrices),
  };
}

function quotedInUsd(asset: AssetData, byId: ReadonlyMap<string, AssetData>): AssetData {
  const quote = quoteOf(asset);
  if (quote === USD) return asset;
  const quoteAsset = byId.get(quote);
  // A snapshot names only listed assets (parseSnapshot checks it); keep the asset as it is otherwise.
  if (quoteAsset === undefined) return asset;
  const liquidity = liquidityInUsd(asset.liquidity, quoteAsset.priceUsd);
  // A quote that never moves (a stablecoin at a fixed price against USD) leaves nothing to follow.
  const fixed = quoteAsset.liquidity.kind === "infinite" && quoteOf(quoteAsset) === USD;
  return fixed ? { ...asset, liquidity } : { ...asset, liquidity, follows: { asset: quote, beta: 1 } };
}

/** A pool against an asset priced `quoteUsd` dollars, as the same pool against USD. */
function liquidityInUsd(liquidity: LiquidityData, quoteUsd: number): LiquidityData {
  switch (liquidity.kind) {
    case "pool": {
      const { quote: _quote, reserveQuote, reserveUsd, ...rest } = liquidity;
      const quoteUnits = reserveQuote ?? reserveUsd;
      return quoteUnits === undefined ? rest : { ...rest, reserveQuote: quoteUnits * quoteUsd };
    }
    case "concentrated": {
      const { quote: _quote, ...rest } = liquidity;
      const sqrtQuoteUsd = Math.sqrt(quoteUsd);
      return {
        ...rest,
        ranges: liquidity.ranges.map((range) => ({
          lower: range.lower * quoteUsd,
          upper: range.upper * quoteUsd,
          liquidity: range.liquidity * sqrtQuoteUsd,
        })),
      };
    }
    case "depth":
    case "infinite": {
      const { quote: _quote, ...rest } = liquidity;
      return rest;
    }
  }
}

/** A market with no oracle named (each asset's oracle is then its market price) and no gas. */
function atMarketPrices(market: MarketData): MarketData {
  switch (market.protocol) {
    case "aave-v3":
      return {
        ...market,
        liquidationGasUsd: 0,
        reserves: withoutOracles(market.reserves),
      } satisfies AaveMarketData;
    case "aave-v4":
      return {
        ...market,
        liquidationGasUsd: 0,
        reserves: withoutOracles(market.reserves),
      } satisfies AaveV4MarketData;
    case "morpho-blue": {
      const { collateralOracle: _collateral, loanOracle: _loan, ...rest } = market;
      return { ...rest, liquidationGasUsd: 0 } satisfies MorphoMarketData;
    }
    case "compound-v3": {
      const { baseOracle: _base, ...rest } = market;
      return {
        ...rest,
        liquidationGasUsd: 0,
        collaterals: withoutOracles(market.collaterals),
      } satisfies CompoundMarketData;
    }
  }
}

function withoutOracles<T extends { readonly oracle?: string | undefined }>(
  entries: Readonly<Record<string, T>>,
): Record<string, Omit<T, "oracle">> {
  return Object.fromEntries(Object.entries(entries).map(([id, { oracle: _oracle, ...rest }]) => [id, rest]));
}
