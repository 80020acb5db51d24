/**
 * Invariants of the reference model v2 on random small version 2 books (fast-check; SEED
 * reproduces): concentrated pools with gaps, quotes, rate/deviation/fixed oracles, followers, every
 * protocol, gas. The reference is what the engine is held to, so it must never produce a NaN, an
 * inconsistent total or a liquidation that takes more than a position has.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";
import type { RefReportV2 } from "../../reference/refReportV2.js";
import type {
  AssetDoc,
  MarketDoc,
  OracleDoc,
  PositionDoc,
  SnapshotDoc,
} from "../../reference/v2/snapshotDoc.js";

const SEED = Number(process.env.SEED ?? 20261201);

const PRICES: Record<string, number> = { USDC: 1, WETH: 3000, wstETH: 3600, LINK: 15 };

const rangeSpec = fc.record({
  width: fc.double({ min: 50, max: 1500, noNaN: true }),
  gap: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 500, noNaN: true })),
  liquidity: fc.double({ min: 100, max: 100_000, noNaN: true }),
});

const positionSpec = fc.record({
  market: fc.integer({ min: 0, max: 6 }),
  collateralUsd: fc.double({ min: 50, max: 2_000_000, noNaN: true }),
  healthFactor: fc.double({ min: 0.7, max: 1.5, noNaN: true }),
  second: fc.boolean(),
  dynamic: fc.boolean(),
});

const bookSpec = fc.record({
  concentrated: fc.boolean(),
  firstLower: fc.double({ min: 300, max: 2900, noNaN: true }),
  ranges: fc.array(rangeSpec, { minLength: 1, maxLength: 4 }),
  wethReserve: fc.double({ min: 20, max: 50_000, noNaN: true }),
  wstReserve: fc.double({ min: 5, max: 20_000, noNaN: true }),
  deviation: fc.constantFrom(0, 0.005, 0.02),
  rateOracle: fc.boolean(),
  fixedUsdc: fc.boolean(),
  beta: fc.double({ min: 0, max: 2, noNaN: true }),
  logic: fc.constantFrom("v3.0" as const, "v3.3" as const),
  gasUsd: fc.constantFrom(0, 5, 30),
  sellsAbsorbed: fc.boolean(),
  positions: fc.array(positionSpec, { minLength: 1, maxLength: 25 }),
});
type BookSpec = typeof bookSpec extends fc.Arbitrary<infer T> ? T : never;

const MARKETS = [
  "aave-v3:1:0xpool",
  "aave-v4:1:0xspoke",
  "morpho-blue:1:WETH-USDC",
  "morpho-blue:1:wstETH-WETH",
  "compound-v3:1:0xcusdc",
  "compound-v3:1:0xcweth",
  "morpho-blue:1:LINK-USDC",
] as const;

function bookOf(spec: BookSpec): SnapshotDoc {
  let lower = spec.firstLower;
  const ranges = spec.ranges.map((r) => {
    const range = { lower, upper: lower + r.width, liquidity: r.liquidity };
    lower = range.upper + r.gap;
    return range;
  });
  const assets: AssetDoc[] = [
    { id: "USDC", priceUsd: 1 },
    { id: "GHO", priceUsd: 1 },
    {
      id: "WETH",
      priceUsd: 3000,
      liquidity: spec.concentrated
        ? { kind: "concentrated", quote: "USDC", feeBps: 5, ranges }
        : { kind: "pool", reserveAsset: spec.wethReserve, reserveQuote: spec.wethReserve * 3000, feeBps: 30 },
    },
    {
      id: "wstETH",
      priceUsd: 3600,
      liquidity: {
        kind: "pool",
        quote: "WETH",
        reserveAsset: spec.wstReserve,
        reserveQuote: spec.wstReserve * 1.2,
        feeBps: 1,
      },
    },
    {
      id: "LINK",
      priceUsd: 15,
      follows: { asset: "WETH", beta: spec.beta },
      liquidity: { kind: "depth", depthUsd: 200_000, depthPct: 0.02, feeBps: 30 },
    },
  ];
  const oracles: Record<string, OracleDoc> = {};
  if (spec.deviation > 0) oracles.WETH = { kind: "market", asset: "WETH", deviation: spec.deviation };
  if (spec.rateOracle) oracles.wstETH = { kind: "rate", oracle: "WETH", scale: 1.2 };
  if (spec.fixedUsdc) oracles["USDC/fixed"] = { kind: "fixed", priceUsd: 1 };
  const gas = spec.gasUsd;
  const markets: MarketDoc[] = [
    {
      id: MARKETS[0],
      protocol: "aave-v3",
      liquidationLogic: spec.logic,
      liquidationGasUsd: gas,
      reserves: {
        WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, protocolFee: 0.1 },
        wstETH: { liquidationThreshold: 0.81, liquidationBonus: 0.06, protocolFee: 0.1 },
        USDC: {
          liquidationThreshold: 0.78,
          liquidationBonus: 0.045,
          protocolFee: 0.1,
          ...(spec.fixedUsdc ? { oracle: "USDC/fixed" } : {}),
        },
        GHO: { liquidationThreshold: 0, liquidationBonus: 0 },
      },
      emodes: { "1": { liquidationThreshold: 0.95, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] } },
    },
    {
      id: MARKETS[1],
      protocol: "aave-v4",
      targetHealthFactor: 1.05,
      healthFactorForMaxBonus: 0.85,
      liquidationBonusFactor: 0.8,
      liquidationGasUsd: gas,
      reserves: {
        WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.05, liquidationFee: 0.1 },
        wstETH: { collateralFactor: 0.78, maxLiquidationBonus: 0.06, liquidationFee: 0.1 },
        USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.04, liquidationFee: 0.1 },
      },
    },
    {
      id: MARKETS[2],
      protocol: "morpho-blue",
      collateral: "WETH",
      loan: "USDC",
      lltv: 0.86,
      liquidationGasUsd: gas,
    },
    {
      id: MARKETS[3],
      protocol: "morpho-blue",
      collateral: "wstETH",
      loan: "WETH",
      lltv: 0.945,
      collateralOracle: "wstETH",
      loanOracle: "WETH",
      liquidationGasUsd: gas,
    },
    {
      id: MARKETS[4],
      protocol: "compound-v3",
      base: "USDC",
      sellsAbsorbed: spec.sellsAbsorbed,
      collaterals: {
        WETH: { liquidateCollateralFactor: 0.9, liquidationFactor: 0.95 },
        LINK: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.93 },
      },
    },
    {
      id: MARKETS[5],
      protocol: "compound-v3",
      base: "WETH",
      sellsAbsorbed: !spec.sellsAbsorbed,
      collaterals: { wstETH: { liquidateCollateralFactor: 0.93, liquidationFactor: 0.975 } },
    },
    { id: MARKETS[6], protocol: "morpho-blue", collateral: "LINK", loan: "USDC", lltv: 0.77 },
  ];
  const pairs: [collateral: string, debt: string, weight: number][] = [
    ["WETH", "USDC", 0.83],
    ["WETH", "USDC", 0.8],
    ["WETH", "USDC", 0.86],
    ["wstETH", "WETH", 0.945],
    ["WETH", "USDC", 0.9],
    ["wstETH", "WETH", 0.93],
    ["LINK", "USDC", 0.77],
  ];
  const positions: PositionDoc[] = spec.positions.map((p, i) => {
    const [c, d, weight] = pairs[p.market]!;
    const collateral: Record<string, number> = { [c]: p.collateralUsd / PRICES[c]! };
    const debt: Record<string, number> = { [d]: (p.collateralUsd * weight) / p.healthFactor / PRICES[d]! };
    // A second asset where the protocol takes one: borrow-only GHO on Aave V3, a small
    // second collateral on Aave V4 (blocks a deficit), LINK on the USDC comet.
    if (p.second && p.market === 0) collateral.GHO = 500;
    if (p.second && p.market === 1) collateral.USDC = 300;
    if (p.second && p.market === 4) collateral.LINK = 1000 / 15;
    const position: PositionDoc = {
      market: MARKETS[p.market]!,
      account: `0x${i.toString(16).padStart(4, "0")}`,
      collateral,
      debt,
      ...(p.market === 1 && p.dynamic ? { dynamicConfig: { WETH: { collateralFactor: 0.82 } } } : {}),
    };
    return position;
  });
  return { schema: "cascade-snapshot/2", assets, oracles, markets, positions };
}

/**
 * A shock of 0 or of at least 1e-6: amplification divides by the shock step's move, so a shock of
 * a few ulps makes it as large as 1e16 and as uncertain as the last bit of a price.
 */
