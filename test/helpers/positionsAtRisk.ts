/** Positions at risk over three markets, one id under two protocols, as a store or a task carries them. */
import type { PositionAtRisk } from "../../src/core/alerts/monitorView.js";

export const samplePositionsAtRisk: readonly PositionAtRisk[] = [
  {
    market: "aave-v3:1",
    protocol: "aave-v3",
    account: "0xa",
    healthFactor: 0.93,
    collateralUsd: 10,
    debtUsd: 9.5,
  },
  {
    market: "morpho:1:x",
    protocol: "morpho-blue",
    account: "0xb",
    healthFactor: 1.01,
    collateralUsd: 5,
    debtUsd: 4,
  },
  {
    market: "aave-v3:1",
    protocol: "aave-v3",
    account: "0xc",
    healthFactor: 1.02,
    collateralUsd: 1e9,
    debtUsd: 0.1,
  },
  // The same market id under another protocol is another market.
  {
    market: "aave-v3:1",
    protocol: "spark",
    account: "0xa",
    healthFactor: 1.09,
    collateralUsd: 0,
    debtUsd: 3,
  },
];
