/**
 * Held Aave liquidations (model 2.1) as the graph and the API show them: a paused reserve, one in
 * its grace period, a market behind an L2 sentinel that disallows, and a frozen reserve.
 */
import { describe, expect, it } from "vitest";
import { summarizeBook } from "../../../src/app/daemon/summarizeBook.js";
import { formatCollateralGraph } from "../../../src/cli/format/formatCollateralGraph.js";
import { buildCollateralGraph } from "../../../src/core/graph/buildCollateralGraph.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const TAKEN_AT = "2027-01-15T08:00:00.000Z";
const T = Date.parse(TAKEN_AT) / 1000;
const base = aaveMarketFixture().reserves;
const OTHER = "aave-v3:1:0xother";

const snapshot = parseSnapshot(
  snapshotFixture({
    source: { chainIds: [1], blocks: {}, staleMarkets: [], takenAt: TAKEN_AT },
    markets: [
      aaveMarketFixture({
        reserves: {
          WETH: { ...base.WETH!, paused: true },
          USDC: { ...base.USDC!, frozen: true },
          WBTC: { ...base.WBTC!, liquidationGraceUntil: T + 600 },
        },
      }),
      aaveMarketFixture({
        id: OTHER,
        reserves: { WETH: base.WETH!, USDC: { ...base.USDC!, liquidationGraceUntil: T - 1 } },
        sentinel: { liquidationAllowed: false, gracePeriodSeconds: 3600 },
      }),
    ],
    positions: [positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: 1000 })],
  }),
);

describe("held liquidations in the graph and the API", () => {
  it("marks each held reserve in the graph with its reason, and frozen ones", () => {
    const graph = buildCollateralGraph(snapshot);
    const marketsOf = (asset: string) => graph.assets.find((n) => n.asset === asset)!.markets;
    // Sorted by market id.
    expect(marketsOf("WETH")).toEqual([
      {
        market: OTHER,
        protocol: "aave-v3",
        role: "reserve",
        hold: { reason: "sentinel", belowHealthFactor: 0.95 },
      },
      { market: AAVE_MARKET, protocol: "aave-v3", role: "reserve", hold: { reason: "paused" } },
    ]);
    expect(marketsOf("USDC")[1]).toEqual({
      market: AAVE_MARKET,
      protocol: "aave-v3",
      role: "reserve",
      frozen: true,
    });
    expect(marketsOf("WBTC")[0]?.hold).toEqual({ reason: "grace-period", untilSeconds: T + 600 });
    const text = formatCollateralGraph(graph).join("\n");
    expect(text).toContain("Held liquidations");
    expect(text).toMatch(/WETH\s+paused: no liquidation seizes or repays it\s+\$30(\.0)?k/);
    expect(text).toContain(`grace period until ${new Date((T + 600) * 1000).toISOString()}`);
    expect(text).toContain("sentinel: only health factors below 0.95");
  });

  it("lists them in the book summary the API serves, with the market's exposure", () => {
    const holds = summarizeBook(snapshot).liquidationHolds;
    expect(holds).toEqual([
      { market: AAVE_MARKET, asset: "WETH", reason: "paused", debtUsd: 0, collateralUsd: 30_000 },
      {
        market: AAVE_MARKET,
        asset: "WBTC",
        reason: "grace-period",
        untilSeconds: T + 600,
        debtUsd: 0,
        collateralUsd: 0,
      },
      {
        market: OTHER,
        asset: "WETH",
        reason: "sentinel",
        belowHealthFactor: 0.95,
        debtUsd: 0,
        collateralUsd: 0,
      },
      {
        market: OTHER,
        asset: "USDC",
        reason: "sentinel",
        belowHealthFactor: 0.95,
        debtUsd: 0,
        collateralUsd: 0,
      },
    ]);
  });
});
