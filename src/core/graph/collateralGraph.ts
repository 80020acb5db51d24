/**
 * The collateral graph of a snapshot: which assets back and fund which markets, how prices
 * are linked (`follows`), and at what prices the book's positions become liquidatable.
 * Plain data (JSON-serialisable): the CLI prints it, a dashboard can read it.
 */
import type { AssetId, MarketId, Protocol } from "../ids.js";
import type { AaveReserveHold } from "../rules/aaveLiquidationFlags.js";

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
  /**
   * Aave V3 (model 2.1): why liquidations that seize or repay this reserve are held now (paused,
   * grace period), or that the market's L2 sentinel allows them only below a health factor.
   */
  hold?: AaveReserveHold | { reason: "sentinel"; belowHealthFactor: number };
  /** Aave V3: no new supply or borrow (liquidated as usual). */
  frozen?: true;
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
 * Where the holders of an asset as collateral become liquidatable as its market price falls,
 * judged at oracle reports: the reports that move with it (its own market oracle, the oracles of
 * assets quoted in it and of its followers, rate oracles on those) move, the others (fixed
 * feeds, unrelated assets) stay.
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

/** An oracle some market reads for an asset, and which markets read it. */
export interface AssetOracle {
  oracle: string;
  kind: "market" | "rate" | "fixed";
  /** Its report at the snapshot, USD. */
  reportUsd: number;
  /** How the report moves with the asset's market price (d ln report / d ln price). */
  sensitivity: number;
  markets: MarketId[];
}

export interface AssetNode {
  asset: AssetId;
  /** Market price, USD. */
  priceUsd: number;
  /** The asset it trades against (`"USD"` for the numeraire), and its depth in the quote forest. */
  quote: string;
  depth: number;
  /** Assets quoted in this one, directly. */
  quotedBy: AssetId[];
  /** Liquidity kind of its pool. */
  liquidity: "infinite" | "pool" | "depth" | "concentrated";
  /** The oracles markets read for it, by oracle id. */
  oracles: AssetOracle[];
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
