/**
 * Maps a token on a chain to its economic asset id. Configured assets come first; a token a
 * protocol lists that no configured asset claims is read on chain (`symbol`, `decimals`) and
 * becomes an asset of its own, so no reserve, collateral or market is dropped for want of a
 * config line. Its id is its symbol, or `SYMBOL-<first 6 hex digits>` when that id is taken.
 */
import { type Address, getAddress } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import type { AssetConfig } from "../../config/schema/assets.js";
import { type AssetId, asAssetId } from "../../core/ids.js";
import { readContractsBatched } from "../chain/readContractsBatched.js";
import { type BatchSettings, batchOptionsAt } from "./batchOptionsAt.js";

/** A token read on chain that the config does not list. */
export interface DiscoveredToken {
  readonly id: AssetId;
  readonly chainId: number;
  readonly token: Address;
  readonly symbol: string;
  readonly decimals: number;
}

/** A token whose symbol or decimals could not be read: it cannot become an asset. */
export interface UnreadableToken {
  readonly chainId: number;
  readonly token: Address;
  readonly reason: string;
}

const key = (chainId: number, token: Address): string => `${chainId}:${getAddress(token).toLowerCase()}`;

export class AssetRegistry {
  private readonly byToken = new Map<string, AssetId>();
  private readonly taken = new Set<string>();
  private readonly found = new Map<string, DiscoveredToken>();
  private readonly unreadable = new Map<string, UnreadableToken>();
  private readonly deviations = new Map<string, number>();

  constructor(assets: readonly AssetConfig[]) {
    for (const asset of assets) {
      this.taken.add(asset.id);
      if (asset.oracleDeviation !== undefined) this.deviations.set(asset.id, asset.oracleDeviation);
      for (const [chainId, token] of Object.entries(asset.tokens))
        this.byToken.set(`${chainId}:${token.toLowerCase()}`, asAssetId(asset.id));
    }
  }

  /** The asset id of `token` on `chainId` (configured or discovered), or undefined when unknown. */
  assetOf(chainId: number, token: Address): AssetId | undefined {
    return this.byToken.get(key(chainId, token));
  }

  /** The configured deviation threshold of the feeds pricing `asset`. */
  deviationOf(asset: string): number | undefined {
    return this.deviations.get(asset);
  }

  /** Tokens read on chain so far, in discovery order. */
  discovered(): DiscoveredToken[] {
    return [...this.found.values()];
  }

  /** The discovered token behind an asset id, if it is one. */
  discoveredAsset(id: string): DiscoveredToken | undefined {
    for (const token of this.found.values()) if (token.id === id) return token;
    return undefined;
  }

  /** Tokens that could not be read, with why. */
  unreadableTokens(): UnreadableToken[] {
    return [...this.unreadable.values()];
  }

  /**
   * Reads `symbol` and `decimals` of every token in `tokens` that no asset claims yet (one
   * batched request), and registers each as an asset. A token that does not answer stays unknown
   * and is listed by `unreadableTokens`; it is asked again on the next call.
   */
  async discover(
    settings: BatchSettings,
    chainId: number,
    tokens: readonly Address[],
    blockNumber: bigint,
  ): Promise<void> {
    const unknown = [...new Map(tokens.map((t) => [key(chainId, t), getAddress(t)])).entries()].filter(
      ([k]) => !this.byToken.has(k),
    );
    if (unknown.length === 0) return;
    const results = await readContractsBatched({
      ...batchOptionsAt(settings, blockNumber),
      calls: unknown.flatMap(([, token]) => [
        { address: token, abi: erc20Abi, functionName: "symbol" },
        { address: token, abi: erc20Abi, functionName: "decimals" },
      ]),
      failuresExpected: true,
    });
    unknown.forEach(([k, token], i) => {
      const symbol = results[2 * i];
      const decimals = results[2 * i + 1];
      if (decimals?.status !== "success") {
        this.unreadable.set(k, { chainId, token, reason: "decimals() did not answer" });
        return;
      }
      const text = symbol?.status === "success" ? cleanSymbol(String(symbol.result)) : "";
      const base = text === "" ? `token-${token.slice(2, 8).toLowerCase()}` : text;
      const id = this.taken.has(base) ? `${base}-${token.slice(2, 8).toLowerCase()}` : base;
      this.taken.add(id);
      this.unreadable.delete(k);
      this.byToken.set(k, asAssetId(id));
      this.found.set(k, {
        id: asAssetId(id),
        chainId,
        token,
        symbol: text === "" ? base : text,
        decimals: Number(decimals.result),
      });
    });
  }
}

/** A symbol as an asset id: printable, no spaces, not "USD" (the model's numeraire). */
function cleanSymbol(symbol: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips control bytes some tokens return.
  const text = symbol.replace(/[\u0000-\u001f\s]/g, "").slice(0, 32);
  return text.toUpperCase() === "USD" ? `${text}-token` : text;
}
