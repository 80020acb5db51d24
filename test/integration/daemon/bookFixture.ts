/**
 * A small book for daemon tests. One Aave v3.3 position: 10 WETH collateral (lt 0.8, bonus 5%),
 * 20,000 USDC debt. At WETH = 3000 its health factor is 10·3000·0.8/20000 = 1.2; a -10% shock
 * leaves it at 1.08 (safe). After a crash to 2700 it is 1.08 (at risk), and a further -10%
 * (2430) makes it 0.972: v3.3 close factor applies (HF > 0.95, debt > 50% of total), so round 1
 * repays 0.5 · 20,000 = 10,000 USD.
 */
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../../src/core/snapshot/snapshot.js";

export function testBook(wethPriceUsd: number, takenAt = "2026-11-21T12:00:00Z"): Snapshot {
  return parseSnapshot({
    schema: "cascade-snapshot/1",
    source: { chainIds: [31337], blocks: { "31337": 100 }, takenAt },
    assets: [
      {
        id: "WETH",
        priceUsd: wethPriceUsd,
        liquidity: { kind: "depth", depthUsd: 1_000_000, depthPct: 0.02 },
      },
      { id: "USDC", priceUsd: 1, liquidity: { kind: "infinite" } },
    ],
    markets: [
      {
        id: "aave-v3:31337:0xpool",
        protocol: "aave-v3",
        liquidationLogic: "v3.3",
        reserves: {
          WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05 },
          USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045 },
        },
      },
    ],
    positions: [
      {
        market: "aave-v3:31337:0xpool",
        account: "0x00000000000000000000000000000000000000a1",
        collateral: { WETH: 10 },
        debt: { USDC: 20_000 },
      },
    ],
  });
}
