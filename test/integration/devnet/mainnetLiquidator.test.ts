/**
 * The devnet's liquidator on the mainnet profile: an ETH crash made on chain in the WETH/USDC
 * Uniswap V3 pool, then rounds in which the keeper pushes the feeds whose threshold the pools'
 * prices reach, health is judged at the oracles and profit at the pools, and seized collateral is
 * sold along the quote tree (wstETH into its WETH pool, WETH into USDC) with real swaps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deviationFeedAbi } from "../../../abis/deviationFeed.js";
import { indexedTradeOrder } from "../../../src/app/indexedTradeOrder.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { runCrash } from "../../../src/devnet/crash.js";
import type { CascadeTarget } from "../../../src/devnet/liquidator/cascadeTarget.js";
import type { LiquidatorRun } from "../../../src/devnet/liquidator/runLiquidator.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

const GAS_USD = 50;
/** A book whose cascade shows every behaviour below (three rounds, a held ETH/USD, loops kept). */
const SEED = 2;

let devnet: Devnet;
let target: CascadeTarget;
let run: LiquidatorRun;
const answersBefore = new Map<string, bigint>();

beforeAll(async () => {
  devnet = await startDevnet({ profile: "mainnet", seed: SEED, positions: 150 });
  target = await targetFromDeploymentFile(devnet.clients.public, devnet.config);
  const tradeOrder = await indexedTradeOrder(parseConfig(devnet.config));
  for (const feed of target.mainnet!.feeds) {
    answersBefore.set(
      feed.asset,
      await devnet.clients.public.readContract({
        address: feed.address,
        abi: deviationFeedAbi,
        functionName: "latestAnswer",
      }),
    );
  }
  run = await runCrash({
    client: devnet.clients.public,
    target,
    shock: { WETH: -0.2 },
    tradeOrder,
    liquidationGasUsd: GAS_USD,
  });
}, 300_000);

afterAll(async () => {
  await devnet?.stop();
});

