/**
 * The liquidation rules of cascade-model.md section 4 step 3, one plain function per protocol,
 * written from the text of the model alone. A rule judges one position at the round's starting
 * prices (oracle `o` for health, amounts and bad debt; market `p` for profit) and, when it
 * liquidates, changes the position's amounts.
 */
import type {
  AaveV3MarketDoc,
  AaveV4MarketDoc,
  CompoundMarketDoc,
  DynamicConfigDoc,
  MarketDoc,
  MorphoMarketDoc,
} from "./snapshotDoc.js";

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface RefPosition {
  readonly market: MarketDoc;
  readonly account: string;
  readonly collateral: Map<string, number>;
  readonly debt: Map<string, number>;
  readonly emode: number;
  readonly dynamicConfig: Readonly<Record<string, DynamicConfigDoc>>;
  /** Written off, fully repaid or absorbed: no longer judged. */
  gone: boolean;
}

/** Prices a rule sees for one market: its oracle's report of an asset, and the asset's market price. */
export interface RulePrices {
  oracle(asset: string): number;
  market(asset: string): number;
}

export interface LiquidationOutcome {
  readonly kind: "liquidated";
  readonly healthFactor: number;
  readonly repaid: ReadonlyMap<string, number>;
  readonly seized: ReadonlyMap<string, number>;
  /** Units the liquidation sells into the market (seize minus protocol fee; none for a closed absorb). */
  readonly sold: ReadonlyMap<string, number>;
  /** Units the liquidation buys in the market (the repaid debt; none for a closed absorb). */
  readonly bought: ReadonlyMap<string, number>;
  /** Absent for a Compound absorb and for a write-off. */
  readonly profitUsd: number | undefined;
  readonly badDebtUsd: number;
}

export type Judgement =
  | { readonly kind: "healthy" }
  /** Liquidatable, but the liquidation would not pay (`profitUsd <= 0`): the position stays. */
  | { readonly kind: "unprofitable"; readonly debtUsd: number }
  /** Aave v3.3: the dust rule left nothing to repay; not liquidated this round. */
  | { readonly kind: "held" }
  | LiquidationOutcome;

function sumUsd(amounts: ReadonlyMap<string, number>, price: (asset: string) => number): number {
  let s = 0;
  for (const id of [...amounts.keys()].sort(byId)) s += amounts.get(id)! * price(id);
  return s;
}

/** The asset with the largest `amount x price` among those with a positive amount; ties: smaller id. */
function largest(
  amounts: ReadonlyMap<string, number>,
  price: (asset: string) => number,
  eligible: (asset: string) => boolean = () => true,
): string | undefined {
  let best: string | undefined;
  let bestUsd = Number.NEGATIVE_INFINITY;
  for (const id of [...amounts.keys()].sort(byId)) {
    const amount = amounts.get(id)!;
    if (!(amount > 0) || !eligible(id)) continue;
    const usd = amount * price(id);
    if (usd > bestUsd) {
      best = id;
      bestUsd = usd;
    }
  }
  return best;
}

const anyPositive = (amounts: ReadonlyMap<string, number>): boolean =>
  [...amounts.values()].some((v) => v > 0);

/**
 * Debt and no collateral at all (every amount 0): written off as a liquidation of nothing, whatever
 * the prices (such a position exists only at the start, so this happens in round 1).
 */
const noCollateralAtAll = (p: RefPosition): boolean => anyPositive(p.debt) && !anyPositive(p.collateral);

/** The write-off of a position without collateral: nothing repaid or seized, its whole debt bad. */
function writeOff(p: RefPosition, o: (asset: string) => number): LiquidationOutcome {
  const badDebtUsd = sumUsd(p.debt, o);
  for (const id of p.debt.keys()) p.debt.set(id, 0);
  p.gone = true;
  return {
    kind: "liquidated",
    healthFactor: 0,
    repaid: new Map(),
    seized: new Map(),
    sold: new Map(),
    bought: new Map(),
    profitUsd: undefined,
    badDebtUsd,
  };
}

const lessBy = (amounts: Map<string, number>, id: string, by: number): void => {
  amounts.set(id, Math.max(0, amounts.get(id)! - by));
};

