/**
 * A second, deliberately naive implementation of cascade-model.md sections 2-4, written
 * independently of `src/core` from the text of the model alone. Plain objects and maps, no
 * typed arrays, no shortcuts: it exists so the fast propagator can be checked against it.
 */
import type { AaveMarketData, AssetData, MarketData, SnapshotData } from "../../src/core/snapshot/schema.js";

interface Pool {
  x: number;
  y: number;
  fee: number;
}

interface RefPosition {
  market: MarketData;
  account: string;
  collateral: Map<string, number>;
  debt: Map<string, number>;
  emode: number;
  gone: boolean;
}

export interface RefLiquidation {
  round: number;
  market: string;
  account: string;
  protocol: string;
  healthFactor: number;
  repaid: Record<string, number>;
  seized: Record<string, number>;
  repaidUsd: number;
  seizedUsd: number;
  badDebtUsd: number;
  cause: "shock" | "cascade";
  sources: string[];
  crossProtocol: boolean;
}

export interface RefRound {
  round: number;
  liquidations: number;
  repaidUsd: number;
  soldUsd: number;
  badDebtUsd: number;
  liquidityExhausted: boolean;
  prices: Record<string, number>;
}

export interface RefReport {
  converged: boolean;
  rounds: RefRound[];
  liquidations: RefLiquidation[];
  totals: {
    liquidations: number;
    positionsLiquidated: number;
    repaidUsd: number;
    badDebtUsd: number;
    byProtocol: Record<string, { liquidations: number; repaidUsd: number; badDebtUsd: number }>;
  };
  initialPrices: Record<string, number>;
  finalPrices: Record<string, number>;
  amplification: Record<string, number>;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

class Market {
  readonly price = new Map<string, number>();
  readonly pool = new Map<string, Pool>();
  readonly leader = new Map<string, { asset: string; beta: number }>();
  readonly order: string[] = [];

  constructor(assets: readonly AssetData[]) {
    for (const a of assets) {
      this.price.set(a.id, a.priceUsd);
      const l = a.liquidity;
      if (l.kind === "pool")
        this.pool.set(a.id, {
          x: l.reserveAsset,
          y: l.reserveQuote ?? l.reserveUsd ?? Number.NaN,
          fee: l.feeBps / 10000,
        });
      if (l.kind === "depth") {
        const x = l.depthUsd / (a.priceUsd * (1 / Math.sqrt(1 - l.depthPct) - 1));
        this.pool.set(a.id, { x, y: x * a.priceUsd, fee: l.feeBps / 10000 });
      }
      if (a.follows) this.leader.set(a.id, a.follows);
    }
    // Topological order of followers: leaders first.
    const seen = new Set<string>();
    const visit = (id: string): void => {
      if (seen.has(id)) return;
      const l = this.leader.get(id);
      if (l) visit(l.asset);
      seen.add(id);
      if (l) this.order.push(id);
    };
    for (const a of assets) visit(a.id);
  }

  /** Exogenous move to `target`, keeping k = x y. */
  moveTo(asset: string, target: number): void {
    const pool = this.pool.get(asset);
    if (pool) {
      const k = pool.x * pool.y;
      pool.x = Math.sqrt(k / target);
      pool.y = Math.sqrt(k * target);
    }
    this.price.set(asset, target);
  }

  sell(asset: string, a: number): void {
    const pool = this.pool.get(asset);
    if (!pool) return;
    const out = (a * (1 - pool.fee) * pool.y) / (pool.x + a * (1 - pool.fee));
    pool.x += a;
    pool.y -= out;
    this.price.set(asset, pool.y / pool.x);
  }

  /** Returns true when the buy had to be capped. */
  buy(asset: string, wanted: number): boolean {
    const pool = this.pool.get(asset);
    if (!pool) return false;
    let b = wanted;
    let capped = false;
    if (b > 0.99 * pool.x) {
      b = 0.99 * pool.x;
      capped = true;
    }
    const paid = (pool.y * b) / ((pool.x - b) * (1 - pool.fee));
    pool.x -= b;
    pool.y += paid;
    this.price.set(asset, pool.y / pool.x);
    return capped;
  }

