/**
 * Ground truth: what the propagator predicts is what the real Aave V3.0, Aave V3.6 and Morpho Blue
 * contracts do. Each scenario moves a price on chain, indexes the devnet with the real indexers,
 * simulates that snapshot with no further shock, runs the devnet's liquidator until nothing is
 * liquidatable and compares round by round: identical sets of liquidated positions (positions
 * within 1e-9 of health factor 1 excepted and reported), amounts and prices within 1e-6 relative.
 * The books are fixed seeds because each scenario's shape (no liquidation, one round, a cascade)
 * is a property of its book.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSync } from "../../../src/app/sync/createSync.js";
import { runValidation, type ValidationResult } from "../../../src/app/validate/runValidation.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../../src/core/snapshot/snapshot.js";
import { compareCascades } from "../../../src/core/validation/compareCascades.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

/** A default book and one with v3.3 close-rule edge cases, 600 positions each. */
const DEFAULT_BOOK = { profile: "spot", seed: 4, positions: 600 } as const;
const EDGE_BOOK = { profile: "spot", seed: 3, positions: 600, edgeCases: 0.25 } as const;

let defaultDevnet: Devnet;
let edgeDevnet: Devnet;

beforeAll(async () => {
  [defaultDevnet, edgeDevnet] = await Promise.all([startDevnet(DEFAULT_BOOK), startDevnet(EDGE_BOOK)]);
});

afterAll(async () => {
  await Promise.all([defaultDevnet?.stop(), edgeDevnet?.stop()]);
});

/** Runs one comparison on a devnet and puts the chain back to its seeded state afterwards. */
async function validate(
  devnet: Devnet,
  shock: Record<string, number>,
  gasUsd = 0,
): Promise<ValidationResult> {
  const snapshot = await devnet.clients.test.snapshot();
  try {
    return await runValidation({ devnet, shock, gasUsd });
  } finally {
    await devnet.clients.test.revert({ id: snapshot });
  }
}

/** The comparison's verdict, with every difference listed when it fails. */
function expectAgreement(result: ValidationResult): void {
  for (const boundary of result.comparison.boundary) {
    console.log(`boundary case (allowed): ${JSON.stringify(boundary)}`);
  }
  expect(result.reverted, "liquidations the chain refused").toEqual([]);
  expect(result.comparison.diffs, "round, account, field, predicted, realized").toEqual([]);
  expect(result.comparison.agree).toBe(true);
  expect(result.comparison.maxRelative).toBeLessThanOrEqual(1e-6);
  expect(result.predicted.converged).toBe(true);
  expect(result.realized.converged).toBe(true);
}

const liquidatedMarkets = (report: CascadeReport): Set<string> =>
  new Set(report.liquidations.map((l) => l.market));