/** Aave V3: effective liquidation threshold and bonus (the eMode category's for its assets). */
function aaveV3Params(m: AaveV3MarketDoc, emode: number, asset: string): { lt: number; bonus: number } {
  const reserve = m.reserves[asset]!;
  const category = emode > 0 ? m.emodes?.[String(emode)] : undefined;
  if (category?.assets.includes(asset))
    return { lt: category.liquidationThreshold, bonus: category.liquidationBonus };
  return { lt: reserve.liquidationThreshold, bonus: reserve.liquidationBonus };
}

function aaveV3(p: RefPosition, m: AaveV3MarketDoc, prices: RulePrices): Judgement {
  const o = (a: string) => prices.oracle(a);
  if (noCollateralAtAll(p)) return writeOff(p, o);
  const params = (a: string) => aaveV3Params(m, p.emode, a);
  const totalDebtUsd = sumUsd(p.debt, o);
  let weighted = 0;
  for (const id of [...p.collateral.keys()].sort(byId))
    weighted += p.collateral.get(id)! * o(id) * params(id).lt;
  if (!(totalDebtUsd > 0)) return { kind: "healthy" };
  const healthFactor = weighted / totalDebtUsd;
  if (!(healthFactor < 1)) return { kind: "healthy" };
  const gas = m.liquidationGasUsd ?? 0;
  const j = largest(p.debt, o)!;
  const i = largest(p.collateral, o, (a) => params(a).lt > 0);
  // Only collateral with liquidation threshold 0: nothing to seize, profit is -gas.
  if (i === undefined) return { kind: "unprofitable", debtUsd: totalDebtUsd };
  const dj = p.debt.get(j)!;
  const ci = p.collateral.get(i)!;
  const oj = o(j);
  const oi = o(i);
  const { bonus } = params(i);
  const closeFactor = m.closeFactor ?? 0.5;
  const threshold = m.closeFactorHfThreshold ?? 0.95;
  const logic = m.liquidationLogic ?? "v3.0";
  let maxRepay: number;
  if (logic === "v3.0") {
    maxRepay = dj * (healthFactor <= threshold ? 1 : closeFactor);
  } else {
    const fullCloseBelowUsd = m.fullCloseBelowUsd ?? 2000;
    const partial =
      ci * oi >= fullCloseBelowUsd &&
      dj * oj >= fullCloseBelowUsd &&
      healthFactor > threshold &&
      dj * oj > closeFactor * totalDebtUsd;
    maxRepay = partial ? (closeFactor * totalDebtUsd) / oj : dj;
  }
  let repay = maxRepay;
  let seize = (repay * oj * (1 + bonus)) / oi;
  if (seize > ci) {
    seize = ci;
    repay = (ci * oi) / ((1 + bonus) * oj);
  }
  if (logic === "v3.3" && repay < dj && seize < ci) {
    const minLeftoverUsd = m.minLeftoverUsd ?? 1000;
    if ((dj - repay) * oj < minLeftoverUsd || (ci - seize) * oi < minLeftoverUsd) {
      repay = Math.min(
        repay,
        dj - minLeftoverUsd / oj,
        ((ci - minLeftoverUsd / oi) * oi) / ((1 + bonus) * oj),
      );
      // Reading: a dust-blocked position is not "unprofitable"; it is simply not liquidated this round.
      if (!(repay > 0)) return { kind: "held" };
      seize = (repay * oj * (1 + bonus)) / oi;
    }
  }
  const fee = (seize - seize / (1 + bonus)) * (m.reserves[i]!.protocolFee ?? 0);
  const profitUsd = (seize - fee) * prices.market(i) - repay * prices.market(j) - gas;
  if (!(profitUsd > 0)) return { kind: "unprofitable", debtUsd: totalDebtUsd };
  lessBy(p.collateral, i, seize);
  lessBy(p.debt, j, repay);
  let badDebtUsd = 0;
  if (anyPositive(p.debt)) {
    // Reading of "no collateral value left (no collateral with lt > 0 left)": the collateral with
    // lt > 0 is worth exactly 0 at the oracle (an emptied reserve, or a price floored at 0), as in
    // version 1.
    let valueLeft = 0;
    for (const [a, c] of p.collateral) if (params(a).lt > 0) valueLeft += c * o(a);
    if (!(valueLeft > 0)) {
      badDebtUsd = sumUsd(p.debt, o);
      p.gone = true;
    }
  } else {
    p.gone = true;
  }
  return {
    kind: "liquidated",
    healthFactor,
    repaid: new Map([[j, repay]]),
    seized: new Map([[i, seize]]),
    sold: new Map([[i, seize - fee]]),
    bought: new Map([[j, repay]]),
    profitUsd,
    badDebtUsd,
  };
}

