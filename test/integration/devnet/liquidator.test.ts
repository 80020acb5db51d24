import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, parseAbi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAssetsUp } from "../../../src/adapters/protocols/morpho-blue/morphoMath.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { DEVNET_SHOCK_TRADER, runCrash } from "../../../src/devnet/crash.js";
import type { CascadeTarget } from "../../../src/devnet/liquidator/cascadeTarget.js";
import type { PlannedLiquidation } from "../../../src/devnet/liquidator/planRound.js";
import { readPrices } from "../../../src/devnet/liquidator/readPrices.js";
import type { LiquidatorRun } from "../../../src/devnet/liquidator/runLiquidator.js";
import { prepareDevnetActor } from "../../../src/devnet/liquidator/sendCallsInOneBlock.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { movePairsByRatios } from "../../../src/devnet/liquidator/tradeRound.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { cli } from "../../helpers/cliHarness.js";

const SEED = Number(process.env.SEED ?? 1);
const poolAbi = parseAbi([
  "function getUserAccountData(address user) view returns (uint256 totalCollateralBase, uint256 totalDebtBase, uint256 availableBorrowsBase, uint256 currentLiquidationThreshold, uint256 ltv, uint256 healthFactor)",
]);
const morphoAbi = parseAbi([
  "function position(bytes32 id, address user) view returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral)",
  "function market(bytes32 id) view returns (uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets, uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee)",
]);
const oracleAbi = parseAbi(["function price() view returns (uint256)"]);
const WAD = 10n ** 18n;

let devnet: Devnet;
let target: CascadeTarget;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "spot", seed: SEED, positions: 200 });
  target = await targetFromDeploymentFile(devnet.clients.public, devnet.config);
});

afterAll(async () => {
  await devnet?.stop();
});

/** Runs the CLI in this process with captured output. */
/** Whether an account is liquidatable right now, by the protocol's own views (Aave HF, Morpho's health check). */
async function liquidatableOnChain(
  protocol: string,
  marketId: string,
  account: Address,
): Promise<{ liquidatable: boolean; hasCollateral: boolean }> {
  const client = devnet.clients.public;
  if (protocol === "aave-v3") {
    const market = target.aaveMarkets.find((m) => m.marketId === marketId)!;
    const [collateralBase, debtBase, , , , healthFactor] = await client.readContract({
      address: market.pool,
      abi: poolAbi,
      functionName: "getUserAccountData",
      args: [account],
    });
    return { liquidatable: debtBase > 0n && healthFactor < WAD, hasCollateral: collateralBase > 0n };
  }
  const market = target.morpho!.markets.find((m) => m.marketId === marketId)!;
  const morpho = target.morpho!.address;
  const [, borrowShares, collateral] = await client.readContract({
    address: morpho,
    abi: morphoAbi,
    functionName: "position",
    args: [market.id, account],
  });
  const [, , totalBorrowAssets, totalBorrowShares] = await client.readContract({
    address: morpho,
    abi: morphoAbi,
    functionName: "market",
    args: [market.id],
  });
  const price = await client.readContract({
    address: market.params.oracle,
    abi: oracleAbi,
    functionName: "price",
  });
  const borrowed = toAssetsUp(borrowShares, totalBorrowAssets, totalBorrowShares);
  // Morpho's _isHealthy: maxBorrow = collateral * price / 1e36 * lltv (both rounded down).
  const maxBorrow = (((collateral * price) / 10n ** 36n) * market.params.lltv) / WAD;
  return { liquidatable: borrowShares > 0n && maxBorrow < borrowed, hasCollateral: collateral > 0n };
}