describe("ground truth: the propagator's prediction against the real contracts", () => {
  it("a small shock liquidates nothing, on either side", async () => {
    const result = await validate(defaultDevnet, { WETH: -0.04 });
    expectAgreement(result);
    expect(result.predicted.liquidations).toEqual([]);
    expect(result.realized.liquidations).toEqual([]);
    // The chain did move: the snapshot's WETH price is the pair's price after the sale.
    expect(result.snapshot.assets.find((a) => a.id === "WETH")!.priceUsd).toBeCloseTo(3000 * 0.96, 6);
  });

  it("a rally that liquidates WETH borrowers on both Aave markets stops after one round", async () => {
    // USDC-collateral positions that borrowed WETH: repaying WETH buys it, but not enough to tip more.
    const result = await validate(defaultDevnet, { WETH: 0.1 });
    expectAgreement(result);
    expect(result.realized.rounds.length).toBe(1);
    expect(result.predicted.rounds.length).toBe(1);
    expect(result.realized.liquidations.length).toBeGreaterThan(1);
    expect(result.realized.liquidations.every((l) => (l.repaid.WETH ?? 0) > 0)).toBe(true);
    const logics = new Set(
      result.realized.liquidations.map((l) => {
        const market = result.snapshot.markets.find((m) => m.id === l.market)!;
        return market.protocol === "aave-v3" ? market.liquidationLogic : market.protocol;
      }),
    );
    expect([...logics].sort()).toEqual(["v3.0", "v3.3"]);
  });

  it("a cross-protocol cascade of several rounds with bad debt, on both Aave markets and Morpho", async () => {
    const result = await validate(defaultDevnet, { WETH: -0.3 });
    expectAgreement(result);
    const { realized, snapshot } = result;
    expect(realized.rounds.length).toBeGreaterThanOrEqual(3);
    expect(realized.liquidations.filter((l) => l.crossProtocol).length).toBeGreaterThan(0);
    expect(realized.totals.badDebtUsd).toBeGreaterThan(0);
    // Every market type took part: both Aave liquidation logics and Morpho Blue.
    const logicOf = new Map(
      snapshot.markets.map((m) => [m.id, m.protocol === "aave-v3" ? m.liquidationLogic : m.protocol]),
    );
    const kinds = new Set([...liquidatedMarkets(realized)].map((id) => logicOf.get(id)));
    expect([...kinds].sort()).toEqual(["morpho-blue", "v3.0", "v3.3"]);
    // Multi-collateral and eMode Aave positions were among those liquidated.
    const positionOf = new Map(snapshot.positions.map((p) => [`${p.market}|${p.account.toLowerCase()}`, p]));
    const liquidated = realized.liquidations.map((l) => positionOf.get(`${l.market}|${l.account}`)!);
    expect(liquidated.some((p) => Object.keys(p.collateral).length >= 2)).toBe(true);
    expect(liquidated.some((p) => (p.emode ?? 0) !== 0)).toBe(true);
    // Shared collateral: WETH is collateral in Aave and Morpho, and both sold it.
    const soldWeth = new Set(
      realized.liquidations.filter((l) => (l.seized.WETH ?? 0) > 0).map((l) => l.protocol),
    );
    expect([...soldWeth].sort()).toEqual(["aave-v3", "morpho-blue"]);
    expect(snapshot.positions.length).toBe(DEFAULT_BOOK.positions);
  });

  it("with gas to pay, small positions are skipped as unprofitable on both sides, round by round, and left stranded", async () => {
    const free = await validate(edgeDevnet, { WETH: -0.12 });
    const result = await validate(edgeDevnet, { WETH: -0.12 }, 60);
    expectAgreement(result);
    const { predicted, realized } = result;
    const unprofitable = (report: CascadeReport) => report.rounds.reduce((sum, r) => sum + r.unprofitable, 0);
    expect(unprofitable(realized)).toBeGreaterThan(0);
    expect(unprofitable(realized)).toBe(unprofitable(predicted));
    expect(realized.totals.stranded).toBeGreaterThan(0);
    expect(realized.totals.stranded).toBe(predicted.totals.stranded);
    // Fewer liquidations than without gas, and every one that was made paid more than the gas.
    expect(realized.totals.liquidations).toBeLessThan(free.realized.totals.liquidations);
    expect(realized.liquidations.every((l) => l.profitUsd === undefined || l.profitUsd > 0)).toBe(true);
    expect(predicted.liquidations.every((l) => (l.profitUsd ?? 1) > 0)).toBe(true);
    expect(unprofitable(free.realized)).toBe(0);
  });

  it("the V3.3 full-close and dust rules decide amounts, and the chain agrees", async () => {
    const result = await validate(edgeDevnet, { WETH: -0.12 });
    expectAgreement(result);
    const { predicted, realized } = result.closeRules;
    expect(realized.fullClose).toBeGreaterThan(0);
    expect(realized.dust).toBeGreaterThan(0);
    expect(realized.fullCloseAccounts).toEqual(predicted.fullCloseAccounts);
    expect(realized.dustAccounts).toEqual(predicted.dustAccounts);

    // By hand, on chain amounts: a dust-limited repay leaves $1,000 of the seized collateral or of
    // the debt (to a few units); a full close repays more than half the debt of a position with a side
    // under $2,000 and health above 0.95. Amounts before a liquidation = the snapshot's minus the account's earlier liquidations.
    const { snapshot } = result;
    const find = (tag: string) =>
      result.realized.liquidations.find((x) => `${x.round}|${x.market}|${x.account}` === tag)!;
    const amountsBefore = (key: string, round: number) => {
      const position = snapshot.positions.find((p) => `${p.market}|${p.account.toLowerCase()}` === key)!;
      const collateral = { ...position.collateral };
      const debt = { ...position.debt };
      for (const l of result.realized.liquidations) {
        if (`${l.market}|${l.account}` !== key || l.round >= round) continue;
        for (const [a, v] of Object.entries(l.seized)) collateral[a] = collateral[a]! - v;
        for (const [a, v] of Object.entries(l.repaid)) debt[a] = debt[a]! - v;
      }
      return { collateral, debt };
    };
    const priceAt = (round: number, asset: string) =>
      round === 1
        ? snapshot.assets.find((a) => a.id === asset)!.priceUsd
        : result.realized.rounds[round - 2]!.prices[asset]!;
    for (const tag of realized.dustAccounts) {
      const l = find(tag);
      const key = `${l.market}|${l.account}`;
      const [[collateralAsset, seized]] = Object.entries(l.seized) as [[string, number]];
      const [[debtAsset, repaid]] = Object.entries(l.repaid) as [[string, number]];
      const { collateral, debt } = amountsBefore(key, l.round);
      const collateralLeftUsd = (collateral[collateralAsset]! - seized) * priceAt(l.round, collateralAsset);
      const debtLeftUsd = (debt[debtAsset]! - repaid) * priceAt(l.round, debtAsset);
      expect(Math.min(collateralLeftUsd, debtLeftUsd)).toBeGreaterThanOrEqual(1000);
      expect(Math.min(collateralLeftUsd, debtLeftUsd)).toBeLessThan(1000.01);
    }
    for (const tag of realized.fullCloseAccounts) {
      const l = find(tag);
      const key = `${l.market}|${l.account}`;
      const [[debtAsset, repaid]] = Object.entries(l.repaid) as [[string, number]];
      const { collateral, debt } = amountsBefore(key, l.round);
      expect(l.healthFactor).toBeGreaterThan(0.95);
      // More than the 50% close factor would let through (the whole debt, or all the collateral covers).
      expect(repaid).toBeGreaterThan(0.5 * debt[debtAsset]! * (1 + 1e-6));
      const smallest = Math.min(
        debt[debtAsset]! * priceAt(l.round, debtAsset),
        ...Object.entries(collateral).map(([a, v]) => v * priceAt(l.round, a)),
      );
      expect(smallest).toBeLessThan(2000);
    }
  });
});