/** The feed's oracle id as rounds report it. */
const oracleId = (address: string): string => `oracle:${devnet.chainId}:${address.toLowerCase()}`;
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("the devnet liquidator on the mainnet profile", () => {
  it("a WETH crash in the V3 pool runs several rounds of liquidations, none reverted", () => {
    expect(run.failed).toEqual([]);
    expect(run.report.rounds.length).toBeGreaterThanOrEqual(2);
    expect(run.report.rounds.every((round) => round.liquidations > 0)).toBe(true);
    // Each round's sales move WETH's pool further down (the cascade is priced by the pool).
    const weth = run.report.rounds.map((round) => round.prices.WETH!);
    expect(weth[0]!).toBeLessThan(2400);
    for (let k = 1; k < weth.length; k++) expect(weth[k]!).toBeLessThan(weth[k - 1]!);
    // The keeper ran at every round's start, and once more at the round that found nothing.
    expect(run.keeper.map((k) => k.round)).toEqual(
      Array.from({ length: run.report.rounds.length + 1 }, (_, k) => k + 1),
    );
  });

  it("the keeper pushes a feed only when the pools' price has moved past its threshold", () => {
    const o = devnet.deployment.oracles!;
    // The crash's own push: ETH/USD reports the crashed price from round 1 on.
    const first = run.report.rounds[0]!.oraclePrices;
    expect(Number(answersBefore.get("WETH"))).toBe(3000e8);
    expect(first[oracleId(o.feeds.WETH!.address)]).toBeCloseTo(2400, 6);
    let pushes = 0;
    let heldBack = 0;
    for (let k = 1; k < run.keeper.length; k++) {
      const { marketPricesUsd, updates } = run.keeper[k]!;
      const previous = run.report.rounds[k - 1]!.oraclePrices;
      const reported = run.report.rounds[k]?.oraclePrices;
      for (const feed of target.mainnet!.feeds) {
        const answer = previous[oracleId(feed.address)]!;
        const threshold = o.feeds[feed.asset]!.deviationThresholdBps / 10_000;
        const move = Math.abs(marketPricesUsd[feed.asset]! / answer - 1);
        const pushed = updates.some((u) => u.asset === feed.asset);
        if (pushed) {
          pushes++;
          expect(move).toBeGreaterThanOrEqual(threshold);
          if (reported !== undefined)
            expect(reported[oracleId(feed.address)]).toBeCloseTo(marketPricesUsd[feed.asset]!, 6);
        } else {
          if (feed.asset === "WETH") heldBack++;
          expect(move).toBeLessThan(threshold);
          if (reported !== undefined) expect(reported[oracleId(feed.address)]).toBe(answer);
        }
      }
    }
    expect(pushes).toBeGreaterThan(0);
    // The last round's own sales moved WETH less than 0.5%: the keeper held ETH/USD and the cascade stopped.
    expect(heldBack).toBeGreaterThan(0);
  });

  it("wstETH/WETH loops priced by the exchange rate survive while the wstETH/WETH pool moves", async () => {
    const loops = devnet.positions.filter(
      (p) =>
        (p.protocol === "aave-v3" && p.emode !== 0) ||
        (p.protocol === "morpho-blue" &&
          devnet.deployment.morpho!.markets[p.marketIndex]!.collateral === "wstETH" &&
          devnet.deployment.morpho!.markets[p.marketIndex]!.loan === "WETH"),
    );
    expect(loops.length).toBeGreaterThan(5);
    const liquidated = new Set(run.report.liquidations.map((l) => l.account.toLowerCase()));
    expect(loops.filter((p) => liquidated.has(p.account.toLowerCase()))).toEqual([]);
    expect(
      run.report.liquidations.filter((l) => (l.seized.wstETH ?? 0) > 0 && (l.repaid.WETH ?? 0) > 0),
    ).toEqual([]);
    // wstETH seized against stablecoins was sold into its WETH pool: the pool left the exchange rate.
    expect(run.report.liquidations.some((l) => (l.seized.wstETH ?? 0) > 0)).toBe(true);
    const last = run.keeper.at(-1)!.marketPricesUsd;
    const poolRatio = last.wstETH! / last.WETH!;
    expect(relative(poolRatio, 1.2)).toBeGreaterThan(1e-4);
    // The Aave oracle's wstETH source is the exchange rate over ETH/USD, untouched by the pool.
    const v36 = target.aaveMarkets.find((m) => m.pool === devnet.deployment.aave["aave-v3.6"]!.pool)!;
    const read = (address: `0x${string}`) =>
      devnet.clients.public.readContract({ address, abi: deviationFeedAbi, functionName: "latestAnswer" });
    const [lst, eth] = await Promise.all([
      read(v36.oracle!.sources.wstETH!),
      read(target.mainnet!.feeds.find((f) => f.asset === "WETH")!.address),
    ]);
    expect(Number(lst) / Number(eth)).toBeCloseTo(1.2, 8);
  });

  it("a liquidation that does not pay its gas at the pools' prices is skipped and stays stranded", () => {
    const rounds = run.report.rounds;
    expect(rounds.some((round) => round.unprofitable > 0)).toBe(true);
    expect(run.report.totals.stranded).toBeGreaterThan(0);
    // Only small positions are stranded by a $50 gas cost.
    expect(run.report.totals.strandedDebtUsd / run.report.totals.stranded).toBeLessThan(2_000);
    // Every liquidation sent paid at its round's starting pool prices: seized value exceeds repaid plus gas.
    for (const l of run.report.liquidations) {
      const market = run.keeper[l.round - 1]!.marketPricesUsd;
      const seizedUsd = Object.entries(l.seized).reduce(
        (sum, [asset, amount]) => sum + amount * market[asset]!,
        0,
      );
      const repaidUsd = Object.entries(l.repaid).reduce(
        (sum, [asset, amount]) => sum + amount * market[asset]!,
        0,
      );
      expect(seizedUsd - repaidUsd - GAS_USD).toBeGreaterThan(0);
    }
  });
});