const move = (min: number, max: number) =>
  fc.oneof(
    fc.constant(0),
    fc.double({ min, max: -1e-6, noNaN: true }),
    fc.double({ min: 1e-6, max, noNaN: true }),
  );
const shockArb = fc.record(
  { WETH: move(-0.9, 0.3), wstETH: move(-0.3, 0.1), LINK: move(-0.5, 0.2) },
  { requiredKeys: ["WETH"] },
);

/** Paths of every number in the report that is not finite. */
function nonFinite(value: unknown, path = "report", out: string[] = []): string[] {
  if (typeof value === "number" && !Number.isFinite(value)) out.push(`${path}: ${value}`);
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) nonFinite(v, `${path}[${i}]`, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) nonFinite(v, `${path}.${k}`, out);
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function checkReport(doc: SnapshotDoc, report: RefReportV2): void {
  expect(nonFinite(report)).toEqual([]);
  const { totals } = report;
  expect(totals.liquidations).toBe(report.liquidations.length);
  expect(report.rounds.reduce((n, r) => n + r.liquidations, 0)).toBe(report.liquidations.length);
  expect(
    close(
      totals.repaidUsd,
      report.rounds.reduce((s, r) => s + r.repaidUsd, 0),
    ),
  ).toBe(true);
  expect(
    close(
      totals.badDebtUsd,
      report.rounds.reduce((s, r) => s + r.badDebtUsd, 0),
    ),
  ).toBe(true);
  const byProtocol = Object.values(totals.byProtocol);
  expect(byProtocol.reduce((n, t) => n + t.liquidations, 0)).toBe(report.liquidations.length);
  expect(Object.keys(totals.byProtocol).sort()).toEqual(
    [...new Set(doc.markets.map((m) => m.protocol))].sort(),
  );
  expect(totals.stranded).toBeGreaterThanOrEqual(0);
  const seen = new Set<string>();
  const taken = new Map<string, number>();
  for (const l of report.liquidations) {
    const key = `${l.round} ${l.market} ${l.account}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
    if (l.profitUsd !== undefined) expect(l.profitUsd).toBeGreaterThan(0);
    else expect(l.protocol === "compound-v3" || Object.keys(l.repaid).length === 0).toBe(true);
    expect(l.cause).toBe(l.round === 1 ? "shock" : "cascade");
    if (l.round === 1) expect(l.sources).toEqual([]);
    expect(l.crossProtocol).toBe(l.sources.some((s) => s !== l.protocol));
    for (const side of [l.seized, l.repaid])
      for (const [a, v] of Object.entries(side)) {
        expect(v).toBeGreaterThanOrEqual(0);
        const k = `${l.market} ${l.account} ${side === l.seized ? "c" : "d"} ${a}`;
        taken.set(k, (taken.get(k) ?? 0) + v);
      }
  }
  for (const p of doc.positions) {
    for (const [a, held] of Object.entries(p.collateral))
      expect(taken.get(`${p.market} ${p.account} c ${a}`) ?? 0).toBeLessThanOrEqual(held * (1 + 1e-12));
    for (const [a, owed] of Object.entries(p.debt))
      expect(taken.get(`${p.market} ${p.account} d ${a}`) ?? 0).toBeLessThanOrEqual(owed * (1 + 1e-9));
  }
  for (const r of report.rounds) for (const v of Object.values(r.prices)) expect(v).toBeGreaterThanOrEqual(0);
}

describe("reference model v2 invariants (fast-check, SEED reproduces)", () => {
  it("no NaN, totals are sums, nothing taken beyond what a position held, profit always positive", () => {
    let cascades = 0;
    fc.assert(
      fc.property(bookSpec, shockArb, fc.integer({ min: 1, max: 50 }), (spec, shock, maxRounds) => {
        const doc = bookOf(spec);
        const report = referenceSimulateV2(doc, shock, maxRounds);
        if (report.rounds.length > 1) cascades += 1;
        checkReport(doc, report);
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The invariants are only worth something if the random books do cascade.
    expect(cascades).toBeGreaterThan(20);
  });
});
