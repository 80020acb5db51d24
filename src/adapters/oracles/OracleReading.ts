/**
 * What an indexer reads about one price source, before market prices are known. `toOracleSpecs`
 * turns these into the snapshot's `oracles` (cascade-model section 3) once the assets' market
 * prices are fixed: a feed keeps its ratio to its asset's market price, a rate its ratio to its
 * base oracle. Ids name the contract (`oracle:<chain>:<address>`), so markets that read one
 * contract share one oracle.
 */
import type { Address } from "viem";

export type OracleReading =
  /** A Chainlink-style feed that answers the USD price of `asset` (its own reserve's, or a base feed's). */
  | {
      readonly kind: "feed";
      readonly id: string;
      readonly asset: string;
      readonly answerUsd: number;
      /** The feed contract (a Morpho oracle naming it follows the same asset). */
      readonly address?: Address | undefined;
      /** The feed's deviation threshold when known (config or the feed); 0 or absent: it follows at once. */
      readonly deviation?: number | undefined;
      /**
       * The answer may be in units of `asset` itself rather than USD (a Comet's base feed: 1 ETH per
       * ETH on cWETHv3): when it is far from the market price, the asset is judged at its market price.
       */
      readonly unitMayBeAsset?: boolean | undefined;
    }
  /** `scale` times what oracle `of` reports (an exchange-rate adapter over its base feed). */
  | { readonly kind: "rate"; readonly id: string; readonly of: string; readonly scale: number }
  /** A constant. */
  | { readonly kind: "fixed"; readonly id: string; readonly priceUsd: number }
  /**
   * A price known only relative to other oracles (a Morpho oracle): it reports `ratio` times
   * what oracle `quote` reports at load, and from then on moves with oracle `anchor`.
   */
  | {
      readonly kind: "ratio";
      readonly id: string;
      readonly ratio: number;
      readonly quote: string;
      readonly anchor: string;
    };

/** The oracle id of a price-source contract. */
export function oracleIdOf(chainId: number, address: Address): string {
  return `oracle:${chainId}:${address.toLowerCase()}`;
}
