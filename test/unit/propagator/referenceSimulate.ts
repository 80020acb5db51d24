/**
 * A second, deliberately plain implementation of cascade-model.md section 3 for tests: maps of
 * objects instead of typed arrays, every position judged every round, the plain-object rule
 * functions, its own pool arithmetic. The engine must agree with it to 1e-9 relative.
 */

import type { Protocol } from "../../../src/core/ids.js";
import type {
  CascadeReport,
  LiquidationRecord,
  RoundSummary,
} from "../../../src/core/report/cascadeReport.js";
import { aaveEffectiveCollateralParams, decideAaveLiquidation } from "../../../src/core/rules/aaveV3.js";
import { decideCompoundAbsorb } from "../../../src/core/rules/compoundV3.js";
import { decideMorphoLiquidation } from "../../../src/core/rules/morphoBlue.js";
import type { MarketData, SnapshotData } from "../../../src/core/snapshot/schema.js";

interface AssetState {
  price: number;
  x: number;
  y: number;
  readonly infinite: boolean;
  readonly fee: number;
  readonly leader: string | undefined;
  readonly beta: number;
}

interface PositionState {
  readonly market: MarketData;
  readonly account: string;
  readonly emode: number;
  readonly collateral: Map<string, number>;
  readonly debt: Map<string, number>;
  gone: boolean;
}

