/**
 * A deliberately naive implementation of cascade-model.md version 2 (sections 2-5), written from
 * the text of the model alone and independently of `src/core`: plain objects and maps, every
 * position judged every round, every asset updated every step. It reads the raw JSON document
 * (`cascade-snapshot/1` or `/2`, assumed valid) and applies the defaults of section 1 itself.
 *
 * Choices the model leaves open are the ones the engine documents for version 1: liquidations
 * in order of round, market id, account (JS string order); "smaller id" by JS string order;
 * `converged` false when round `maxRounds` still liquidated (the next round is not run); rounds
 * that liquidate nothing not listed; `c - seize`, `d - repay` clamped at 0; a fully repaid
 * position leaves; `sources` sorted as strings.
 */

import type { LiquidationV2, ProtocolTotalsV2, RefReportV2, RoundV2 } from "./refReportV2.js";
import { RefMarket } from "./v2/refMarket.js";
import { RefOracles } from "./v2/refOracles.js";
import { type Judgement, judgePosition, type RefPosition, type RulePrices } from "./v2/refRules.js";
import type { MarketDoc, SnapshotDoc } from "./v2/snapshotDoc.js";

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The oracle id a market uses for `asset`: its own field, else oracle `asset`. */
function oracleIdOf(m: MarketDoc, asset: string): string {
  switch (m.protocol) {
    case "aave-v3":
    case "aave-v4":
      return m.reserves[asset]?.oracle ?? asset;
    case "morpho-blue":
      if (asset === m.collateral) return m.collateralOracle ?? asset;
      if (asset === m.loan) return m.loanOracle ?? asset;
      return asset;
    case "compound-v3":
      if (asset === m.base) return m.baseOracle ?? asset;
      return m.collaterals[asset]?.oracle ?? asset;
  }
}

/** Every asset a market names: Aave reserves, Morpho's two assets, Compound's base and collaterals. */
function assetsNamedBy(m: MarketDoc): string[] {
  switch (m.protocol) {
    case "aave-v3":
    case "aave-v4":
      return Object.keys(m.reserves);
    case "morpho-blue":
      return [m.collateral, m.loan];
    case "compound-v3":
      return [m.base, ...Object.keys(m.collaterals)];
  }
}

const sumUsd = (amounts: ReadonlyMap<string, number>, price: (a: string) => number): number => {
  let s = 0;
  for (const [id, v] of amounts) s += v * price(id);
  return s;
};

const addTo = (map: Map<string, number>, id: string, v: number): void => {
  map.set(id, (map.get(id) ?? 0) + v);
};

/**
 * One simulation of cascade-model.md version 2. `doc` is a decoded, valid `cascade-snapshot/1`
 * or `/2` document; `shock` maps asset ids to `s > -1`.
 */