const SECONDS_PER_YEAR = 365 * 86_400;

/** The snapshot with every debt and collateral grown by simple interest over `seconds`. */
function accrue(snapshot: Snapshot, seconds: number, borrowApr: number, supplyApr: number): Snapshot {
  const grow = (amounts: Record<string, number>, apr: number) =>
    Object.fromEntries(
      Object.entries(amounts).map(([asset, v]) => [asset, v * (1 + (apr * seconds) / SECONDS_PER_YEAR)]),
    );
  return {
    ...snapshot,
    positions: snapshot.positions.map((p) => ({
      ...p,
      debt: grow(p.debt, borrowApr),
      collateral: grow(p.collateral, supplyApr),
    })),
  };
}

describe("what the model leaves out, measured on the cascade above (docs/validation.md)", () => {
  it("interest accrual over the cascade's blocks and the fee paid by the shock sale", async () => {
    const devnet = defaultDevnet;
    const shock = { WETH: -0.3 };
    const saved = await devnet.clients.test.snapshot();
    try {
      const sync = await createSync(parseConfig(devnet.config), {});
      await sync.start();
      const beforeShock = parseSnapshot(sync.snapshot());
      const startBlock = await devnet.clients.public.getBlockNumber();
      const result = await runValidation({ devnet, shock });
      const blocks = Number((await devnet.clients.public.getBlockNumber()) - startBlock);
      expectAgreement(result);

      // The model's shock is a fee-free arbitraged move; on chain it is a sale paying the pair's
      // 0.3%, which leaves k a little larger: round-1 prices differ by about 1e-4.
      const fromBeforeShock = compareCascades(simulate(compileBook(beforeShock), shock), result.realized);
      const round1 = fromBeforeShock.rounds[0]!;
      const wethGap = Math.abs(round1.predicted!.prices.WETH! / round1.realized!.prices.WETH! - 1);
      console.log(
        `fee-paying shock vs arbitraged shock: round-1 WETH gap ${wethGap.toExponential(2)}, ` +
          `${fromBeforeShock.diffs.filter((d) => d.field === "liquidated").length} set differences, ` +
          `largest relative difference ${fromBeforeShock.maxRelative.toExponential(2)}`,
      );
      expect(wethGap).toBeGreaterThan(1e-6);
      expect(wethGap).toBeLessThan(1e-3);

      // 5% borrow / 2% supply APR over the cascade's blocks at 12 s each, applied from the start
      // (an upper bound): no position changes side; amounts move by the accrued fraction.
      const seconds = blocks * 12;
      const accrued = simulate(compileBook(accrue(result.snapshot, seconds, 0.05, 0.02)), {});
      const withInterest = compareCascades(result.predicted, accrued);
      console.log(
        `interest over ${blocks} blocks (${seconds} s): ${withInterest.diffs.filter((d) => d.field === "liquidated").length} set differences, ` +
          `largest relative difference ${withInterest.maxRelative.toExponential(2)}, bad debt ` +
          `${result.predicted.totals.badDebtUsd.toFixed(2)} → ${accrued.totals.badDebtUsd.toFixed(2)} USD`,
      );
      expect(withInterest.diffs.filter((d) => d.field === "liquidated")).toEqual([]);
      expect(withInterest.maxRelative).toBeLessThan(1e-4);
    } finally {
      await devnet.clients.test.revert({ id: saved });
    }
  });
});
