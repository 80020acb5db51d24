import { describe, expect, it } from "vitest";
import { SnapshotError } from "../../../src/core/errors.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  assetFixture,
  COMPOUND_MARKET,
  MORPHO_MARKET,
  poolAssetFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

function errorOf(input: unknown): SnapshotError {
  try {
    parseSnapshot(input);
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error("expected a SnapshotError");
}

const okPosition = () => positionFixture(AAVE_MARKET, "0x1", { WETH: 1 }, { USDC: 100 });

describe("parseSnapshot", () => {
  it("accepts a valid snapshot and applies defaults", () => {
    const snapshot = parseSnapshot(
      snapshotFixture({
        markets: [
          {
            id: AAVE_MARKET,
            protocol: "aave-v3",
            liquidationLogic: "v3.3",
            reserves: { WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05 } },
          },
        ],
        positions: [positionFixture(AAVE_MARKET, "0x1", { WETH: 1 }, {})],
      }),
    );
    const market = snapshot.markets[0];
    expect(market?.protocol === "aave-v3" && market.closeFactor).toBe(0.5);
    expect(market?.protocol === "aave-v3" && market.fullCloseBelowUsd).toBe(2000);
    expect(market?.protocol === "aave-v3" && market.reserves.WETH?.protocolFee).toBe(0);
  });

  it("names the first bad position field with the schema's own message", () => {
    const positions = Array.from({ length: 900 }, (_, i) =>
      positionFixture(AAVE_MARKET, `0x${i}`, { WETH: 1 }, { USDC: 1 }),
    );
    (positions[812]!.debt as Record<string, unknown>).USDC = "12";
    (positions[850]!.debt as Record<string, unknown>).USDC = -1;
    const error = errorOf(snapshotFixture({ positions }));
    expect(error.message).toBe("positions[812].debt.USDC: not a number");
    expect(error.path).toBe("positions[812].debt.USDC");
  });

  it.each([
    [{ ...okPosition(), collateral: { WETH: Number.NaN } }, "positions[0].collateral.WETH: not a number"],
    [{ ...okPosition(), collateral: { WETH: -1 } }, "positions[0].collateral.WETH: must not be negative"],
    [{ ...okPosition(), account: undefined }, "positions[0].account: missing"],
    [{ ...okPosition(), emode: 1.5 }, "positions[0].emode: not an integer"],
    [{ ...okPosition(), emode: -1 }, "positions[0].emode: must not be negative"],
    [{ ...okPosition(), colateral: {} }, "positions[0].colateral: unknown field"],
    [{ ...okPosition(), debt: [] }, "positions[0].debt: not an object"],
  ])("refuses a bad position field: %#", (position, message) => {
    expect(errorOf(snapshotFixture({ positions: [position as never] })).message).toBe(message);
  });

  it.each([
    [{ schema: "cascade-snapshot/3" }, 'schema: must be "cascade-snapshot/1" or "cascade-snapshot/2"'],
    [{ assets: [assetFixture("WETH", -3)] }, "assets[0].priceUsd: must be greater than 0"],
    [
      { assets: [...snapshotFixture().assets, assetFixture("WETH", 3)] },
      'assets[3].id: duplicate asset id "WETH" (first at assets[0])',
    ],
    [
      {
        assets: [
          { ...poolAssetFixture("WETH", 3000, 10), priceUsd: 3001 },
          assetFixture("USDC", 1),
          assetFixture("WBTC", 1),
        ],
      },
      "assets[0].priceUsd: 3001 differs from the pool price reserveUsd / reserveAsset = 3000 (tolerance 1e-9 relative)",
    ],
    [
      {
        assets: [
          assetFixture("WETH", 1, { follows: { asset: "stETH", beta: 1 } }),
          assetFixture("USDC", 1),
          assetFixture("WBTC", 1),
        ],
      },
      'assets[0].follows.asset: unknown asset "stETH"',
    ],
    [
      {
        assets: [
          assetFixture("WETH", 1, { follows: { asset: "WBTC", beta: 1 } }),
          assetFixture("USDC", 1),
          assetFixture("WBTC", 1, { follows: { asset: "WETH", beta: 1 } }),
        ],
      },
      "assets[0].follows: cycle WETH -> WBTC -> WETH",
    ],
    [
      { markets: [aaveMarketFixture(), aaveMarketFixture()] },
      `markets[1].id: duplicate market id "${AAVE_MARKET}"`,
    ],
    [
      {
        markets: [
          aaveMarketFixture({
            emodes: { "1": { liquidationThreshold: 0.9, liquidationBonus: 0.01, assets: ["stETH"] } },
          }),
        ],
      },
      'markets[0].emodes.1.assets[0]: unknown asset "stETH"',
    ],
    [
      { positions: [positionFixture("aave-v3:1:0xnone", "0x1", {}, {})] },
      'positions[0].market: unknown market "aave-v3:1:0xnone"',
    ],
    [
      { positions: [positionFixture(AAVE_MARKET, "0x1", { DAI: 1 }, {})] },
      'positions[0].collateral.DAI: unknown asset "DAI"',
    ],
    [
      { positions: [positionFixture(MORPHO_MARKET, "0x1", { WBTC: 1 }, {})] },
      `positions[0].collateral.WBTC: market "${MORPHO_MARKET}" only takes "WETH" as collateral`,
    ],
    [
      { positions: [positionFixture(MORPHO_MARKET, "0x1", { WETH: 1 }, { WETH: 1 })] },
      `positions[0].debt.WETH: market "${MORPHO_MARKET}" only takes "USDC" as debt`,
    ],
    [
      { positions: [positionFixture(COMPOUND_MARKET, "0x1", { WETH: 1 }, { WBTC: 1 })] },
      `positions[0].debt.WBTC: market "${COMPOUND_MARKET}" only lends its base "USDC"`,
    ],
    [
      { positions: [positionFixture(COMPOUND_MARKET, "0x1", { USDC: 1 }, {})] },
      `positions[0].collateral.USDC: not a collateral of market "${COMPOUND_MARKET}"`,
    ],
    [
      {
        markets: [
          aaveMarketFixture({ reserves: { WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05 } } }),
        ],
        positions: [positionFixture(AAVE_MARKET, "0x1", { WETH: 1 }, { USDC: 1 })],
      },
      `positions[0].debt.USDC: not a reserve of market "${AAVE_MARKET}"`,
    ],
    [
      { positions: [positionFixture(AAVE_MARKET, "0x1", { WETH: 1 }, {}, { emode: 2 })] },
      `positions[0].emode: eMode category 2 does not exist in market "${AAVE_MARKET}"`,
    ],
    [
      { positions: [okPosition(), positionFixture(MORPHO_MARKET, "0x1", {}, {}), okPosition()] },
      `positions[2].account: duplicate position of "0x1" in market "${AAVE_MARKET}" (first at positions[0])`,
    ],
  ])("refuses cross-field errors with the path of the first bad field: %#", (overrides, message) => {
    expect(errorOf(snapshotFixture(overrides as never)).message).toBe(message);
  });

  it("reports header errors before position errors", () => {
    const error = errorOf(
      snapshotFixture({ assets: [assetFixture("WETH", Number.NaN)], positions: [{ bad: 1 } as never] }),
    );
    expect(error.path).toBe("assets[0].priceUsd");
  });

  it("refuses a non-object and a missing positions array", () => {
    expect(errorOf(null).message).toBe("not an object");
    expect(errorOf({ ...snapshotFixture(), positions: undefined }).message).toBe("positions: missing");
  });

  it("does not copy positions (a million of them must fit in memory)", () => {
    const input = snapshotFixture({ positions: [okPosition()] });
    expect(parseSnapshot(input).positions[0]).toBe(input.positions[0]);
  });
});