export function referenceSimulateV2(
  doc: unknown,
  shock: Readonly<Record<string, number>>,
  maxRounds = 50,
): RefReportV2 {
  const snapshot = doc as SnapshotDoc;
  const market = new RefMarket(snapshot.assets);
  const oracles = new RefOracles(snapshot.oracles, market);
  const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
  const positions: RefPosition[] = snapshot.positions
    .map((p) => ({
      market: markets.get(p.market)!,
      account: p.account,
      collateral: new Map(Object.entries(p.collateral)),
      debt: new Map(Object.entries(p.debt)),
      emode: p.emode ?? 0,
      dynamicConfig: p.dynamicConfig ?? {},
      gone: false,
    }))
    .sort((a, b) => byId(a.market.id, b.market.id) || byId(a.account, b.account));

  const pricesFor = (m: MarketDoc): RulePrices => ({
    oracle: (a) => oracles.priceUsd(oracleIdOf(m, a)),
    market: (a) => market.priceUsd(a),
  });
  const oracleReports = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const m of [...markets.values()].sort((a, b) => byId(a.id, b.id)))
      for (const a of assetsNamedBy(m)) {
        const id = oracleIdOf(m, a);
        out[id] = oracles.priceUsd(id);
      }
    return out;
  };
  const heldAssets = (p: RefPosition): string[] => {
    const held = new Set<string>();
    for (const side of [p.collateral, p.debt]) for (const [id, v] of side) if (v !== 0) held.add(id);
    return [...held];
  };

  const initialPrices = market.prices();
  market.shockStep(shock);
  const afterShock = market.prices();

  const rounds: RoundV2[] = [];
  const liquidations: LiquidationV2[] = [];
  let converged = true;
  let stranded = 0;
  let strandedDebtUsd = 0;
  /** Per asset, the protocols of the previous round whose flows traded it. */
  let movers = new Map<string, Set<string>>();

  for (let r = 1; ; r++) {
    if (r > maxRounds) {
      converged = false;
      break;
    }
    oracles.update();
    const oraclePrices = oracleReports();
    const sold = new Map<string, number>();
    const bought = new Map<string, number>();
    const roundLiquidations: LiquidationV2[] = [];
    const flowsBy: { protocol: string; assets: string[] }[] = [];
    let repaidUsd = 0;
    let soldUsd = 0;
    let badDebtUsd = 0;
    let unprofitable = 0;
    let unprofitableDebtUsd = 0;

    for (const p of positions) {
      if (p.gone) continue;
      const held = heldAssets(p);
      const prices = pricesFor(p.market);
      const j: Judgement = judgePosition(p, prices);
      if (j.kind === "healthy" || j.kind === "held") continue;
      if (j.kind === "unprofitable") {
        unprofitable += 1;
        unprofitableDebtUsd += j.debtUsd;
        continue;
      }
      const protocol = p.market.protocol;
      for (const [id, v] of j.sold) addTo(sold, id, v);
      for (const [id, v] of j.bought) addTo(bought, id, v);
      const flowAssets = new Set<string>();
      for (const side of [j.sold, j.bought])
        for (const [id, v] of side) if (v > 0) for (const t of market.quoteChain(id)) flowAssets.add(t);
      flowsBy.push({ protocol, assets: [...flowAssets] });

      const sources = new Set<string>();
      if (r > 1) {
        const deps = new Set<string>();
        for (const h of held) market.dependencies(h, deps);
        for (const t of deps) for (const s of movers.get(t) ?? []) sources.add(s);
      }
      const sortedSources = [...sources].sort(byId);
      const liquidation: LiquidationV2 = {
        round: r,
        market: p.market.id,
        account: p.account,
        protocol,
        healthFactor: j.healthFactor,
        repaid: Object.fromEntries(j.repaid),
        seized: Object.fromEntries(j.seized),
        repaidUsd: sumUsd(j.repaid, prices.oracle),
        seizedUsd: sumUsd(j.seized, prices.oracle),
        ...(j.profitUsd === undefined ? {} : { profitUsd: j.profitUsd }),
        badDebtUsd: j.badDebtUsd,
        cause: r === 1 ? "shock" : "cascade",
        sources: sortedSources,
        crossProtocol: sortedSources.some((s) => s !== protocol),
      };
      roundLiquidations.push(liquidation);
      repaidUsd += liquidation.repaidUsd;
      soldUsd += sumUsd(j.sold, prices.market);
      badDebtUsd += j.badDebtUsd;
    }

    if (roundLiquidations.length === 0) {
      // The round that liquidates nothing ends the simulation; what it skipped is stranded.
      stranded = unprofitable;
      strandedDebtUsd = unprofitableDebtUsd;
      break;
    }

    const net = new Map<string, number>();
    for (const id of new Set([...sold.keys(), ...bought.keys()]))
      net.set(id, (sold.get(id) ?? 0) - (bought.get(id) ?? 0));
    const step = market.tradeStep(net);
    movers = new Map();
    for (const f of flowsBy)
      for (const t of f.assets) {
        if (!step.traded.has(t)) continue;
        const set = movers.get(t) ?? new Set<string>();
        set.add(f.protocol);
        movers.set(t, set);
      }
    rounds.push({
      round: r,
      liquidations: roundLiquidations.length,
      repaidUsd,
      soldUsd,
      badDebtUsd,
      liquidityExhausted: step.liquidityExhausted,
      unprofitable,
      unprofitableDebtUsd,
      prices: market.prices(),
      oraclePrices,
    });
    liquidations.push(...roundLiquidations);
  }

  if (!converged) {
    // Judged as the next round would start (oracles updated), on copies: that round is not run.
    oracles.update();
    for (const p of positions) {
      if (p.gone) continue;
      const copy: RefPosition = { ...p, collateral: new Map(p.collateral), debt: new Map(p.debt) };
      const j = judgePosition(copy, pricesFor(p.market));
      if (j.kind === "unprofitable") {
        stranded += 1;
        strandedDebtUsd += j.debtUsd;
      }
    }
  }

  liquidations.sort((a, b) => a.round - b.round || byId(a.market, b.market) || byId(a.account, b.account));
  const byProtocol: Record<string, { liquidations: number; repaidUsd: number; badDebtUsd: number }> = {};
  for (const m of markets.values()) byProtocol[m.protocol] = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
  for (const l of liquidations) {
    const t = byProtocol[l.protocol]!;
    t.liquidations += 1;
    t.repaidUsd += l.repaidUsd;
    t.badDebtUsd += l.badDebtUsd;
  }
  const finalPrices = market.prices();
  const amplification: Record<string, number> = {};
  for (const [asset, s] of Object.entries(shock)) {
    const initial = initialPrices[asset]!;
    const shocked = afterShock[asset]!;
    // Omitted unless the shock step lowered the market price: the engine's version 1 choice. The
    // model says "when the shock leaves the price unchanged"; a rising leader can also lift a
    // shocked follower above where it was, where the ratio means nothing either.
    if (s < 0 && shocked < initial)
      amplification[asset] = (1 - finalPrices[asset]! / initial) / (1 - shocked / initial);
  }
  return {
    schema: "cascade-report/2",
    shock: { ...shock },
    converged,
    rounds,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: new Set(liquidations.map((l) => `${l.market}\u0000${l.account}`)).size,
      repaidUsd: liquidations.reduce((s, l) => s + l.repaidUsd, 0),
      badDebtUsd: liquidations.reduce((s, l) => s + l.badDebtUsd, 0),
      stranded,
      strandedDebtUsd,
      byProtocol: byProtocol as Record<string, ProtocolTotalsV2>,
    },
    initialPrices,
    finalPrices,
    amplification,
  };
}