/** Aave V4: a field the position's `dynamicConfig` entry gives, else the reserve's. */
function aaveV4Params(
  p: RefPosition,
  m: AaveV4MarketDoc,
  asset: string,
): { cf: number; maxLb: number; liquidationFee: number } {
  const reserve = m.reserves[asset]!;
  const own = p.dynamicConfig[asset];
  return {
    cf: own?.collateralFactor ?? reserve.collateralFactor,
    maxLb: 1 + (own?.maxLiquidationBonus ?? reserve.maxLiquidationBonus),
    liquidationFee: own?.liquidationFee ?? reserve.liquidationFee ?? 0,
  };
}

function aaveV4(p: RefPosition, m: AaveV4MarketDoc, prices: RulePrices): Judgement {
  const o = (a: string) => prices.oracle(a);
  if (noCollateralAtAll(p)) return writeOff(p, o);
  const params = (a: string) => aaveV4Params(p, m, a);
  const totalDebtUsd = sumUsd(p.debt, o);
  let weighted = 0;
  for (const id of [...p.collateral.keys()].sort(byId))
    weighted += p.collateral.get(id)! * o(id) * params(id).cf;
  if (!(totalDebtUsd > 0)) return { kind: "healthy" };
  const healthFactor = weighted / totalDebtUsd;
  if (!(healthFactor < 1)) return { kind: "healthy" };
  const gas = m.liquidationGasUsd ?? 0;
  const dustUsd = m.dustUsd ?? 1000;
  const j = largest(p.debt, o)!;
  const i = largest(p.collateral, o, (a) => params(a).cf > 0);
  if (i === undefined) return { kind: "unprofitable", debtUsd: totalDebtUsd };
  const dj = p.debt.get(j)!;
  const ci = p.collateral.get(i)!;
  const oj = o(j);
  const oi = o(i);
  const { cf, maxLb, liquidationFee } = params(i);
  const minLb = (maxLb - 1) * m.liquidationBonusFactor + 1;
  const lb =
    healthFactor <= m.healthFactorForMaxBonus
      ? maxLb
      : minLb + ((maxLb - minLb) * (1 - healthFactor)) / (1 - m.healthFactorForMaxBonus);
  const thf = m.targetHealthFactor;
  // THF - lb cf <= 0: the target cannot be reached, the debt to target is unbounded.
  const toTargetUsd =
    thf - lb * cf <= 0 ? Number.POSITIVE_INFINITY : (totalDebtUsd * (thf - healthFactor)) / (thf - lb * cf);
  let repay = Math.min(dj, toTargetUsd / oj);
  if ((dj - repay) * oj < dustUsd) repay = dj;
  let seize = (repay * oj * lb) / oi;
  if (seize > ci) {
    seize = ci;
    repay = (ci * oi) / (lb * oj);
  } else if ((ci - seize) * oi < dustUsd && repay < dj) {
    seize = ci;
    repay = Math.min(dj, (ci * oi) / (lb * oj));
  }
  const fee = (seize - seize / lb) * liquidationFee;
  const profitUsd = (seize - fee) * prices.market(i) - repay * prices.market(j) - gas;
  if (!(profitUsd > 0)) return { kind: "unprofitable", debtUsd: totalDebtUsd };
  lessBy(p.collateral, i, seize);
  lessBy(p.debt, j, repay);
  let badDebtUsd = 0;
  if (!anyPositive(p.debt)) {
    p.gone = true;
  } else if (p.collateral.get(i) === 0) {
    // Deficit: the emptied collateral was the only one with cf > 0 and a non-zero amount.
    const other = [...p.collateral.entries()].some(([a, c]) => a !== i && c > 0 && params(a).cf > 0);
    if (!other) {
      badDebtUsd = sumUsd(p.debt, o);
      p.gone = true;
    }
  }
  return {
    kind: "liquidated",
    healthFactor,
    repaid: new Map([[j, repay]]),
    seized: new Map([[i, seize]]),
    sold: new Map([[i, seize - fee]]),
    bought: new Map([[j, repay]]),
    profitUsd,
    badDebtUsd,
  };
}

