import type { Address } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { deployContract } from "../deploy/deployContract.js";
import type { DevnetAssetSpec } from "../devnetAssets.js";
import type { CompiledContracts } from "../solidity/solcTypes.js";
import type { DevnetTokens } from "../tokens/deployTestTokens.js";
import { compiledArtifact } from "./compiledArtifact.js";

/**
 * Deploys one Aave-style price source per asset (USD, 8 decimals): the quote asset gets a constant
 * $1 (`FixedPriceSource`); every other asset, followers included, reads its own pair's spot price
 * (`PairPriceSource`), so a sale of seized collateral moves the price both protocols see. Followers
 * track their leader through the devnet's arbitrageur (`moveFollowers`), as the model's `follows`.
 */
export async function deployPriceSources(
  clients: DevnetClients,
  contracts: CompiledContracts,
  tokens: DevnetTokens,
  assets: readonly DevnetAssetSpec[],
  pairs: Record<DevnetAssetId, Address>,
  quote: DevnetAssetId,
): Promise<Record<DevnetAssetId, Address>> {
  const sources: Record<DevnetAssetId, Address> = {};
  const quoteToken = tokens[quote];
  if (quoteToken === undefined) throw new FatalError(`devnet: quote asset ${quote} has no token`);
  const ordered = [...assets].sort(
    (a, b) => Number(a.follows !== undefined) - Number(b.follows !== undefined),
  );
  for (const asset of ordered) {
    const token = tokens[asset.id];
    if (token === undefined) throw new FatalError(`devnet: asset ${asset.id} has no token`);
    if (asset.id === quote) {
      sources[asset.id] = await deployContract(
        clients,
        compiledArtifact(contracts, "FixedPriceSource"),
        [10n ** 8n],
        `${asset.id} price source`,
      );
    } else {
      const pair = pairs[asset.id];
      if (pair === undefined) throw new FatalError(`devnet: asset ${asset.id} has no pair`);
      sources[asset.id] = await deployContract(
        clients,
        compiledArtifact(contracts, "PairPriceSource"),
        [pair, token.address, token.decimals, quoteToken.decimals],
        `${asset.id} price source`,
      );
    }
  }
  return sources;
}
