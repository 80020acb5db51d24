import type { DevnetAssetId } from "./aave/AaveDeployment.js";

/** One devnet asset: a mintable ERC20 with realistic decimals and, unless it is the quote, a pair against it. */
export interface DevnetAssetSpec {
  id: DevnetAssetId;
  name: string;
  decimals: number;
  /** Starting USD price. A follower's is its leader's times `follows.rate`. */
  priceUsd: number;
  /** Asset units in its pair against the quote asset (the quote side is this × priceUsd); absent for the quote asset. */
  pairReserve?: number;
  /** Starting price = leader's × rate (an LST's exchange rate); after that its own pair prices it and the devnet's arbitrageur moves the pair with its leader (beta 1). */
  follows?: { asset: DevnetAssetId; rate: number };
}

/** The quote asset every pair trades against; its price source is a constant $1. */
export const QUOTE_ASSET: DevnetAssetId = "USDC";

/** Default assets: mainnet-like prices; pairs of $18M (WETH), $15M (WBTC) and $7.2M (wstETH) a side. */
export const DEFAULT_DEVNET_ASSETS: readonly DevnetAssetSpec[] = [
  { id: "WETH", name: "Wrapped Ether", decimals: 18, priceUsd: 3000, pairReserve: 6000 },
  { id: "WBTC", name: "Wrapped BTC", decimals: 8, priceUsd: 60_000, pairReserve: 250 },
  {
    id: "wstETH",
    name: "Wrapped liquid staked Ether",
    decimals: 18,
    priceUsd: 3600,
    pairReserve: 2000,
    follows: { asset: "WETH", rate: 1.2 },
  },
  { id: "USDC", name: "USD Coin", decimals: 6, priceUsd: 1 },
];
