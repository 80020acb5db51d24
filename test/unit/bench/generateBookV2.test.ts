/**
 * generateBookV2 and toV2Shape: documents valid by every rule of cascade-model.md section 1 that
 * can be checked without the engine, deterministic per seed, and cascading on the reference.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import {
  AAVE_V4_SPOKE,
  generateBookV2,
  toV2Shape,
  USDC_FIXED_ORACLE,
} from "../../../bench/generateBookV2.js";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";
import type { MarketDoc, SnapshotDoc } from "../../reference/v2/snapshotDoc.js";

const seed = Number(process.env.SEED ?? 7);

/** Names of the assets a market may hold, and the oracle ids its fields name. */
function marketAssets(m: MarketDoc): { assets: string[]; oracles: string[] } {
  switch (m.protocol) {
    case "aave-v3":
    case "aave-v4":
      return {
        assets: Object.keys(m.reserves),
        oracles: Object.values(m.reserves).flatMap((r) => (r.oracle === undefined ? [] : [r.oracle])),
      };
    case "morpho-blue":
      return {
        assets: [m.collateral, m.loan],
        oracles: [m.collateralOracle, m.loanOracle].filter((o): o is string => o !== undefined),
      };
    case "compound-v3":
      return {
        assets: [m.base, ...Object.keys(m.collaterals)],
        oracles: [m.baseOracle, ...Object.values(m.collaterals).map((c) => c.oracle)].filter(
          (o): o is string => o !== undefined,
        ),
      };
  }
}