  /** The second half of a step: followers move with their leaders' ratio over the whole step. */
  follow(before: ReadonlyMap<string, number>): void {
    for (const id of this.order) {
      const l = this.leader.get(id)!;
      const r = this.price.get(l.asset)! / before.get(l.asset)!;
      const next = Math.max(0, this.price.get(id)! * (1 + l.beta * (r - 1)));
      this.moveTo(id, next);
    }
  }

  leadersOf(asset: string): string[] {
    const out: string[] = [];
    let l = this.leader.get(asset);
    while (l) {
      out.push(l.asset);
      l = this.leader.get(l.asset);
    }
    return out;
  }

  snapshotPrices(): Record<string, number> {
    return Object.fromEntries(this.price);
  }
}

function aaveParams(
  m: AaveMarketData,
  emode: number,
  asset: string,
): { lt: number; bonus: number; fee: number } {
  const r = m.reserves[asset]!;
  const e = emode > 0 ? m.emodes[String(emode)] : undefined;
  if (e?.assets.includes(asset))
    return { lt: e.liquidationThreshold, bonus: e.liquidationBonus, fee: r.protocolFee };
  return { lt: r.liquidationThreshold, bonus: r.liquidationBonus, fee: r.protocolFee };
}

function largest(
  amounts: ReadonlyMap<string, number>,
  price: ReadonlyMap<string, number>,
): string | undefined {
  let best: string | undefined;
  let bestUsd = -1;
  for (const id of [...amounts.keys()].sort(byId)) {
    const usd = amounts.get(id)! * price.get(id)!;
    if (amounts.get(id)! > 0 && usd > bestUsd) {
      best = id;
      bestUsd = usd;
    }
  }
  return best;
}

function sumUsd(amounts: ReadonlyMap<string, number>, price: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const [id, v] of amounts) s += v * price.get(id)!;
  return s;
}

interface Outcome {
  healthFactor: number;
  repaid: Map<string, number>;
  seized: Map<string, number>;
  sold: Map<string, number>;
}

function healthFactorOf(p: RefPosition, price: ReadonlyMap<string, number>): number {
  const m = p.market;
  const debtUsd = sumUsd(p.debt, price);
  let weighted = 0;
  if (m.protocol === "aave-v3") {
    for (const [id, c] of p.collateral) weighted += c * price.get(id)! * aaveParams(m, p.emode, id).lt;
  } else if (m.protocol === "morpho-blue") {
    weighted = (p.collateral.get(m.collateral) ?? 0) * price.get(m.collateral)! * m.lltv;
  } else if (m.protocol === "compound-v3") {
    for (const [id, c] of p.collateral)
      weighted += c * price.get(id)! * m.collaterals[id]!.liquidateCollateralFactor;
  }
  return debtUsd > 0 ? weighted / debtUsd : Number.POSITIVE_INFINITY;
}

