/**
 * The devnet liquidator's decisions judge health at the oracle's prices and profit at the round's
 * pool prices: an LST whose pool depegs below its exchange-rate oracle makes a liquidation that
 * pays at the oracle's price a loss at the price the seized collateral sells for.
 */
import { type Address, getAddress } from "viem";
import { describe, expect, it } from "vitest";
import type { TargetMorphoMarket } from "../../../src/devnet/liquidator/cascadeTarget.js";
import {
  type AaveMarketInfo,
  type AaveReserveInfo,
  aaveCloseParams,
} from "../../../src/devnet/liquidator/liquidatorAaveMarket.js";
import { planAaveRound, planMorphoRound } from "../../../src/devnet/liquidator/planRound.js";

const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

const reserve = (asset: string, id: number, liquidationThreshold: number): AaveReserveInfo => ({
  asset,
  underlying: address(0x100 + id),
  reserveId: id,
  aToken: address(0x200 + id),
  variableDebtToken: address(0x300 + id),
  decimals: 18,
  liquidationThreshold,
  liquidationBonus: 0.05,
  protocolFee: 0.1,
});
const wstEth = reserve("wstETH", 0, 0.83);
const weth = reserve("WETH", 1, 0.83);
const market: AaveMarketInfo = {
  target: {
    marketId: "aave-v3:31337:0x0000000000000000000000000000000000000aaa",
    pool: address(0xaaa),
    poolDataProvider: address(0xbbb),
    liquidationLogic: "v3.3",
    fromBlock: 0n,
  },
  close: aaveCloseParams("v3.3"),
  reserves: [wstEth, weth],
  borrowers: [address(0xb0b)],
  emodes: new Map(),
};
// 10 wstETH at the oracle's $3,600 against 10 WETH at $3,000: health factor 36,000 x 0.83 / 30,000 = 0.996.
const position = {
  account: address(0xb0b),
  emode: 0,
  collateral: [{ reserve: wstEth, amountWei: 10n * 10n ** 18n }],
  debt: [{ reserve: weth, amountWei: 10n * 10n ** 18n }],
};
const oracle = { wstETH: 3600, WETH: 3000 };
// The pool sells wstETH 12.5% under its exchange-rate oracle: 4.375 seized wstETH fetch $13,781 for $15,000 repaid.
const depegged = { wstETH: 3150, WETH: 3000 };

describe("the devnet liquidator's profit at the round's pool prices", () => {
  it("Aave: a liquidation that pays at the oracle's prices is skipped when the pool has depegged", () => {
    const atOracle = planAaveRound(market, [position], market.emodes, oracle, 10);
    expect(atOracle.planned).toHaveLength(1);
    expect(atOracle.planned[0]!.healthFactor).toBeCloseTo(0.996, 12);
    expect(atOracle.planned[0]!.modelRepay).toBeCloseTo(5, 12);
    expect(atOracle.planned[0]!.modelSeize).toBeCloseTo((15_000 * 1.05) / 3600, 12);

    const atPools = planAaveRound(market, [position], market.emodes, oracle, 10, depegged);
    expect(atPools.planned).toHaveLength(0);
    // Counted as unprofitable with its whole debt at the oracle's prices.
    expect(atPools.unprofitable).toEqual([
      { marketId: market.target.marketId, account: position.account, debtUsd: 30_000 },
    ]);
  });

  it("Morpho: the same depeg makes a full liquidation at lltv 0.86 a loss that pays at the oracle's prices", () => {
    const morphoMarket: TargetMorphoMarket = {
      marketId: "morpho-blue:31337:0x01",
      id: "0x01",
      collateral: "wstETH",
      loan: "WETH",
      lltv: 0.86,
      params: {
        loanToken: weth.underlying,
        collateralToken: wstEth.underlying,
        oracle: address(0xccc),
        irm: address(0xddd),
        lltv: 86n * 10n ** 16n,
      },
    };
    // 10 wstETH ($36,000 at the oracle) against 10.4 WETH ($31,200): 31,200 > 36,000 x 0.86 = 30,960.
    const borrow = {
      market: morphoMarket,
      account: address(0xb0b),
      borrowShares: 104n * 10n ** 23n,
      collateralWei: 10n * 10n ** 18n,
      totalBorrowAssets: 104n * 10n ** 17n,
      totalBorrowShares: 104n * 10n ** 23n,
    };
    // Morpho's oracle price: loan wei per collateral wei, scaled by 1e36 (1.2 WETH per wstETH).
    const oraclePrices = new Map([[morphoMarket.id, 12n * 10n ** 35n]]);
    const decimalsOf = (): number => 18;
    const atOracle = planMorphoRound(address(0xeee), [borrow], oraclePrices, oracle, decimalsOf, 10);
    expect(atOracle.planned).toHaveLength(1);
    const atPools = planMorphoRound(address(0xeee), [borrow], oraclePrices, oracle, decimalsOf, 10, depegged);
    expect(atPools.planned).toHaveLength(0);
    expect(atPools.unprofitable).toHaveLength(1);
    expect(atPools.unprofitable[0]!.debtUsd).toBeCloseTo(31_200, 6);
  });
});
