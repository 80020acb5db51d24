/** One `ProtocolIndexer` per configured market on a chain: the only place that knows every protocol folder. */
import type { Address } from "viem";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import type { AssetRegistry } from "../../adapters/protocols/AssetRegistry.js";
import { createAaveV3Indexer } from "../../adapters/protocols/aave-v3/createAaveV3Indexer.js";
import { createAaveV4Indexer } from "../../adapters/protocols/aave-v4/createAaveV4Indexer.js";
import { createCompoundV3Indexer } from "../../adapters/protocols/compound-v3/createCompoundV3Indexer.js";
import { createMorphoBlueIndexer } from "../../adapters/protocols/morpho-blue/createMorphoBlueIndexer.js";
import type { ProtocolIndexer } from "../../adapters/protocols/ProtocolIndexer.js";
import type { ChainConfig } from "../../config/schema/chains.js";
import type { MarketConfig } from "../../config/schema/markets.js";

export function createIndexers(
  chain: ChainConfig,
  markets: readonly MarketConfig[],
  client: ChainClient,
  assets: AssetRegistry,
  multicallAddress: Address | undefined,
): ProtocolIndexer[] {
  const common = {
    client,
    assets,
    batchBytes: chain.multicallBatchBytes,
    ...(multicallAddress === undefined ? {} : { multicallAddress }),
  };
  const used = new Set<string>();
  return markets
    .filter((market) => market.chain === chain.id)
    .map((market) => {
      const indexer =
        market.protocol === "aave-v3"
          ? createAaveV3Indexer({ ...common, config: market })
          : market.protocol === "aave-v4"
            ? createAaveV4Indexer({ ...common, config: market })
            : market.protocol === "morpho-blue"
              ? createMorphoBlueIndexer({ ...common, config: market })
              : createCompoundV3Indexer({ ...common, config: market });
      // Labels key the checkpoint: two unnamed markets of one kind must not share one.
      let label = indexer.label;
      for (let n = 2; used.has(label); n++) label = `${indexer.label}#${n}`;
      used.add(label);
      return label === indexer.label ? indexer : { ...indexer, label };
    });
}