describe("devnet crash and liquidator", () => {
  it("a shock sale moves the pair price by the requested fraction, fee included", async () => {
    const snapshot = await devnet.clients.test.snapshot();
    const before = await readPrices(devnet.clients.public, target);
    await prepareDevnetActor(target.rpcUrl, DEVNET_SHOCK_TRADER);
    await movePairsByRatios(devnet.clients.public, target, DEVNET_SHOCK_TRADER, new Map([["WBTC", 0.8]]));
    const after = await readPrices(devnet.clients.public, target);
    // Price sources round down to 1e-8 USD; the solved sale is exact to float precision.
    expect(Math.abs(after.WBTC! / before.WBTC! - 0.8)).toBeLessThan(1e-9);
    expect(after.WETH).toBe(before.WETH);
    await devnet.clients.test.revert({ id: snapshot });
  });

  it("cascade-monitor devnet --crash runs against a running devnet's deployment file", async () => {
    const snapshot = await devnet.clients.test.snapshot();
    const dir = mkdtempSync(join(tmpdir(), "devnet-crash-"));
    try {
      const file = join(dir, "devnet.json");
      writeFileSync(file, JSON.stringify(devnet.config));
      const json = await cli("devnet", "--crash", "WBTC=-0.25", "--deployment", file, "--json");
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as CascadeReport;
      expect(report.schema).toBe("cascade-report/2");
      expect(report.shock).toEqual({ WBTC: -0.25 });
      expect(json.stderr).not.toMatch(/reverted/);
      await devnet.clients.test.revert({ id: snapshot });

      const text = await cli("devnet", "--crash", "WBTC=-0.25", "--deployment", file);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^Shock: WBTC -25/m);
      const refused = await cli("devnet", "--crash", "USDC=-0.1", "--deployment", file);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/no pair/);
      const missing = await cli("devnet", "--crash", "WETH=-0.1", "--deployment", join(dir, "missing.json"));
      expect(missing.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await devnet.clients.test.revert({ id: snapshot });
    }
  });

  it("liquidates exactly the liquidatable accounts, round after round, until none is left", async () => {
    const checkedAtSend: Array<{ round: number; plan: PlannedLiquidation; liquidatable: boolean }> = [];
    const started = performance.now();
    const run: LiquidatorRun = await runCrash({
      client: devnet.clients.public,
      target,
      shock: { WETH: -0.3 },
      beforeRoundSent: async (round, planned) => {
        for (const plan of planned) {
          const { liquidatable } = await liquidatableOnChain(plan.protocol, plan.marketId, plan.account);
          checkedAtSend.push({ round, plan, liquidatable });
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const { report } = run;
    console.log(
      `crash WETH -30%: ${report.totals.liquidations} liquidations in ${report.rounds.length} rounds, ${seconds.toFixed(1)} s`,
    );

    expect(run.failed).toEqual([]);
    expect(report.schema).toBe("cascade-report/2");
    expect(report.converged).toBe(true);
    expect(report.totals.liquidations).toBeGreaterThan(0);
    expect(report.liquidations).toHaveLength(run.executed.length);
    // Both Aave logics and Morpho Blue took part.
    const liquidatedMarkets = new Set(report.liquidations.map((l) => l.market));
    for (const market of target.aaveMarkets) expect(liquidatedMarkets).toContain(market.marketId);
    expect(report.liquidations.some((l) => l.protocol === "morpho-blue")).toBe(true);
    // Every account the liquidator chose was liquidatable by the protocol's own view at that moment.
    expect(checkedAtSend.length).toBe(report.totals.liquidations);
    expect(checkedAtSend.filter((check) => !check.liquidatable)).toEqual([]);

    // The shock itself: WETH's oracle fell 30% before round 1 (the report's round-1 judging prices).
    const afterShockWeth = report.initialPrices.WETH! * 0.7;
    expect(report.amplification.WETH).toBeCloseTo(
      (1 - report.finalPrices.WETH! / report.initialPrices.WETH!) / 0.3,
      6,
    );
    expect(report.finalPrices.WETH!).toBeLessThanOrEqual(afterShockWeth * (1 + 1e-9));

    // On-chain amounts follow the model's rule: repay and seize within 1e-6 of the decision.
    for (const { liquidation } of run.executed) {
      const { plan } = liquidation;
      const decimalsOf = (id: string) => target.assets.find((asset) => asset.id === id)!.decimals;
      const repaid = Number(liquidation.repaidWei) / 10 ** decimalsOf(plan.debtAsset);
      const seized = Number(liquidation.seizedWei) / 10 ** decimalsOf(plan.collateralAsset);
      expect(Math.abs(repaid - plan.modelRepay) / plan.modelRepay).toBeLessThan(1e-6);
      expect(Math.abs(seized - plan.modelSeize) / plan.modelSeize).toBeLessThan(1e-6);
    }

    // Nothing left behind is liquidatable: every position with collateral is healthy by the protocols' views.
    const leftBehind: string[] = [];
    for (const plan of devnet.positions) {
      const marketId =
        plan.protocol === "aave-v3"
          ? target.aaveMarkets.find((m) => m.pool === devnet.deployment.aave[plan.market]!.pool)!.marketId
          : target.morpho!.markets[plan.marketIndex]!.marketId;
      const state = await liquidatableOnChain(plan.protocol, marketId, plan.account);
      if (state.liquidatable && state.hasCollateral) leftBehind.push(`${marketId} ${plan.account}`);
    }
    expect(leftBehind).toEqual([]);
  });
});