function morphoBlue(p: RefPosition, m: MorphoMarketDoc, prices: RulePrices): Judgement {
  const o = (a: string) => prices.oracle(a);
  if (noCollateralAtAll(p)) return writeOff(p, o);
  const c = p.collateral.get(m.collateral) ?? 0;
  const d = p.debt.get(m.loan) ?? 0;
  const oc = o(m.collateral);
  const ol = o(m.loan);
  if (!(d * ol > c * oc * m.lltv)) return { kind: "healthy" };
  const healthFactor = (c * oc * m.lltv) / (d * ol);
  const lif = Math.min(1.15, 1 / (0.3 * m.lltv + 0.7));
  const seize = Math.min(c, (d * ol * lif) / oc);
  const repay = (seize * oc) / (lif * ol);
  const profitUsd =
    seize * prices.market(m.collateral) - repay * prices.market(m.loan) - (m.liquidationGasUsd ?? 0);
  if (!(profitUsd > 0)) return { kind: "unprofitable", debtUsd: d * ol };
  lessBy(p.collateral, m.collateral, seize);
  lessBy(p.debt, m.loan, repay);
  const dLeft = p.debt.get(m.loan)!;
  // "c = 0" read as no collateral value left: c o_coll is exactly 0 (as in version 1).
  const noValueLeft = !(p.collateral.get(m.collateral)! * oc > 0);
  const badDebtUsd = dLeft > 0 && noValueLeft ? dLeft * ol : 0;
  if (dLeft === 0 || noValueLeft) p.gone = true;
  return {
    kind: "liquidated",
    healthFactor,
    repaid: new Map([[m.loan, repay]]),
    seized: new Map([[m.collateral, seize]]),
    sold: new Map([[m.collateral, seize]]),
    bought: new Map([[m.loan, repay]]),
    profitUsd,
    badDebtUsd,
  };
}

function compoundV3(p: RefPosition, m: CompoundMarketDoc, prices: RulePrices): Judgement {
  const o = (a: string) => prices.oracle(a);
  if (noCollateralAtAll(p)) return writeOff(p, o);
  const d = p.debt.get(m.base) ?? 0;
  const debtUsd = d * o(m.base);
  let weighted = 0;
  let covered = 0;
  for (const id of [...p.collateral.keys()].sort(byId)) {
    const usd = p.collateral.get(id)! * o(id);
    weighted += usd * m.collaterals[id]!.liquidateCollateralFactor;
    covered += usd * m.collaterals[id]!.liquidationFactor;
  }
  if (!(weighted < debtUsd)) return { kind: "healthy" };
  const seized = new Map<string, number>();
  for (const id of [...p.collateral.keys()].sort(byId)) {
    const c = p.collateral.get(id)!;
    if (c > 0) seized.set(id, c);
    p.collateral.set(id, 0);
  }
  p.debt.set(m.base, 0);
  p.gone = true;
  const sells = m.sellsAbsorbed ?? true;
  return {
    kind: "liquidated",
    healthFactor: weighted / debtUsd,
    repaid: new Map([[m.base, d]]),
    seized,
    sold: sells ? new Map(seized) : new Map(),
    bought: sells ? new Map([[m.base, d]]) : new Map(),
    profitUsd: undefined,
    badDebtUsd: Math.max(0, debtUsd - covered),
  };
}

/** Judges (and, when it is liquidated, changes) one position at the round's starting prices. */
export function judgePosition(p: RefPosition, prices: RulePrices): Judgement {
  const m = p.market;
  switch (m.protocol) {
    case "aave-v3":
      return aaveV3(p, m, prices);
    case "aave-v4":
      return aaveV4(p, m, prices);
    case "morpho-blue":
      return morphoBlue(p, m, prices);
    case "compound-v3":
      return compoundV3(p, m, prices);
  }
}

/** Whole debt of a position at its market's oracle prices (what an unprofitable skip leaves unpaid). */
export function debtUsdOf(p: RefPosition, prices: RulePrices): number {
  return sumUsd(p.debt, (a) => prices.oracle(a));
}
