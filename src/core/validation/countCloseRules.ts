/**
 * Which Aave v3.3 rules decided the amounts of a cascade's liquidations: replays the positions of
 * the snapshot through the report's liquidations and, for each v3.3 liquidation, asks whether the
 * full-close exemption or the dust rule set the repay. Pure.
 */
import type { CascadeReport } from "../report/cascadeReport.js";
import { aaveEffectiveCollateralParams, aaveMaxRepay } from "../rules/aaveV3.js";
import type { AaveMarketData, SnapshotData } from "../snapshot/schema.js";

/** A repay this much below the capped maximum was lowered by the dust rule (the chain shaves 1e-9). */
const LOWERED = 1e-7;

export interface CloseRuleCounts {
  /** v3.3 liquidations of a position whose health was above the close-factor threshold. */
  readonly v33AboveThreshold: number;
  /** … of which the small-position exemption allowed more than the close factor (`fullCloseBelowUsd`). */
  readonly fullClose: number;
  /** v3.3 liquidations whose repay the dust rule lowered (leftovers kept at `minLeftoverUsd`). */
  readonly dust: number;
  /** Liquidations of each kind, `round|market|account`. */
  readonly fullCloseAccounts: readonly string[];
  readonly dustAccounts: readonly string[];
}

/**
 * Counts, among the report's liquidations on `v3.3` Aave markets, those where the full-close
 * exemption (a side worth less than `fullCloseBelowUsd`, health above the threshold, the debt
 * asset more than the close factor of the debt) or the dust rule decided the amount. Prices at a
 * round's start are the snapshot's for round 1 (the report must simulate no further shock) and the
 * previous round's after that.
 */
export function countCloseRules(snapshot: SnapshotData, report: CascadeReport): CloseRuleCounts {
  const markets = new Map(
    snapshot.markets
      .filter((m): m is AaveMarketData => m.protocol === "aave-v3" && m.liquidationLogic === "v3.3")
      .map((m) => [m.id, m]),
  );
  const positions = new Map(
    snapshot.positions
      .filter((p) => markets.has(p.market))
      .map((p) => [
        `${p.market}|${p.account.toLowerCase()}`,
        { collateral: { ...p.collateral }, debt: { ...p.debt }, emode: p.emode ?? 0 },
      ]),
  );
  const snapshotPrices = Object.fromEntries(snapshot.assets.map((a) => [a.id, a.priceUsd]));
  let v33AboveThreshold = 0;
  const fullCloseAccounts: string[] = [];
  const dustAccounts: string[] = [];
  for (const liquidation of report.liquidations) {
    const market = markets.get(liquidation.market);
    const id = `${liquidation.market}|${liquidation.account.toLowerCase()}`;
    const position = positions.get(id);
    if (market === undefined || position === undefined) continue;
    const prices =
      liquidation.round === 1
        ? snapshotPrices
        : (report.rounds[liquidation.round - 2]?.prices ?? snapshotPrices);
    const [debtAsset, repaid] = Object.entries(liquidation.repaid)[0] ?? [];
    const [collateralAsset, seized] = Object.entries(liquidation.seized)[0] ?? [];
    if (debtAsset === undefined || collateralAsset === undefined) continue;
    const pD = prices[debtAsset]!;
    const pC = prices[collateralAsset]!;
    const d = position.debt[debtAsset] ?? 0;
    const c = position.collateral[collateralAsset] ?? 0;
    let totalDebtUsd = 0;
    for (const [asset, amount] of Object.entries(position.debt)) totalDebtUsd += amount * prices[asset]!;
    const bonus =
      aaveEffectiveCollateralParams(market, position.emode, collateralAsset)?.liquidationBonus ?? 0;
    const maxRepay = aaveMaxRepay(market, liquidation.healthFactor, c * pC, d, pD, totalDebtUsd);
    const cappedRepay = (maxRepay * pD * (1 + bonus)) / pC > c ? (c * pC) / ((1 + bonus) * pD) : maxRepay;
    if (liquidation.healthFactor > market.closeFactorHfThreshold) {
      v33AboveThreshold++;
      if (maxRepay >= d && repaid! * pD > market.closeFactor * totalDebtUsd * (1 + LOWERED))
        fullCloseAccounts.push(`${liquidation.round}|${id}`);
    }
    if (repaid! < cappedRepay * (1 - LOWERED)) dustAccounts.push(`${liquidation.round}|${id}`);
    position.debt[debtAsset] = d - repaid!;
    position.collateral[collateralAsset] = c - seized!;
  }
  return {
    v33AboveThreshold,
    fullClose: fullCloseAccounts.length,
    dust: dustAccounts.length,
    fullCloseAccounts,
    dustAccounts,
  };
}