function liquidate(p: RefPosition, price: ReadonlyMap<string, number>): Outcome | undefined {
  const m = p.market;
  const hf = healthFactorOf(p, price);
  if (!(hf < 1)) return undefined;
  const out: Outcome = { healthFactor: hf, repaid: new Map(), seized: new Map(), sold: new Map() };
  if (m.protocol === "aave-v3") {
    const j = largest(p.debt, price);
    const i = largest(p.collateral, price);
    if (j === undefined || i === undefined) return undefined;
    const dj = p.debt.get(j)!;
    const ci = p.collateral.get(i)!;
    const pj = price.get(j)!;
    const pi = price.get(i)!;
    const { bonus, fee } = aaveParams(m, p.emode, i);
    let maxRepay: number;
    if (m.liquidationLogic === "v3.0") {
      maxRepay = dj * (hf <= m.closeFactorHfThreshold ? 1 : m.closeFactor);
    } else {
      const totalDebtUsd = sumUsd(p.debt, price);
      const partial =
        ci * pi >= m.fullCloseBelowUsd &&
        dj * pj >= m.fullCloseBelowUsd &&
        hf > m.closeFactorHfThreshold &&
        dj * pj > m.closeFactor * totalDebtUsd;
      maxRepay = partial ? (m.closeFactor * totalDebtUsd) / pj : dj;
    }
    let repay = maxRepay;
    let seize = (repay * pj * (1 + bonus)) / pi;
    if (seize > ci) {
      seize = ci;
      repay = (ci * pi) / ((1 + bonus) * pj);
    }
    if (m.liquidationLogic === "v3.3" && repay < dj && seize < ci) {
      const dustDebt = (dj - repay) * pj < m.minLeftoverUsd;
      const dustColl = (ci - seize) * pi < m.minLeftoverUsd;
      if (dustDebt || dustColl) {
        repay = Math.min(
          repay,
          dj - m.minLeftoverUsd / pj,
          ((ci - m.minLeftoverUsd / pi) * pi) / ((1 + bonus) * pj),
        );
        if (!(repay > 0)) return undefined;
        seize = (repay * pj * (1 + bonus)) / pi;
      }
    }
    const protocolFee = (seize - seize / (1 + bonus)) * fee;
    out.repaid.set(j, repay);
    out.seized.set(i, seize);
    out.sold.set(i, seize - protocolFee);
    p.debt.set(j, dj - repay);
    p.collateral.set(i, ci - seize);
    return out;
  }
  if (m.protocol === "morpho-blue") {
    const lif = Math.min(1.15, 1 / (0.3 * m.lltv + 0.7));
    const c = p.collateral.get(m.collateral) ?? 0;
    const d = p.debt.get(m.loan) ?? 0;
    const pc = price.get(m.collateral)!;
    const pl = price.get(m.loan)!;
    const seize = Math.min(c, (d * pl * lif) / pc);
    const repay = (seize * pc) / (lif * pl);
    out.repaid.set(m.loan, repay);
    out.seized.set(m.collateral, seize);
    out.sold.set(m.collateral, seize);
    p.debt.set(m.loan, d - repay);
    p.collateral.set(m.collateral, c - seize);
    return out;
  }
  if (m.protocol !== "compound-v3") return out;
  const d = p.debt.get(m.base) ?? 0;
  out.repaid.set(m.base, d);
  for (const [id, c] of p.collateral) {
    if (c > 0) {
      out.seized.set(id, c);
      out.sold.set(id, c);
    }
    p.collateral.set(id, 0);
  }
  p.debt.set(m.base, 0);
  return out;
}

