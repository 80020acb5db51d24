/**
 * The book's trade order of a chain as the indexers see it: index the config once with the real
 * indexers and compile the snapshot's assets with the core (`compileAssets`): asset ids, each
 * asset's quote and the order a round's trade step walks (deepest in the quote tree first). The
 * devnet's liquidator nets its trades in this order on the mainnet profile.
 */

import type { CascadeConfig } from "../config/schema/configSchema.js";
import { compileAssets } from "../core/book/compileAssets.js";
import { parseSnapshot } from "../core/snapshot/parseSnapshot.js";
import type { QuoteTreeOrder } from "../devnet/uniswap/tradeNetAlongQuoteTree.js";
import { createSync } from "./sync/createSync.js";

export async function indexedTradeOrder(config: CascadeConfig): Promise<QuoteTreeOrder> {
  const sync = await createSync(config, {});
  try {
    await sync.start();
    const { ids, quote, tradeOrder } = compileAssets(parseSnapshot(sync.snapshot()));
    return { ids, quote, tradeOrder };
  } finally {
    await sync.close();
  }
}
