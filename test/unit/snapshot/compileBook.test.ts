import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROTOCOL_AAVE, PROTOCOL_COMPOUND, PROTOCOL_MORPHO } from "../../../src/core/book/book.js";
import { accountAt, accountColumnsOf } from "../../../src/core/book/bookAccounts.js";
import { sortByAccount } from "../../../src/core/book/sortByAccount.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  assetFixture,
  bookFixture,
  COMPOUND_MARKET,
  MORPHO_MARKET,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

const SEED = Number(process.env.SEED ?? 20261121);

describe("compileBook", () => {
  const book = bookFixture({
    assets: [
      assetFixture("WETH", 3000, {
        liquidity: { kind: "depth", depthUsd: 1_000_000, depthPct: 0.02, feeBps: 30 },
      }),
      assetFixture("USDC", 1),
      assetFixture("WBTC", 60_000),
    ],
    markets: [
      aaveMarketFixture({
        emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH"] } },
      }),
      { id: MORPHO_MARKET, protocol: "morpho-blue", collateral: "WETH", loan: "USDC", lltv: 0.86 },
      {
        id: COMPOUND_MARKET,
        protocol: "compound-v3",
        base: "USDC",
        collaterals: {
          WETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 },
          WBTC: { liquidateCollateralFactor: 0.8, liquidationFactor: 0.9 },
        },
      },
    ],
    positions: [
      positionFixture(MORPHO_MARKET, "0xb", { WETH: 1 }, { USDC: 100 }),
      positionFixture(AAVE_MARKET, "0xz", { WETH: 2, WBTC: 1 }, { USDC: 5 }, { emode: 1 }),
      positionFixture(AAVE_MARKET, "0xa", { WBTC: 1 }, {}),
      positionFixture(COMPOUND_MARKET, "0xc", { WBTC: 1, WETH: 3 }, { USDC: 7 }),
    ],
  });

  it("orders assets and markets by id and positions by market, then account", () => {
    expect(book.assets.ids).toEqual(["USDC", "WBTC", "WETH"]);
    expect(book.markets.ids).toEqual([AAVE_MARKET, COMPOUND_MARKET, MORPHO_MARKET]);
    expect(Array.from({ length: 4 }, (_, i) => accountAt(book.positions.accounts, i))).toEqual([
      "0xa",
      "0xz",
      "0xc",
      "0xb",
    ]);
    expect(Array.from(book.positions.protocol)).toEqual([
      PROTOCOL_AAVE,
      PROTOCOL_AAVE,
      PROTOCOL_COMPOUND,
      PROTOCOL_MORPHO,
    ]);
  });

  it("stores collateral and debt as CSR rows sorted by asset, with effective parameters", () => {
    const {
      collStart,
      collAsset,
      collAmount,
      collThreshold,
      collBonus,
      collProtocolFee,
      collLiquidationFactor,
    } = book.positions;
    // 0xz: WBTC (reserve: lt 0.75) then WETH (eMode 1: lt 0.93, bonus 0.01, reserve fee 0.1).
    const z = collStart[1]!;
    expect(collStart[2]! - z).toBe(2);
    expect([collAsset[z], collAsset[z + 1]]).toEqual([1, 2]);
    expect([collAmount[z], collAmount[z + 1]]).toEqual([1, 2]);
    expect([collThreshold[z], collThreshold[z + 1]]).toEqual([0.75, 0.93]);
    expect([collBonus[z], collBonus[z + 1]]).toEqual([0.065, 0.01]);
    expect(collProtocolFee[z + 1]).toBe(0.1);
    // 0xc (Compound): lcf as threshold, liquidationFactor kept.
    const c = collStart[2]!;
    expect([collThreshold[c], collLiquidationFactor[c]]).toEqual([0.8, 0.9]);
    expect(Array.from(book.positions.debtStart)).toEqual([0, 0, 1, 2, 3]);
  });

  it("turns depth liquidity into the equivalent pool", () => {
    const weth = book.assets.indexOf.get("WETH")!;
    const x = 1_000_000 / (3000 * (1 / Math.sqrt(0.98) - 1));
    expect(book.assets.poolAsset[weth]).toBeCloseTo(x, 6);
    expect(book.assets.poolQuote[weth]).toBeCloseTo(x * 3000, 3);
    expect(book.assets.feeRate[weth]).toBe(0.003);
  });

  it("indexes every position with debt once, sorted by health within its group", () => {
    const { positions, healthFactor0, groupStart, groupOf } = book.index;
    expect(Array.from(positions).sort()).toEqual([1, 2, 3]);
    expect(groupOf[0]).toBe(-1); // no debt
    for (let g = 0; g + 1 < groupStart.length; g++) {
      for (let k = groupStart[g]! + 1; k < groupStart[g + 1]!; k++) {
        expect(healthFactor0[k]!).toBeGreaterThanOrEqual(healthFactor0[k - 1]!);
      }
    }
  });
});

describe("sortByAccount", () => {
  it("sorts like a string comparison, ASCII or not, shared prefixes or not", () => {
    const account = fc.oneof(
      fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), maxLength: 12 }).map((h) => `0x${h}`),
      fc.string({ maxLength: 6 }),
      fc.constantFrom("0x", "", "0x\u0100", "é"),
    );
    fc.assert(
      fc.property(fc.uniqueArray(account, { maxLength: 60 }), (accounts) => {
        const indices = Int32Array.from(accounts.keys());
        sortByAccount(
          indices,
          accountColumnsOf(accounts.length, (i) => accounts[i]!),
        );
        const expected = [...accounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(Array.from(indices, (i) => accounts[i])).toEqual(expected);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("sorts hex accounts (addresses: 8 digits in one key) like a string comparison, short or long, sharing prefixes", () => {
    const digits = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), maxLength: 44 });
    const account = fc.oneof(
      digits.map((h) => `0x${h}`),
      digits.map((h) => `0x00ab${h}`),
      fc.integer({ min: 0, max: 40 }).map((n) => `0x${"a".repeat(n)}`),
      digits.map((h) => `0x${h}`.toUpperCase()),
    );
    fc.assert(
      fc.property(fc.uniqueArray(account, { maxLength: 80 }), (accounts) => {
        const indices = Int32Array.from(accounts.keys());
        sortByAccount(
          indices,
          accountColumnsOf(accounts.length, (i) => accounts[i]!),
        );
        const expected = [...accounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(Array.from(indices, (i) => accounts[i])).toEqual(expected);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