export function referenceSimulate(
  snapshot: SnapshotData,
  shock: Record<string, number>,
  maxRounds = 50,
): CascadeReport {
  const assets = new Map<string, AssetState>();
  for (const a of [...snapshot.assets].sort((p, q) => (p.id < q.id ? -1 : 1))) {
    const l = a.liquidity;
    let x = Number.NaN;
    let y = Number.NaN;
    if (l.kind === "pool") {
      x = l.reserveAsset;
      y = l.reserveUsd;
    } else if (l.kind === "depth") {
      x = l.depthUsd / (a.priceUsd * (1 / Math.sqrt(1 - l.depthPct) - 1));
      y = x * a.priceUsd;
    }
    assets.set(a.id, {
      price: a.priceUsd,
      x,
      y,
      infinite: l.kind === "infinite",
      fee: l.kind === "infinite" ? 0 : l.feeBps / 10_000,
      leader: a.follows?.asset,
      beta: a.follows?.beta ?? 0,
    });
  }
  const chainLength = (id: string): number => {
    const leader = assets.get(id)?.leader;
    return leader === undefined ? 0 : 1 + chainLength(leader);
  };
  const followers = [...assets.keys()]
    .filter((id) => assets.get(id)?.leader !== undefined)
    .sort((p, q) => chainLength(p) - chainLength(q) || (p < q ? -1 : 1));
  const prices = () => Object.fromEntries([...assets].map(([id, s]) => [id, s.price]));
  const arbitrage = (s: AssetState, price: number) => {
    s.price = price;
    if (s.infinite) return;
    const k = s.x * s.y;
    s.x = Math.sqrt(k / price);
    s.y = Math.sqrt(k * price);
  };
  const moveFollowers = (before: Record<string, number>) => {
    for (const id of followers) {
      const s = assets.get(id)!;
      const leader = s.leader!;
      const old = before[leader]!;
      const r = old > 0 ? assets.get(leader)!.price / old : 1;
      arbitrage(s, s.price * Math.max(0, 1 + s.beta * (r - 1)));
    }
  };

  const initialPrices = prices();
  for (const [id, s] of Object.entries(shock)) arbitrage(assets.get(id)!, assets.get(id)!.price * (1 + s));
  moveFollowers(initialPrices);
  const afterShock = prices();

  const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
  const positions: PositionState[] = snapshot.positions
    .map((p) => ({
      market: markets.get(p.market)!,
      account: p.account,
      emode: p.emode ?? 0,
      collateral: new Map(Object.entries(p.collateral)),
      debt: new Map(Object.entries(p.debt)),
      gone: false,
    }))
    .sort((p, q) =>
      p.market.id < q.market.id ? -1 : p.market.id > q.market.id ? 1 : p.account < q.account ? -1 : 1,
    );

  const rounds: RoundSummary[] = [];
  const liquidations: LiquidationRecord[] = [];
  const liquidated = new Set<PositionState>();
  let movedBy = new Map<string, Set<Protocol>>();
  let converged = false;
  for (let round = 1; round <= maxRounds; round++) {
    const p = prices();
    const sold = new Map<string, number>();
    const repaidTokens = new Map<string, number>();
    const tradedBy = new Map<string, Set<Protocol>>();
    const trade = (book: Map<string, number>, asset: string, amount: number, protocol: Protocol) => {
      if (!(amount > 0)) return;
      book.set(asset, (book.get(asset) ?? 0) + amount);
      const set = tradedBy.get(asset) ?? new Set();
      set.add(protocol);
      tradedBy.set(asset, set);
    };
    let count = 0;
    let repaidUsdSum = 0;
    let soldUsd = 0;
    let badSum = 0;
    for (const pos of positions) {
      if (pos.gone) continue;
      const m = pos.market;
      const sources = new Set<Protocol>();
      for (const [asset, amount] of [...pos.collateral, ...pos.debt]) {
        if (amount !== 0) for (const s of movedBy.get(asset) ?? []) sources.add(s);
      }
      let record: Omit<LiquidationRecord, "round" | "cause" | "sources" | "crossProtocol"> | undefined;
      if (m.protocol === "aave-v3") {
        const collateral = [...pos.collateral].map(([asset, amount]) => ({
          asset,
          amount,
          priceUsd: p[asset]!,
          ...aaveEffectiveCollateralParams(m, pos.emode, asset)!,
        }));
        const debt = [...pos.debt].map(([asset, amount]) => ({ asset, amount, priceUsd: p[asset]! }));
        const d = decideAaveLiquidation({ market: m, collateral, debt });
        if (!d.liquidated || d.debtAsset === null) continue;
        pos.debt.set(d.debtAsset, Math.max(0, pos.debt.get(d.debtAsset)! - d.repay));
        trade(repaidTokens, d.debtAsset, d.repay, "aave-v3");
        const seized: Record<string, number> = {};
        if (d.collateralAsset !== null) {
          pos.collateral.set(
            d.collateralAsset,
            Math.max(0, pos.collateral.get(d.collateralAsset)! - d.seize),
          );
          trade(sold, d.collateralAsset, d.sold, "aave-v3");
          soldUsd += d.sold > 0 ? d.sold * p[d.collateralAsset]! : 0;
          seized[d.collateralAsset] = d.seize;
        }
        if (d.badDebtUsd > 0 || ![...pos.debt.values()].some((v) => v > 0)) pos.gone = true;
        record = {
          market: m.id,
          account: pos.account,
          protocol: "aave-v3",
          healthFactor: d.healthFactor,
          repaid: { [d.debtAsset]: d.repay },
          seized,
          repaidUsd: d.repay * p[d.debtAsset]!,
          seizedUsd: d.collateralAsset === null ? 0 : d.seize * p[d.collateralAsset]!,
          badDebtUsd: d.badDebtUsd,
        };
      } else if (m.protocol === "morpho-blue") {
        const c = pos.collateral.get(m.collateral) ?? 0;
        const debt = pos.debt.get(m.loan) ?? 0;
        const d = decideMorphoLiquidation({
          lltv: m.lltv,
          collateral: c,
          collateralPriceUsd: p[m.collateral]!,
          debt,
          loanPriceUsd: p[m.loan]!,
        });
        if (!d.liquidatable) continue;
        if (pos.collateral.has(m.collateral)) pos.collateral.set(m.collateral, Math.max(0, c - d.seize));
        pos.debt.set(m.loan, Math.max(0, debt - d.repay));
        trade(sold, m.collateral, d.seize, "morpho-blue");
        trade(repaidTokens, m.loan, d.repay, "morpho-blue");
        soldUsd += d.seize > 0 ? d.seize * p[m.collateral]! : 0;
        if (d.badDebtUsd > 0 || !(pos.debt.get(m.loan)! > 0)) pos.gone = true;
        record = {
          market: m.id,
          account: pos.account,
          protocol: "morpho-blue",
          healthFactor: d.healthFactor,
          repaid: { [m.loan]: d.repay },
          seized: pos.collateral.has(m.collateral) ? { [m.collateral]: d.seize } : {},
          repaidUsd: d.repay * p[m.loan]!,
          seizedUsd: d.seize * p[m.collateral]!,
          badDebtUsd: d.badDebtUsd,
        };
      } else {
        const collateral = [...pos.collateral].map(([asset, amount]) => ({
          asset,
          amount,
          priceUsd: p[asset]!,
          ...m.collaterals[asset]!,
        }));
        const debt = pos.debt.get(m.base) ?? 0;
        const d = decideCompoundAbsorb({ collateral, debt, basePriceUsd: p[m.base]! });
        if (!d.liquidatable) continue;
        let seizedUsd = 0;
        for (const [asset, amount] of Object.entries(d.seized)) {
          trade(sold, asset, amount, "compound-v3");
          seizedUsd += amount * p[asset]!;
          soldUsd += amount * p[asset]!;
        }
        trade(repaidTokens, m.base, d.repay, "compound-v3");
        for (const k of pos.collateral.keys()) pos.collateral.set(k, 0);
        pos.debt.set(m.base, 0);
        pos.gone = true;
        record = {
          market: m.id,
          account: pos.account,
          protocol: "compound-v3",
          healthFactor: d.healthFactor,
          repaid: d.repay > 0 ? { [m.base]: d.repay } : {},
          seized: d.seized,
          repaidUsd: d.repay * p[m.base]!,
          seizedUsd,
          badDebtUsd: d.badDebtUsd,
        };
      }
      count++;
      repaidUsdSum += record.repaidUsd;
      badSum += record.badDebtUsd;
      liquidated.add(pos);
      const list = round === 1 ? [] : [...sources].sort();
      liquidations.push({
        ...record,
        round,
        cause: round === 1 ? "shock" : "cascade",
        sources: list,
        crossProtocol: list.some((s) => s !== record.protocol),
      });
    }
    if (count === 0) {
      converged = true;
      break;
    }
    const before = prices();
    let exhausted = false;
    const nextMoved = new Map<string, Set<Protocol>>();
    for (const [id, s] of assets) {
      const net = (sold.get(id) ?? 0) - (repaidTokens.get(id) ?? 0);
      if (net === 0 || s.infinite) continue;
      nextMoved.set(id, new Set(tradedBy.get(id)));
      if (net > 0) {
        const out = (net * (1 - s.fee) * s.y) / (s.x + net * (1 - s.fee));
        s.x += net;
        s.y -= out;
      } else {
        let b = -net;
        if (b > 0.99 * s.x) {
          b = 0.99 * s.x;
          exhausted = true;
        }
        const paid = (s.y * b) / ((s.x - b) * (1 - s.fee));
        s.x -= b;
        s.y += paid;
      }
      s.price = s.y / s.x;
    }
    moveFollowers(before);
    for (const id of followers) {
      const inherited = nextMoved.get(assets.get(id)!.leader!);
      if (inherited === undefined) continue;
      const own = nextMoved.get(id) ?? new Set();
      for (const s of inherited) own.add(s);
      nextMoved.set(id, own);
    }
    movedBy = nextMoved;
    rounds.push({
      round,
      liquidations: count,
      repaidUsd: repaidUsdSum,
      soldUsd,
      badDebtUsd: badSum,
      liquidityExhausted: exhausted,
      prices: prices(),
    });
  }
  const finalPrices = prices();
  const byProtocol: Record<string, { liquidations: number; repaidUsd: number; badDebtUsd: number }> = {};
  for (const proto of ["aave-v3", "morpho-blue", "compound-v3"] as const) {
    if (snapshot.markets.some((m) => m.protocol === proto))
      byProtocol[proto] = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
  }
  for (const l of liquidations) {
    const t = byProtocol[l.protocol]!;
    t.liquidations++;
    t.repaidUsd += l.repaidUsd;
    t.badDebtUsd += l.badDebtUsd;
  }
  const amplification: Record<string, number> = {};
  for (const [id, s] of Object.entries(shock)) {
    const drop = 1 - afterShock[id]! / initialPrices[id]!;
    if (s < 0 && drop > 0) amplification[id] = (1 - finalPrices[id]! / initialPrices[id]!) / drop;
  }
  return {
    schema: "cascade-report/1",
    shock: { ...shock },
    converged,
    rounds,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: liquidated.size,
      repaidUsd: liquidations.reduce((n, l) => n + l.repaidUsd, 0),
      badDebtUsd: liquidations.reduce((n, l) => n + l.badDebtUsd, 0),
      byProtocol,
    },
    initialPrices,
    finalPrices,
    amplification,
  };
}

/** Asserts two JSON-like values are equal, numbers to `relative` tolerance; returns the first difference. */
export function firstDifference(a: unknown, b: unknown, relative = 1e-9, path = ""): string | undefined {
  if (typeof a === "number" && typeof b === "number") {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
    const scale = Math.max(Math.abs(a), Math.abs(b), 1e-9);
    return Math.abs(a - b) <= relative * scale ? undefined : `${path}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], relative, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        relative,
        `${path}.${k}`,
      );
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
}