/** Every breach of a section 1 rule this test can check by itself (the first 20). */
function ruleViolations(doc: SnapshotDoc): string[] {
  const out: string[] = [];
  const bad = (line: string) => {
    if (out.length < 20) out.push(line);
  };
  const assets = new Map(doc.assets.map((a) => [a.id, a]));
  if (assets.size !== doc.assets.length) bad("duplicate asset id");
  if (assets.has("USD")) bad('"USD" as an asset id');
  const oracleIds = new Set([...Object.keys(doc.oracles ?? {}), ...assets.keys()]);
  for (const a of doc.assets) {
    const l = a.liquidity;
    const quote = l?.quote ?? "USD";
    if (quote !== "USD" && !assets.has(quote)) bad(`${a.id}: quote ${quote} not listed`);
    if (a.follows !== undefined) {
      if (!assets.has(a.follows.asset)) bad(`${a.id}: follows an unlisted asset`);
      if (quote !== "USD") bad(`${a.id}: follows on an asset not quoted in USD`);
    }
    if (l === undefined) continue;
    const fee = l.feeBps ?? 0;
    if (!(fee >= 0 && fee < 10000)) bad(`${a.id}: feeBps ${fee}`);
    const quotePrice = quote === "USD" ? 1 : (assets.get(quote)?.priceUsd ?? Number.NaN);
    if (l.kind === "pool") {
      const pi = (l.reserveQuote ?? l.reserveUsd ?? Number.NaN) / (l.reserveAsset ?? Number.NaN);
      if (!(Math.abs(pi / (a.priceUsd / quotePrice) - 1) <= 1e-9)) bad(`${a.id}: pool price ${pi}`);
    }
    if (l.kind === "concentrated") {
      const ranges = [...(l.ranges ?? [])].sort((x, y) => x.lower - y.lower);
      ranges.forEach((r, i) => {
        if (!(r.lower >= 0 && r.lower < r.upper && r.liquidity >= 0))
          bad(`${a.id}: range ${JSON.stringify(r)}`);
        const next = ranges[i + 1];
        if (next !== undefined && next.lower < r.upper) bad(`${a.id}: ranges overlap at ${next.lower}`);
      });
    }
  }
  // No cycle through quotes and leaders, none between rate oracles.
  const links = (id: string): string[] => {
    const a = assets.get(id)!;
    return [a.liquidity?.quote ?? "USD", ...(a.follows ? [a.follows.asset] : [])].filter((x) =>
      assets.has(x),
    );
  };
  const acyclic = (start: string, next: (id: string) => string[]): boolean => {
    const seen = new Set<string>();
    const walk = (id: string, path: Set<string>): boolean => {
      if (path.has(id)) return false;
      if (seen.has(id)) return true;
      seen.add(id);
      return next(id).every((n) => walk(n, new Set([...path, id])));
    };
    return walk(start, new Set());
  };
  for (const id of assets.keys()) if (!acyclic(id, links)) bad(`${id}: cycle in quote or follows`);
  for (const [id, o] of Object.entries(doc.oracles ?? {})) {
    if (o.kind === "market" && !assets.has(o.asset)) bad(`oracles.${id}: unknown asset ${o.asset}`);
    if (o.kind === "rate" && !oracleIds.has(o.oracle)) bad(`oracles.${id}: unknown oracle ${o.oracle}`);
    const rateNext = (x: string): string[] => {
      const r = doc.oracles?.[x];
      return r?.kind === "rate" ? [r.oracle] : [];
    };
    if (!acyclic(id, rateNext)) bad(`oracles.${id}: cycle between rate oracles`);
  }
  const markets = new Map(doc.markets.map((m) => [m.id, m]));
  for (const m of doc.markets) {
    const { assets: named, oracles } = marketAssets(m);
    for (const a of named) if (!assets.has(a)) bad(`${m.id}: asset ${a} not listed`);
    for (const o of oracles) if (!oracleIds.has(o)) bad(`${m.id}: oracle ${o} unknown`);
    if (m.protocol === "aave-v3")
      for (const [id, e] of Object.entries(m.emodes ?? {}))
        for (const a of e.assets) if (m.reserves[a] === undefined) bad(`${m.id}: eMode ${id} names ${a}`);
    if (m.protocol === "aave-v4")
      for (const [a, r] of Object.entries(m.reserves))
        if (!((1 + r.maxLiquidationBonus) * r.collateralFactor < 1))
          bad(`${m.id}.reserves.${a}: insolvent bonus`);
  }
  const accounts = new Set<string>();
  doc.positions.forEach((p, i) => {
    const m = markets.get(p.market);
    if (m === undefined) {
      bad(`positions[${i}]: unknown market ${p.market}`);
      return;
    }
    const key = `${p.market} ${p.account}`;
    if (accounts.has(key)) bad(`positions[${i}]: second position of ${p.account} in ${p.market}`);
    accounts.add(key);
    const named = new Set(marketAssets(m).assets);
    for (const side of [p.collateral, p.debt])
      for (const [a, v] of Object.entries(side)) {
        if (!named.has(a)) bad(`positions[${i}]: ${a} is not a reserve of ${p.market}`);
        if (!(Number.isFinite(v) && v >= 0)) bad(`positions[${i}].${a}: ${v}`);
      }
    if (m.protocol === "aave-v3" && (p.emode ?? 0) > 0 && m.emodes?.[String(p.emode)] === undefined)
      bad(`positions[${i}]: unknown eMode ${p.emode}`);
    if (m.protocol === "aave-v4")
      for (const [a, own] of Object.entries(p.dynamicConfig ?? {})) {
        const r = m.reserves[a];
        if (r === undefined) bad(`positions[${i}].dynamicConfig.${a}: not a reserve`);
        else if (
          !(
            (1 + (own.maxLiquidationBonus ?? r.maxLiquidationBonus)) *
              (own.collateralFactor ?? r.collateralFactor) <
            1
          )
        )
          bad(`positions[${i}].dynamicConfig.${a}: insolvent bonus`);
      }
  });
  return out;
}

