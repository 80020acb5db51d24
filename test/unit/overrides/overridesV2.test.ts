/** What-ifs on the parameters model v2 adds: Aave V4, oracles, gas, Compound's sellsAbsorbed. */
import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { applyOverrides } from "../../../src/core/overrides/applyOverrides.js";
import { parseOverride } from "../../../src/core/overrides/parseOverride.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const SPOKE = "aave-v4:1:spoke";
const COMET = "compound-v3:1:comet";
const MORPHO = "morpho-blue:1:m";

const snapshot = parseSnapshot({
  schema: "cascade-snapshot/2",
  assets: [
    { id: "USDC", priceUsd: 1 },
    { id: "WETH", priceUsd: 3000, liquidity: { kind: "depth", depthUsd: 1e6, depthPct: 0.02 } },
    { id: "wstETH", priceUsd: 3600, liquidity: { kind: "infinite", quote: "WETH" } },
  ],
  oracles: { wstETH: { kind: "rate", oracle: "WETH", scale: 1.2 } },
  markets: [
    {
      id: SPOKE,
      protocol: "aave-v4",
      targetHealthFactor: 1.05,
      healthFactorForMaxBonus: 0.85,
      liquidationBonusFactor: 0.8,
      reserves: {
        WETH: { collateralFactor: 0.83, maxLiquidationBonus: 0.05 },
        USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.04 },
      },
    },
    {
      id: COMET,
      protocol: "compound-v3",
      base: "USDC",
      collaterals: { WETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 } },
    },
    { id: MORPHO, protocol: "morpho-blue", collateral: "wstETH", loan: "WETH", lltv: 0.945 },
  ],
  positions: [
    {
      market: SPOKE,
      account: "0xa",
      collateral: { WETH: 10 },
      debt: { USDC: 24000 },
      dynamicConfig: { WETH: { maxLiquidationBonus: 0.1 } },
    },
    { market: COMET, account: "0xb", collateral: { WETH: 10 }, debt: { USDC: 24000 } },
    { market: MORPHO, account: "0xc", collateral: { wstETH: 10 }, debt: { WETH: 11 } },
  ],
});

const apply = (...texts: string[]) => applyOverrides(snapshot, texts.map(parseOverride));

describe("overrides of model v2 parameters", () => {
  it("sets Aave V4 market and reserve fields, and checks the positions' dynamic configuration again", () => {
    const next = apply(`${SPOKE}:targetHealthFactor=1.2`, `${SPOKE}:WETH.collateralFactor=0.8`);
    const spoke = next.markets.find((m) => m.id === SPOKE)!;
    expect(spoke).toMatchObject({ targetHealthFactor: 1.2, reserves: { WETH: { collateralFactor: 0.8 } } });
    // 0.9 × (1 + 0.1) >= 1: the reserve would allow it (1.05 × 0.9) but the position's own bonus does not.
    expect(() => apply(`${SPOKE}:WETH.collateralFactor=0.91`)).toThrow(
      /positions\[0\]\.dynamicConfig\.WETH: \(1 \+ maxLiquidationBonus\) × collateralFactor = 1\.001/,
    );
    expect(() => apply(`${SPOKE}:WETH.lltv=0.8`)).toThrow(
      /unknown field "lltv" in reserve WETH \(fields: collateralFactor, maxLiquidationBonus, liquidationFee\)/,
    );
  });

  it("sets an oracle's scale and deviation, the implicit oracle of an asset included", () => {
    const next = apply("oracle:wstETH:scale=1.1", "oracle:WETH:deviation=0.01");
    expect(next.oracles.wstETH).toEqual({ kind: "rate", oracle: "WETH", scale: 1.1 });
    expect(next.oracles.WETH).toMatchObject({ kind: "market", asset: "WETH", deviation: 0.01 });
    expect(snapshot.oracles.WETH).toBeUndefined();
    // The Morpho position (10 wstETH at rate 1.2 × 3000 against 11 WETH) is healthy at 1.2
    // (10 × 3600 × 0.945 = 34,020 > 33,000) and liquidatable at 1.1 (31,185 < 33,000).
    expect(simulate(compileBook(snapshot), {}).totals.liquidations).toBe(0);
    expect(simulate(compileBook(apply("oracle:wstETH:scale=1.1")), {}).liquidations[0]?.market).toBe(MORPHO);
    expect(() => apply("oracle:stETH:scale=1")).toThrow(/unknown oracle "stETH"/);
    expect(() => apply("oracle:wstETH:deviation=0.1")).toThrow(
      /unknown field "deviation" in oracle wstETH \(fields: scale\)/,
    );
  });

  it("sets liquidationGasUsd on every protocol and sellsAbsorbed on a comet", () => {
    const next = apply(
      `${SPOKE}:liquidationGasUsd=20`,
      `${MORPHO}:liquidationGasUsd=5`,
      `${COMET}:liquidationGasUsd=1`,
      `${COMET}:sellsAbsorbed=false`,
    );
    const byId = new Map(next.markets.map((m) => [m.id, m]));
    expect(byId.get(SPOKE)?.liquidationGasUsd).toBe(20);
    expect(byId.get(MORPHO)?.liquidationGasUsd).toBe(5);
    expect(byId.get(COMET)).toMatchObject({ liquidationGasUsd: 1, sellsAbsorbed: false });
    expect(() => parseOverride(`${COMET}:sellsAbsorbed=no`)).toThrow(/sellsAbsorbed takes true or false/);
  });

  it("a gas cost above what a liquidation pays strands the position", () => {
    // WETH -25%: the spoke's position (HF 10 × 2250 × 0.83 / 24000 = 0.778) pays its liquidator a
    // bonus of at most 10% of the repay; with $1M of gas it strands instead.
    const book = compileBook(apply(`${SPOKE}:liquidationGasUsd=1000000`));
    const report = simulate(book, { WETH: -0.25 });
    expect(report.liquidations.some((l) => l.market === SPOKE)).toBe(false);
    expect(report.totals.stranded).toBe(1);
    expect(report.totals.strandedDebtUsd).toBe(24000);
  });
});
