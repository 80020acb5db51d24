/**
 * The raw `cascade-snapshot/1` or `/2` JSON document as the reference reads it (cascade-model.md
 * section 1), typed here on purpose rather than taken from `src/core`: the reference applies every
 * default of section 1 itself. Fields are optional wherever the model gives a default.
 */

export interface RangeDoc {
  readonly lower: number;
  readonly upper: number;
  readonly liquidity: number;
}

export interface LiquidityDoc {
  readonly kind: "infinite" | "pool" | "depth" | "concentrated";
  /** The asset this one trades against; `"USD"` when absent. */
  readonly quote?: string;
  readonly feeBps?: number;
  readonly reserveAsset?: number;
  readonly reserveQuote?: number;
  /** Version 1's name of `reserveQuote`, for a USD quote. */
  readonly reserveUsd?: number;
  readonly depthUsd?: number;
  readonly depthPct?: number;
  readonly ranges?: readonly RangeDoc[];
}

export interface AssetDoc {
  readonly id: string;
  readonly priceUsd: number;
  readonly decimals?: number;
  readonly liquidity?: LiquidityDoc;
  readonly follows?: { readonly asset: string; readonly beta?: number };
}

export type OracleDoc =
  | {
      readonly kind: "market";
      readonly asset: string;
      readonly scale?: number;
      readonly deviation?: number;
      readonly reportedUsd?: number;
    }
  | { readonly kind: "rate"; readonly oracle: string; readonly scale?: number }
  | { readonly kind: "fixed"; readonly priceUsd: number };

export interface AaveV3ReserveDoc {
  readonly liquidationThreshold: number;
  readonly liquidationBonus: number;
  readonly protocolFee?: number;
  readonly oracle?: string;
}

export interface AaveV3MarketDoc {
  readonly id: string;
  readonly protocol: "aave-v3";
  readonly liquidationLogic?: "v3.0" | "v3.3";
  readonly closeFactor?: number;
  readonly closeFactorHfThreshold?: number;
  readonly fullCloseBelowUsd?: number;
  readonly minLeftoverUsd?: number;
  readonly liquidationGasUsd?: number;
  readonly reserves: Readonly<Record<string, AaveV3ReserveDoc>>;
  readonly emodes?: Readonly<
    Record<
      string,
      {
        readonly liquidationThreshold: number;
        readonly liquidationBonus: number;
        readonly assets: readonly string[];
      }
    >
  >;
}

export interface AaveV4ReserveDoc {
  readonly collateralFactor: number;
  readonly maxLiquidationBonus: number;
  readonly liquidationFee?: number;
  readonly oracle?: string;
}

export interface AaveV4MarketDoc {
  readonly id: string;
  readonly protocol: "aave-v4";
  readonly targetHealthFactor: number;
  readonly healthFactorForMaxBonus: number;
  readonly liquidationBonusFactor: number;
  readonly dustUsd?: number;
  readonly liquidationGasUsd?: number;
  readonly reserves: Readonly<Record<string, AaveV4ReserveDoc>>;
}

export interface MorphoMarketDoc {
  readonly id: string;
  readonly protocol: "morpho-blue";
  readonly collateral: string;
  readonly loan: string;
  readonly lltv: number;
  readonly collateralOracle?: string;
  readonly loanOracle?: string;
  readonly liquidationGasUsd?: number;
}

export interface CompoundMarketDoc {
  readonly id: string;
  readonly protocol: "compound-v3";
  readonly base: string;
  readonly baseOracle?: string;
  readonly sellsAbsorbed?: boolean;
  readonly liquidationGasUsd?: number;
  readonly collaterals: Readonly<
    Record<
      string,
      {
        readonly liquidateCollateralFactor: number;
        readonly liquidationFactor: number;
        readonly oracle?: string;
      }
    >
  >;
}

export type MarketDoc = AaveV3MarketDoc | AaveV4MarketDoc | MorphoMarketDoc | CompoundMarketDoc;

export interface DynamicConfigDoc {
  readonly collateralFactor?: number;
  readonly maxLiquidationBonus?: number;
  readonly liquidationFee?: number;
}

export interface PositionDoc {
  readonly market: string;
  readonly account: string;
  readonly collateral: Readonly<Record<string, number>>;
  readonly debt: Readonly<Record<string, number>>;
  readonly emode?: number;
  readonly dynamicConfig?: Readonly<Record<string, DynamicConfigDoc>>;
}

export interface SnapshotDoc {
  readonly schema: "cascade-snapshot/1" | "cascade-snapshot/2";
  readonly source?: unknown;
  readonly assets: readonly AssetDoc[];
  readonly oracles?: Readonly<Record<string, OracleDoc>>;
  readonly markets: readonly MarketDoc[];
  readonly positions: readonly PositionDoc[];
}

/** The numeraire: price 1, never moves, quote of every asset that names none. */
export const USD = "USD";
