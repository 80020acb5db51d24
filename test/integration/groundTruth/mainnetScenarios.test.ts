/**
 * Named ground-truth scenarios on the mainnet profile (issue #10's CI list). Each builds its book
 * from an explicit position plan on one devnet (no random plan; `evm_snapshot` / `evm_revert`
 * between cases), moves a price on chain, and compares model v2's prediction from the indexers'
 * snapshot with the devnet liquidator's cascade: agreement within the ground-truth tolerance, and
 * the scenario's behaviour on both sides.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aaveV3OracleAbi } from "../../../abis/aaveV3Oracle.js";
import { measureModelV1 } from "../../../src/app/validate/measureModelV1.js";
import { runValidation, type ValidationResult } from "../../../src/app/validate/runValidation.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import type { CascadeReport, LiquidationRecord } from "../../../src/core/report/cascadeReport.js";
import type { DevnetAssetId } from "../../../src/devnet/aave/AaveDeployment.js";
import { DEFAULT_AAVE_RESERVES, MAINNET_AAVE_EMODE } from "../../../src/devnet/aave/defaultAaveParams.js";
import { shockMainnet } from "../../../src/devnet/crash.js";
import { DEFAULT_DEVNET_ASSETS } from "../../../src/devnet/devnetAssets.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { DEFAULT_MORPHO_MARKETS } from "../../../src/devnet/morpho/deployMorphoBlue.js";
import { MAINNET_EXCHANGE_RATE } from "../../../src/devnet/oracles/deployMainnetOracles.js";
import { seededAccount, toWei } from "../../../src/devnet/seed/positionDraws.js";
import type {
  AavePositionPlan,
  DevnetAaveMarketName,
  MorphoPositionPlan,
  PositionPlan,
} from "../../../src/devnet/seed/positionPlan.js";
import { seedPositions } from "../../../src/devnet/seed/seedPositions.js";
import { type Devnet, readPricesUsd, startDevnet } from "../../../src/devnet/startDevnet.js";

let devnet: Devnet;
let clean: `0x${string}`;
let pricesUsd: Record<string, number>;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "mainnet", positions: 0 });
  pricesUsd = await readPricesUsd(devnet.clients, devnet.deployment.priceSources);
  clean = await devnet.clients.test.snapshot();
}, 120_000);

beforeEach(async () => {
  await devnet.clients.test.revert({ id: clean });
  clean = await devnet.clients.test.snapshot();
});

afterAll(async () => {
  await devnet?.stop();
});

// --- explicit position plans -------------------------------------------------------------------

const decimalsOf = (asset: DevnetAssetId): number =>
  DEFAULT_DEVNET_ASSETS.find((spec) => spec.id === asset)!.decimals;

/** Builds plans with fresh accounts of one scenario's own seed. */
function planBook(scenarioSeed: number) {
  const plans: PositionPlan[] = [];
  const wei = (usd: number, asset: DevnetAssetId) => toWei(usd / pricesUsd[asset]!, decimalsOf(asset));
  return {
    plans,
    /** An Aave position: collateral in USD per asset, debt sized for `healthFactor` at today's oracles. */
    aave(
      market: DevnetAaveMarketName,
      collateralUsd: Partial<Record<DevnetAssetId, number>>,
      debt: DevnetAssetId,
      healthFactor: number,
      options: { emode?: boolean; whale?: boolean } = {},
    ): AavePositionPlan {
      const threshold = (asset: DevnetAssetId) =>
        (options.emode === true
          ? MAINNET_AAVE_EMODE.liquidationThresholdBps
          : DEFAULT_AAVE_RESERVES[asset]!.liquidationThresholdBps) / 1e4;
      const entries = Object.entries(collateralUsd) as Array<[DevnetAssetId, number]>;
      const weighted = entries.reduce((sum, [asset, usd]) => sum + usd * threshold(asset), 0);
      const plan: AavePositionPlan = {
        protocol: "aave-v3",
        market,
        account: seededAccount(scenarioSeed, plans.length),
        emode: options.emode === true ? MAINNET_AAVE_EMODE.id : 0,
        collateral: entries.map(([asset, usd]) => ({ asset, amountWei: wei(usd, asset) })),
        debt: { asset: debt, amountWei: wei(weighted / healthFactor, debt) },
        healthFactor,
        whale: options.whale ?? false,
      };
      plans.push(plan);
      return plan;
    },
    /** A Morpho position in `DEFAULT_MORPHO_MARKETS[marketIndex]`. */
    morpho(marketIndex: number, collateralUsd: number, healthFactor: number): MorphoPositionPlan {
      const market = DEFAULT_MORPHO_MARKETS[marketIndex]!;
      const plan: MorphoPositionPlan = {
        protocol: "morpho-blue",
        marketIndex,
        account: seededAccount(scenarioSeed, plans.length),
        collateralWei: wei(collateralUsd, market.collateral),
        debtWei: wei((collateralUsd * market.lltv) / healthFactor, market.loan),
        healthFactor,
        whale: false,
      };
      plans.push(plan);
      return plan;
    },
  };
}