export function referenceSimulate(
  snapshot: SnapshotData,
  shock: Readonly<Record<string, number>>,
  maxRounds = 50,
): RefReport {
  const market = new Market(snapshot.assets);
  const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
  const positions: RefPosition[] = snapshot.positions.map((p) => ({
    market: markets.get(p.market)!,
    account: p.account,
    collateral: new Map(Object.entries(p.collateral)),
    debt: new Map(Object.entries(p.debt)),
    emode: p.emode ?? 0,
    gone: false,
  }));
  const initialPrices = market.snapshotPrices();

  // Step 1: the shock.
  const before = new Map(market.price);
  for (const [asset, s] of Object.entries(shock)) market.moveTo(asset, market.price.get(asset)! * (1 + s));
  market.follow(before);
  const afterShock = market.snapshotPrices();

  const rounds: RefRound[] = [];
  const liquidations: RefLiquidation[] = [];
  let converged = true;
  // Per asset, the protocols whose liquidations traded it in the previous round (non-zero net, not infinite).
  let movedBy = new Map<string, Set<string>>();

  for (let r = 1; ; r++) {
    if (r > maxRounds) {
      converged = false;
      break;
    }
    const price = new Map(market.price);
    const net = new Map<string, number>();
    const traders = new Map<string, Set<string>>();
    const round: RefRound = {
      round: r,
      liquidations: 0,
      repaidUsd: 0,
      soldUsd: 0,
      badDebtUsd: 0,
      liquidityExhausted: false,
      prices: {},
    };
    const roundLiquidations: RefLiquidation[] = [];
    for (const p of positions) {
      if (p.gone) continue;
      const held = new Set<string>();
      for (const [id, v] of p.collateral) if (v !== 0) held.add(id);
      for (const [id, v] of p.debt) if (v !== 0) held.add(id);
      const o = liquidate(p, price);
      if (!o) continue;
      const protocol = p.market.protocol;
      for (const [id, v] of o.sold) {
        net.set(id, (net.get(id) ?? 0) + v);
        if (v !== 0) (traders.get(id) ?? traders.set(id, new Set()).get(id)!).add(protocol);
      }
      for (const [id, v] of o.repaid) {
        net.set(id, (net.get(id) ?? 0) - v);
        if (v !== 0) (traders.get(id) ?? traders.set(id, new Set()).get(id)!).add(protocol);
      }
      let badDebtUsd = 0;
      if (p.market.protocol === "compound-v3") {
        const m = p.market;
        const d = o.repaid.get(m.base)!;
        let covered = 0;
        for (const [id, c] of o.seized) covered += c * price.get(id)! * m.collaterals[id]!.liquidationFactor;
        badDebtUsd = Math.max(0, d * price.get(m.base)! - covered);
        p.gone = true;
      } else {
        const debtLeftUsd = sumUsd(p.debt, price);
        const anyDebt = [...p.debt.values()].some((v) => v > 0);
        if (anyDebt && sumUsd(p.collateral, price) <= 0) {
          badDebtUsd = debtLeftUsd;
          p.gone = true;
        }
      }
      const sources = new Set<string>();
      if (r > 1) {
        for (const id of held) {
          for (const t of [id, ...market.leadersOf(id)]) for (const s of movedBy.get(t) ?? []) sources.add(s);
        }
      }
      const sorted = [...sources].sort(byId);
      roundLiquidations.push({
        round: r,
        market: p.market.id,
        account: p.account,
        protocol,
        healthFactor: o.healthFactor,
        repaid: Object.fromEntries(o.repaid),
        seized: Object.fromEntries(o.seized),
        repaidUsd: sumUsd(o.repaid, price),
        seizedUsd: sumUsd(o.seized, price),
        badDebtUsd,
        cause: r === 1 ? "shock" : "cascade",
        sources: sorted,
        crossProtocol: sorted.some((s) => s !== protocol),
      });
      round.liquidations += 1;
      round.repaidUsd += sumUsd(o.repaid, price);
      round.soldUsd += sumUsd(o.sold, price);
      round.badDebtUsd += badDebtUsd;
    }
    if (round.liquidations === 0) break;

    // Step 4: the round's trades, then followers.
    const stepStart = new Map(market.price);
    movedBy = new Map();
    for (const [id, n] of net) {
      if (n === 0 || !market.pool.has(id)) continue;
      if (n > 0) market.sell(id, n);
      else if (market.buy(id, -n)) round.liquidityExhausted = true;
      movedBy.set(id, traders.get(id) ?? new Set());
    }
    market.follow(stepStart);
    round.prices = market.snapshotPrices();
    rounds.push(round);
    liquidations.push(...roundLiquidations);
  }

  liquidations.sort((a, b) => a.round - b.round || byId(a.market, b.market) || byId(a.account, b.account));
  const byProtocol: RefReport["totals"]["byProtocol"] = {};
  for (const l of liquidations) {
    const t = byProtocol[l.protocol] ?? { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
    byProtocol[l.protocol] = t;
    t.liquidations += 1;
    t.repaidUsd += l.repaidUsd;
    t.badDebtUsd += l.badDebtUsd;
  }
  const finalPrices = market.snapshotPrices();
  const amplification: Record<string, number> = {};
  for (const [asset, s] of Object.entries(shock)) {
    // 0/0 when the shock step did not lower the price (docs/model.md): left out, as the engine does.
    if (s < 0 && afterShock[asset]! < initialPrices[asset]!) {
      amplification[asset] =
        (1 - finalPrices[asset]! / initialPrices[asset]!) / (1 - afterShock[asset]! / initialPrices[asset]!);
    }
  }
  return {
    converged,
    rounds,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: new Set(liquidations.map((l) => `${l.market}\u0000${l.account}`)).size,
      repaidUsd: liquidations.reduce((s, l) => s + l.repaidUsd, 0),
      badDebtUsd: liquidations.reduce((s, l) => s + l.badDebtUsd, 0),
      byProtocol,
    },
    initialPrices,
    finalPrices,
    amplification,
  };
}
