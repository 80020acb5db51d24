/**
 * The collateral graph of a snapshot: which assets back and fund which markets, how prices
 * are linked (`follows`), and at what prices the book's positions become liquidatable.
 * Plain data (JSON-serialisable): the CLI prints it, a dashboard can read it.
 */
import type { AssetId, MarketId, Protocol } from "../ids.js";

/** Collateral and debt of one asset in a group of positions, valued at snapshot prices. */
export interface ExposureUsd {
  /** Positions holding a non-zero amount of the asset, as collateral or debt. */
  positions: number;
  collateralUsd: number;
  debtUsd: number;
}

export interface AssetExposure extends ExposureUsd {
  byProtocol: Partial<Record<Protocol, ExposureUsd>>;
  byMarket: Record<MarketId, ExposureUsd & { protocol: Protocol }>;
}

/** How a market names an asset: Aave `reserve`, Morpho `collateral`/`loan`, Compound `collateral`/`base`. */
export type MarketRole = "reserve" | "collateral" | "loan" | "base";

export interface AssetMarket {
  market: MarketId;
  protocol: Protocol;
  role: MarketRole;
}

/** An asset linked by `follows`, with the cumulative beta (product along the chain). */
export interface PriceLink {
  asset: AssetId;
  /** A 1% move of the leader moves the follower by `beta` %. */
  beta: number;
}

/** Positions whose liquidation price (of one asset) falls in one bucket, or in one of the two edge groups. */
export interface LiquidationBucket {
  positions: number;
  /** The asset's collateral in these positions, at the snapshot price. */
  collateralUsd: number;
  /** These positions' total debt, at snapshot prices. */
  debtUsd: number;
}

export interface LiquidationPriceBucket extends LiquidationBucket {
  /** Drop of the asset's price from the snapshot price, as a fraction: `[dropFrom, dropTo)`. */
  dropFrom: number;
  dropTo: number;
  /** The same range in USD: liquidation prices in `(priceFromUsd, priceToUsd]`. */
  priceFromUsd: number;
  priceToUsd: number;
}

/**
 * Where the holders of an asset as collateral become liquidatable as its price falls, all
 * other prices fixed except the asset's followers, which move with it by their cumulative beta.
 */
export interface LiquidationHistogram {
  /** Bucket width, as a fraction of the snapshot price. */
  step: number;
  buckets: LiquidationPriceBucket[];
  /** Liquidatable at snapshot prices already. */
  alreadyLiquidatable: LiquidationBucket;
  /** Not made liquidatable by any fall of this asset (no debt, or hedged, or liquidates on a rise). */
  notOnFall: LiquidationBucket;
}

export interface AssetNode {
  asset: AssetId;
  priceUsd: number;
  /** Nearest leader first, up to the root of the `follows` chain. */
  leaders: PriceLink[];
  /** Every asset that follows this one directly or through others. */
  followers: PriceLink[];
  /** Markets whose parameters name the asset, sorted by market id. */
  markets: AssetMarket[];
  /** Distinct protocols of `markets`. */
  protocols: Protocol[];
  exposure: AssetExposure;
  liquidationPrices: LiquidationHistogram;
}

export interface CollateralGraph {
  /** One node per snapshot asset, in snapshot order. */
  assets: AssetNode[];
}