async function seed(plans: readonly PositionPlan[]): Promise<void> {
  const { tokens, aave, morpho } = devnet.deployment;
  await seedPositions(devnet.rpcUrl, devnet.clients, plans, {
    tokens,
    aave,
    ...(morpho === undefined ? {} : { morpho: { address: morpho.morpho, markets: morpho.markets } }),
  });
}

/** A move of the pools and the keeper's push before the validation starts (the feeds' state it begins from). */
async function moveBefore(shock: Record<string, number>): Promise<void> {
  const target = await targetFromDeploymentFile(devnet.clients.public, devnet.config, devnet.rpcUrl);
  await shockMainnet(devnet.clients.public, target, target.mainnet!, shock);
}

// --- checks on both sides ----------------------------------------------------------------------

function expectAgreement(validation: ValidationResult): void {
  for (const boundary of validation.comparison.boundary)
    console.log(`boundary case (allowed): ${JSON.stringify(boundary)}`);
  expect(validation.reverted, "liquidations the chain refused").toEqual([]);
  expect(validation.comparison.diffs, "round, account, field, predicted, realized").toEqual([]);
  expect(validation.comparison.agree).toBe(true);
  expect(validation.predicted.converged).toBe(true);
  expect(validation.realized.converged).toBe(true);
}

const sides = (v: ValidationResult): ReadonlyArray<readonly [string, CascadeReport]> => [
  ["predicted", v.predicted],
  ["realized", v.realized],
];

const liquidationsOf = (report: CascadeReport, account: string): LiquidationRecord[] =>
  report.liquidations.filter((l) => l.account.toLowerCase() === account.toLowerCase());

/** The ETH/USD deviation feed as the indexers read it: its oracle id and its answer at the snapshot. */
function ethUsdFeed(v: ValidationResult): { id: string; reportedUsd: number } {
  const entry = Object.entries(v.snapshot.oracles).find(
    ([, o]) => o.kind === "market" && o.asset === "WETH" && o.deviation > 0,
  );
  const oracle = entry?.[1];
  if (oracle?.kind !== "market" || oracle.reportedUsd === undefined)
    throw new Error("no ETH/USD feed indexed");
  return { id: entry![0], reportedUsd: oracle.reportedUsd };
}

function summary(v: ValidationResult): string {
  return sides(v)
    .map(
      ([side, r]) =>
        `${side}: ${r.rounds.map((x) => `${x.liquidations}${x.liquidityExhausted ? "x" : ""}`).join(",")} liquidations, ` +
        `$${r.totals.repaidUsd.toFixed(0)} repaid, $${r.totals.badDebtUsd.toFixed(0)} bad debt, ${r.totals.stranded} stranded`,
    )
    .join("; ")
    .concat(`; largest relative difference ${v.comparison.maxRelative.toExponential(1)}`);
}