describe("generateBookV2", () => {
  const book = generateBookV2({ positions: 3000, seed });

  it("is a cascade-snapshot/2 document valid by the model's rules, with the positions asked for", () => {
    expect(book.schema).toBe("cascade-snapshot/2");
    expect(book.positions).toHaveLength(3000);
    expect(ruleViolations(book)).toEqual([]);
    // Plain JSON: nothing that JSON would drop or change (undefined, NaN, Infinity).
    expect(JSON.parse(JSON.stringify(book))).toEqual(book);
  });

  it("the rule check itself finds broken documents", () => {
    const broken: SnapshotDoc = {
      ...book,
      positions: [...book.positions, book.positions[0]!, { ...book.positions[1]!, debt: { GHO: 1 } }],
      markets: book.markets.map((m) =>
        m.protocol === "aave-v4"
          ? { ...m, reserves: { ...m.reserves, WETH: { collateralFactor: 0.96, maxLiquidationBonus: 0.05 } } }
          : m,
      ),
      assets: book.assets.map((a) =>
        a.liquidity?.kind === "concentrated"
          ? {
              ...a,
              liquidity: {
                ...a.liquidity,
                ranges: [...a.liquidity.ranges!, { lower: 2900, upper: 3100, liquidity: 1 }],
              },
            }
          : a,
      ),
    };
    const lines = ruleViolations(broken);
    expect(lines.some((l) => l.includes("ranges overlap"))).toBe(true);
    expect(lines.some((l) => l.includes("insolvent bonus"))).toBe(true);
    expect(lines.some((l) => l.includes("second position"))).toBe(true);
    expect(lines.some((l) => l.includes("GHO is not a reserve"))).toBe(true);
  });

  it("is mainnet-shaped: rate, deviation and fixed oracles, wstETH in WETH, concentrated WETH/USDC with gaps", () => {
    expect(book.oracles?.wstETH).toEqual({ kind: "rate", oracle: "WETH", scale: 1.2 });
    expect(book.oracles?.WETH).toEqual({ kind: "market", asset: "WETH", deviation: 0.005 });
    expect(book.oracles?.[USDC_FIXED_ORACLE]).toEqual({ kind: "fixed", priceUsd: 1 });
    const byId = new Map(book.assets.map((a) => [a.id, a]));
    expect(byId.get("wstETH")?.liquidity?.quote).toBe("WETH");
    expect(byId.get("cbBTC")?.follows?.asset).toBe("WBTC");
    const weth = byId.get("WETH")!.liquidity!;
    expect(weth.kind).toBe("concentrated");
    const ranges = weth.ranges!;
    const gaps = ranges.filter((r, i) => i > 0 && r.lower > ranges[i - 1]!.upper).length;
    expect(gaps).toBeGreaterThanOrEqual(2);
    const near = ranges.find((r) => r.lower <= 3000 && 3000 < r.upper)!;
    expect(Math.max(...ranges.map((r) => r.liquidity))).toBe(near.liquidity);
    const protocols = book.markets.map((m) => m.protocol);
    for (const p of ["aave-v3", "aave-v4", "morpho-blue", "compound-v3"]) expect(protocols).toContain(p);
    const aave = book.markets.filter((m) => m.protocol === "aave-v3");
    expect(new Set(aave.map((m) => m.liquidationLogic))).toEqual(new Set(["v3.0", "v3.3"]));
    for (const m of aave) expect(Object.keys(m.emodes ?? {}).length).toBeGreaterThan(0);
    for (const m of book.markets) expect(m.liquidationGasUsd ?? 0).toBeGreaterThan(0);
    const comets = book.markets.filter((m) => m.protocol === "compound-v3");
    expect(comets.map((m) => [m.base, m.sellsAbsorbed]).sort()).toEqual([
      ["USDC", true],
      ["WETH", false],
    ]);
    const morpho = book.markets
      .filter((m) => m.protocol === "morpho-blue")
      .map((m) => `${m.collateral}/${m.loan}`);
    expect(morpho).toEqual(expect.arrayContaining(["wstETH/WETH", "WETH/USDC"]));
  });

  it("has Aave V4 positions (some with their own dynamicConfig) and small positions", () => {
    const v4 = book.positions.filter((p) => p.market === AAVE_V4_SPOKE);
    // 10% of the book, plus a quarter of the small positions.
    expect(v4.length / 3000).toBeCloseTo(0.11, 2);
    const own = v4.filter((p) => p.dynamicConfig !== undefined).length / v4.length;
    expect(own).toBeGreaterThan(0.2);
    expect(own).toBeLessThan(0.4);
    const small = book.positions.filter(
      (p) => (p.collateral.WETH ?? 0) * 3000 < 400 && Object.keys(p.collateral).length === 1,
    );
    expect(small.length).toBeGreaterThan(100);
  });

  it("is reproducible from its seed and differs across seeds", () => {
    expect(JSON.stringify(generateBookV2({ positions: 500, seed }))).toBe(
      JSON.stringify(generateBookV2({ positions: 500, seed })),
    );
    expect(JSON.stringify(generateBookV2({ positions: 500, seed: seed + 1 }))).not.toBe(
      JSON.stringify(generateBookV2({ positions: 500, seed })),
    );
  });

  it("cascades on the reference under WETH -25%: several rounds, unprofitable positions, cross-protocol", () => {
    const report = referenceSimulateV2(book, { WETH: -0.25 });
    expect(report.rounds.length).toBeGreaterThanOrEqual(3);
    expect(report.rounds.reduce((n, r) => n + r.unprofitable, 0)).toBeGreaterThan(0);
    expect(report.totals.stranded).toBeGreaterThan(0);
    expect(report.liquidations.filter((l) => l.crossProtocol).length).toBeGreaterThan(0);
    for (const t of Object.values(report.totals.byProtocol)) expect(t.liquidations).toBeGreaterThan(0);
    const accounts = new Map(book.positions.map((p) => [`${p.market} ${p.account}`, p]));
    const ownConfig = report.liquidations.filter(
      (l) =>
        l.protocol === "aave-v4" && accounts.get(`${l.market} ${l.account}`)?.dynamicConfig !== undefined,
    );
    expect(ownConfig.length).toBeGreaterThan(0);
  });

  it("prices WETH with a 0.5% deviation feed: a 0.3% drop is not reported in round 1", () => {
    const report = referenceSimulateV2(book, { WETH: -0.003 });
    // Small positions below 1 that are worth liquidating make round 1 happen whatever the shock.
    expect(report.rounds.length).toBeGreaterThan(0);
    expect(report.rounds[0]!.oraclePrices.WETH).toBe(3000);
    expect(report.rounds[0]!.oraclePrices.wstETH).toBeCloseTo(3600, 9);
    expect(report.rounds[0]!.oraclePrices[USDC_FIXED_ORACLE]).toBe(1);
  });
});

describe("toV2Shape", () => {
  const v1 = generateBook({ positions: 3000, seed });
  const shaped = toV2Shape(v1);

  it("keeps every position of the version 1 book and is a valid version 2 document", () => {
    expect(shaped.positions).toHaveLength(3000);
    shaped.positions.forEach((p, i) => {
      expect(p).toBe(v1.positions[i]);
    });
    expect(shaped.markets.map((m) => m.id)).toEqual(v1.markets.map((m) => m.id));
    expect(ruleViolations(shaped)).toEqual([]);
  });

  it("cascades on the reference under WETH -25%, with stranded debt once gas is paid", () => {
    const report = referenceSimulateV2(shaped, { WETH: -0.25 });
    expect(report.rounds.length).toBeGreaterThanOrEqual(3);
    expect(report.liquidations.filter((l) => l.crossProtocol).length).toBeGreaterThan(0);
    expect(report.rounds.reduce((n, r) => n + r.unprofitable, 0)).toBeGreaterThan(0);
  });
});
