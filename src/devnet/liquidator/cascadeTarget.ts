import type { Address, Hex } from "viem";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import type { KeptFeed } from "../oracles/feedKeeper.js";
import type { UniswapV3PoolDeployment } from "../uniswap/deployUniswapV3.js";

/** One asset as the liquidator sees it: token, USD price source (8 decimals) and its Uniswap V2 pair. */
export interface TargetAsset {
  readonly id: string;
  readonly token: Address;
  readonly decimals: number;
  readonly priceSource: Address;
  /** Pair against the quote asset; absent for the quote asset (infinite liquidity). */
  readonly pair?: Address;
  /** The asset whose price this one's oracle follows (an LST following WETH). */
  readonly leader?: string;
  /** How strongly this asset follows its leader (docs/cascade-model.md section 2); default 1. */
  readonly beta?: number;
}

export interface TargetAaveMarket {
  /** `aave-v3:<chainId>:<pool>`, as in reports. */
  readonly marketId: string;
  readonly pool: Address;
  readonly poolDataProvider: Address;
  readonly liquidationLogic: "v3.0" | "v3.3";
  readonly fromBlock: bigint;
  /**
   * The market's AaveOracle and the source it names for each asset (`getSourceOfAsset`), read
   * from chain on the mainnet profile, where markets price an asset differently (USDC fixed at $1
   * in one, fed in the other); absent on the spot profile, whose markets read `priceSource` alike.
   */
  readonly oracle?: {
    readonly address: Address;
    /** USD per unit of the oracle's answers (1e8). */
    readonly baseUnit: bigint;
    readonly sources: Readonly<Record<string, Address>>;
  };
}

export interface TargetMorphoMarket {
  /** `morpho-blue:<chainId>:<market id>`, as in reports. */
  readonly marketId: string;
  readonly id: Hex;
  readonly collateral: string;
  readonly loan: string;
  /** Liquidation LTV as a fraction (0.86). */
  readonly lltv: number;
  readonly params: {
    readonly loanToken: Address;
    readonly collateralToken: Address;
    readonly oracle: Address;
    readonly irm: Address;
    readonly lltv: bigint;
  };
}

/**
 * What the mainnet profile adds: assets judged and traded in their own pools (Uniswap V3 through
 * the SwapRouter, the one V2 pair as on spot), feeds the keeper pushes, and the deployment file
 * as the indexer's config (its pools and quotes; the trade order comes from indexing it).
 */
export interface TargetMainnet {
  readonly swapRouter: Address;
  /** Every asset's Uniswap V3 pool against its quote (fee and tick spacing read from chain). */
  readonly pools: readonly UniswapV3PoolDeployment[];
  /** The deviation feeds and the asset whose market price each answers. */
  readonly feeds: readonly KeptFeed[];
  readonly config: CascadeConfig;
}

/** Everything the devnet liquidator and the crash need to know about a running devnet. */
export interface CascadeTarget {
  readonly rpcUrl: string;
  readonly chainId: number;
  /** The asset every pair trades against; its liquidity is infinite in the model. */
  readonly quote: string;
  /**
   * Holder of the pairs' LP tokens (the devnet's deployer): the follow move burns a share of its
   * liquidity. Without it followers' pairs are not moved.
   */
  readonly lpHolder?: Address;
  readonly assets: readonly TargetAsset[];
  readonly aaveMarkets: readonly TargetAaveMarket[];
  readonly morpho?: {
    readonly address: Address;
    readonly fromBlock: bigint;
    readonly markets: readonly TargetMorphoMarket[];
  };
  /** Present on a mainnet-profile devnet. */
  readonly mainnet?: TargetMainnet;
}

/** `protocol:chainId:key` with the key lower-cased (pool address or Morpho market id). */
export function devnetMarketId(protocol: "aave-v3" | "morpho-blue", chainId: number, key: string): string {
  return `${protocol}:${chainId}:${key.toLowerCase()}`;
}
