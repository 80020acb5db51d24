/** Branded identifiers: an `AssetId` can never be passed where a `MarketId` is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Economic asset id (`WETH`): the same id on two chains is one price. */
export type AssetId = Brand<string, "AssetId">;
/** Market id, `protocol:chainId:address-or-market-key` (e.g. `aave-v3:1:0x8787…`). */
export type MarketId = Brand<string, "MarketId">;
/** Account address as it appears in the snapshot. */
export type AccountId = Brand<string, "AccountId">;

export const PROTOCOLS = ["aave-v3", "aave-v4", "morpho-blue", "compound-v3"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const asAssetId = (value: string): AssetId => value as AssetId;
export const asMarketId = (value: string): MarketId => value as MarketId;
export const asAccountId = (value: string): AccountId => value as AccountId;