describe("named ground-truth scenarios on the mainnet profile", () => {
  it("a deviation feed delays a liquidation by one round", async () => {
    const book = planBook(9101);
    // Liquidatable once ETH/USD reads 4% lower (below their 1.035 / 3000 liquidation price).
    for (const usd of [400_000, 500_000, 600_000]) book.aave("aave-v3.6", { WETH: usd }, "USDC", 1.035);
    // Healthy at 0.96 × $3,000 (the feed after the first move), liquidatable at 0.3% below it.
    const aaveTarget = book.aave("aave-v3.0", { WETH: 200_000 }, "USDC", 1.0435);
    const morphoTarget = book.morpho(0, 200_000, 1.0435);
    await seed(book.plans);
    await moveBefore({ WETH: -0.04 });
    // A 0.3% move: under ETH/USD's 0.5% threshold, so the feed holds its answer.
    const v = await runValidation({ devnet, shock: { WETH: -0.003 } });
    console.log(`deviation feed: ${summary(v)}`);
    expectAgreement(v);

    const { id: feed, reportedUsd: heldUsd } = ethUsdFeed(v);
    const poolUsd = v.snapshot.assets.find((a) => a.id === "WETH")!.priceUsd;
    expect(poolUsd / heldUsd - 1).toBeGreaterThan(-0.005);
    expect(poolUsd).toBeLessThan(heldUsd);
    for (const target of [aaveTarget, morphoTarget]) {
      const position = v.snapshot.positions.find(
        (p) => p.account.toLowerCase() === target.account.toLowerCase(),
      )!;
      const collateral = position.collateral.WETH!;
      const debt = position.debt.USDC!;
      const lt =
        target.protocol === "aave-v3"
          ? DEFAULT_AAVE_RESERVES.WETH!.liquidationThresholdBps / 1e4
          : DEFAULT_MORPHO_MARKETS[0]!.lltv;
      // Liquidatable at the pool's price, not at the feed's held answer.
      expect((collateral * poolUsd * lt) / debt).toBeLessThan(1);
      expect((collateral * heldUsd * lt) / debt).toBeGreaterThan(1);
    }
    for (const [side, report] of sides(v)) {
      // Round 1 at the held answer; round 1's sales move the pool past the threshold, the feed is pushed.
      expect(report.rounds[0]!.oraclePrices[feed], side).toBeCloseTo(heldUsd, 6);
      expect(report.rounds[1]!.oraclePrices[feed]! / heldUsd - 1, side).toBeLessThanOrEqual(-0.005);
      for (const target of [aaveTarget, morphoTarget])
        expect(
          liquidationsOf(report, target.account).map((l) => l.round),
          `${side} ${target.protocol}`,
        ).toEqual([2]);
    }
    // Version 1's spot oracles see the pool's price at once: the targets fall in round 1 there.
    const v1 = measureModelV1(v);
    for (const target of [aaveTarget, morphoTarget])
      expect(liquidationsOf(v1.predicted, target.account).map((l) => l.round)[0]).toBe(1);
  }, 120_000);

  it("a whale's sale exhausts the WETH/USDC pool's last concentrated range", async () => {
    const book = planBook(9102);
    const whale = book.aave("aave-v3.6", { WETH: 8_000_000 }, "USDC", 1.2, { whale: true });
    for (const [k, usd] of [20_000, 35_000, 50_000].entries())
      book.aave(k % 2 === 0 ? "aave-v3.0" : "aave-v3.6", { WETH: usd }, "USDC", 1.3);
    book.morpho(1, 40_000, 1.3);
    await seed(book.plans);
    // -27%: inside the last range (0.55-0.75 of the start), $1.5M deep.
    const v = await runValidation({ devnet, shock: { WETH: -0.27 } });
    console.log(`whale: ${summary(v)}`);
    expectAgreement(v);
    for (const [side, report] of sides(v)) {
      expect(report.rounds[0]!.liquidityExhausted, side).toBe(true);
      expect(
        liquidationsOf(report, whale.account).map((l) => l.round),
        side,
      ).toEqual([1]);
    }
    // The whale's sale, not the others': without it, round 1 stays inside the pool's liquidity.
    const withoutWhale = simulate(
      compileBook({
        ...v.snapshot,
        positions: v.snapshot.positions.filter(
          (p) => p.account.toLowerCase() !== whale.account.toLowerCase(),
        ),
      }),
      {},
    );
    expect(withoutWhale.rounds[0]?.liquidityExhausted ?? false).toBe(false);
  }, 120_000);

  it("an ETH crash: wstETH loops survive on chain (exchange-rate oracle) while the wstETH/WETH pool depegs", async () => {
    const book = planBook(9103);
    const loops = [
      book.aave("aave-v3.0", { wstETH: 1_000_000 }, "WETH", 1.03, { emode: true }),
      book.aave("aave-v3.6", { wstETH: 1_500_000 }, "WETH", 1.03, { emode: true }),
      book.aave("aave-v3.6", { wstETH: 300_000 }, "WETH", 1.025, { emode: true }),
      book.morpho(4, 1_200_000, 1.02),
      book.morpho(4, 400_000, 1.03),
    ];
    // wstETH against USDC: the crash liquidates them, and their seized wstETH is sold into its pool.
    book.aave("aave-v3.6", { wstETH: 4_000_000 }, "USDC", 1.1);
    book.aave("aave-v3.0", { wstETH: 2_000_000 }, "USDC", 1.15);
    book.morpho(3, 3_000_000, 1.1);
    await seed(book.plans);
    const v = await runValidation({ devnet, shock: { WETH: -0.2 } });
    console.log(`loops: ${summary(v)}`);
    expectAgreement(v);
    const rate = MAINNET_EXCHANGE_RATE.rate;
    const feed = ethUsdFeed(v).id;
    const aave = v.snapshot.markets.find((m) => m.protocol === "aave-v3");
    const adapter = aave?.protocol === "aave-v3" ? aave.reserves.wstETH?.oracle : undefined;
    expect(v.snapshot.oracles[adapter!]).toEqual({ kind: "rate", oracle: feed, scale: rate });
    for (const [side, report] of sides(v)) {
      expect(report.totals.liquidations, side).toBeGreaterThan(0);
      for (const loop of loops) expect(liquidationsOf(report, loop.account), side).toEqual([]);
      const last = report.rounds.at(-1)!;
      // The pool's wstETH/WETH price falls below the rate.
      expect(last.prices.wstETH! / last.prices.WETH!, side).toBeLessThan(rate * 0.997);
    }
    // The oracles' ratio stays at the rate: in the model, and in each Aave market's AaveOracle on chain.
    const lastPredicted = v.predicted.rounds.at(-1)!.oraclePrices;
    expect(lastPredicted[adapter!]! / lastPredicted[feed]!).toBeCloseTo(rate, 9);
    const target = await targetFromDeploymentFile(devnet.clients.public, devnet.config, devnet.rpcUrl);
    const token = (id: string) => target.assets.find((a) => a.id === id)!.token;
    for (const market of target.aaveMarkets) {
      const [wstEthUsd, wethUsd] = await devnet.clients.public.readContract({
        address: market.oracle!.address,
        abi: aaveV3OracleAbi,
        functionName: "getAssetsPrices",
        args: [[token("wstETH"), token("WETH")]],
      });
      expect(Number(wstEthUsd) / Number(wethUsd!)).toBeCloseTo(rate, 7);
    }
    // Version 1's assumptions (oracle = the depegged pool price) would have liquidated loops.
    const v1 = measureModelV1(v);
    const v1Loops = loops.filter((loop) => liquidationsOf(v1.predicted, loop.account).length > 0);
    console.log(`loops under model v1: ${v1Loops.length} of ${loops.length} liquidated`);
    expect(v1Loops.length).toBeGreaterThan(0);
  }, 120_000);

  it("small positions stranded as unprofitable at $50 of gas", async () => {
    const book = planBook(9104);
    const venues = ["aave-v3.0", "aave-v3.6"] as const;
    for (const [k, usd] of [700, 900, 1_100, 1_300, 1_500, 800].entries())
      book.aave(venues[k % 2]!, { WETH: usd }, "USDC", 1.08);
    for (const usd of [600, 1_000]) book.morpho(0, usd, 1.08);
    for (const [k, usd] of [40_000, 120_000, 250_000].entries())
      book.aave(venues[k % 2]!, { WETH: usd }, "USDC", 1.08);
    book.morpho(0, 80_000, 1.08);
    await seed(book.plans);
    const v = await runValidation({ devnet, shock: { WETH: -0.12 }, gasUsd: 50 });
    console.log(`stranded: ${summary(v)}`);
    expectAgreement(v);
    expect(v.realized.totals.stranded).toBeGreaterThan(0);
    expect(v.realized.totals.stranded).toBe(v.predicted.totals.stranded);
    expect(v.realized.totals.strandedDebtUsd).toBeCloseTo(v.predicted.totals.strandedDebtUsd, 2);
    expect(v.realized.rounds.map((r) => r.unprofitable)).toEqual(
      v.predicted.rounds.map((r) => r.unprofitable),
    );
    // The large positions paid; the stranded are small ones (each below $1,500 of debt).
    for (const [side, report] of sides(v)) {
      expect(report.totals.liquidations, side).toBeGreaterThanOrEqual(4);
      expect(report.totals.strandedDebtUsd / report.totals.stranded, side).toBeLessThan(1_500);
      // Each liquidation carries the profit the rule judged, after the $50 of gas: positive.
      for (const l of report.liquidations) expect(l.profitUsd, side).toBeGreaterThan(0);
    }
  }, 120_000);

  it("a multi-round cross-protocol cascade with bad debt on Aave V3.0, Aave V3.6 and Morpho", async () => {
    const book = planBook(9105);
    const healthFactors = [1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 1.6, 1.7];
    for (const hf of healthFactors) {
      book.aave("aave-v3.0", { WETH: 400_000 }, "USDC", hf);
      book.aave("aave-v3.6", { WETH: 400_000 }, "USDC", hf);
      book.morpho(0, 400_000, hf);
    }
    await seed(book.plans);
    const v = await runValidation({ devnet, shock: { WETH: -0.15 } });
    console.log(`cross-protocol: ${summary(v)}`);
    expectAgreement(v);
    const logicOf = new Map(
      v.snapshot.markets.map((m) => [
        m.id,
        m.protocol === "aave-v3" ? `aave ${m.liquidationLogic}` : m.protocol,
      ]),
    );
    for (const [side, report] of sides(v)) {
      expect(report.rounds.length, side).toBeGreaterThanOrEqual(3);
      expect(report.liquidations.filter((l) => l.crossProtocol).length, side).toBeGreaterThan(0);
      const badDebtBy = new Map<string, number>();
      for (const l of report.liquidations)
        badDebtBy.set(logicOf.get(l.market)!, (badDebtBy.get(logicOf.get(l.market)!) ?? 0) + l.badDebtUsd);
      for (const venue of ["aave v3.0", "aave v3.3", "morpho-blue"])
        expect(badDebtBy.get(venue) ?? 0, `${side} ${venue}`).toBeGreaterThan(0);
    }
  }, 120_000);
});
