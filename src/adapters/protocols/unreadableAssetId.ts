import type { Address } from "viem";

/**
 * The stand-in asset id of a token that could not be read (no symbol/decimals): positions carry
 * it so that the snapshot can exclude them whole and name the token, never drop half a position.
 */
export function unreadableAssetId(token: Address): string {
  return `token:${token.toLowerCase()}`;
}
