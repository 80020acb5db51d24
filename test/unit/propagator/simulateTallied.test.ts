/**
 * A simulation without per-liquidation records gives what the records give: the same report
 * (records left out), the same count of cross-protocol liquidations and, byte for byte, the flows
 * the records group into; the report's totals are the records' sums. Generated v1 and v2 books,
 * several seeds, single- and multi-asset shocks, converged and cut short by `maxRounds`, and a
 * book whose asset ids are integer-like (a record lists those keys first, in numeric order).
 * SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { flowsOfRecords } from "../../../src/adapters/store/cascadeFlows.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import type { Protocol } from "../../../src/core/ids.js";
import { simulate, simulateTallied } from "../../../src/core/propagator/simulate.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const SEED = Number(process.env.SEED ?? 23);

/**
 * The document with every Compound position holding some of each collateral its comet lists (an
 * absorb then seizes several assets), and some asset ids renamed to integer-like ones.
 */
function integerLikeIds(document: unknown): unknown {
  type Doc = {
    markets: Array<{ id: string; protocol: string; collaterals?: Record<string, unknown> }>;
    positions: Array<{ market: string; collateral: Record<string, number> }>;
  };
  const doc = structuredClone(document) as Doc;
  const listed = new Map(doc.markets.map((m) => [m.id, Object.keys(m.collaterals ?? {})] as const));
  for (const p of doc.positions)
    for (const [k, asset] of (listed.get(p.market) ?? []).entries())
      if (!(asset in p.collateral)) p.collateral[asset] = 0.003 * (k + 1);
  const renames: Record<string, string> = { WETH: "9", WBTC: "10", wstETH: "2", USDC: "11", DAI: "0" };
  let text = JSON.stringify(doc);
  for (const [from, to] of Object.entries(renames)) text = text.replaceAll(`"${from}"`, `"${to}"`);
  return JSON.parse(text);
}

/** The totals summed over the records, in report order, as a report without them cannot. */
function recordTotals(report: CascadeReport) {
  let repaidUsd = 0;
  let badDebtUsd = 0;
  const byProtocol: Partial<
    Record<Protocol, { liquidations: number; repaidUsd: number; badDebtUsd: number }>
  > = {};
  for (const p of Object.keys(report.totals.byProtocol) as Protocol[])
    byProtocol[p] = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
  for (const l of report.liquidations) {
    repaidUsd += l.repaidUsd;
    badDebtUsd += l.badDebtUsd;
    const t = byProtocol[l.protocol]!;
    t.liquidations++;
    t.repaidUsd += l.repaidUsd;
    t.badDebtUsd += l.badDebtUsd;
  }
  return { liquidations: report.liquidations.length, repaidUsd, badDebtUsd, byProtocol };
}

const books = [
  ["v1", SEED, (seed: number) => generateBook({ positions: 3000, seed })],
  ["v1", SEED + 1, (seed: number) => generateBook({ positions: 3000, seed })],
  ["v2", SEED, (seed: number) => generateBookV2({ positions: 3000, seed })],
  ["v2", SEED + 1, (seed: number) => generateBookV2({ positions: 3000, seed })],
  [
    "v1 with integer-like asset ids",
    SEED,
    (seed: number) => integerLikeIds(generateBook({ positions: 3000, seed })),
  ],
  [
    "v2 with integer-like asset ids",
    SEED,
    (seed: number) => integerLikeIds(generateBookV2({ positions: 3000, seed })),
  ],
] as const;

describe("simulateTallied", () => {
  it.each(books)("gives what the records give (%s book, seed %i)", (kind, seed, generate) => {
    const book = compileBook(parseSnapshot(generate(seed)));
    const has = (id: string) => book.assets.indexOf.has(id);
    const eth = has("WETH") ? "WETH" : "9";
    const btc = has("WBTC") ? "WBTC" : "10";
    const lst = has("wstETH") ? "wstETH" : "2";
    const shocks = [
      { [eth]: -0.1 },
      { [eth]: -0.3 },
      { [btc]: -0.25 },
      { [lst]: -0.05 },
      { [eth]: -0.3, [btc]: -0.3 },
    ];
    let multiAsset = 0;
    let crossProtocol = 0;
    for (const shock of shocks)
      for (const maxRounds of [50, 2]) {
        const recorded = simulate(book, shock, { maxRounds });
        const tallied = simulateTallied(book, shock, { maxRounds });
        expect(tallied.report.liquidations).toEqual([]);
        expect(JSON.stringify(tallied.report)).toBe(JSON.stringify({ ...recorded, liquidations: [] }));
        expect(tallied.crossProtocolLiquidations).toBe(
          recorded.liquidations.filter((l) => l.crossProtocol).length,
        );
        expect(JSON.stringify(tallied.flows)).toBe(JSON.stringify(flowsOfRecords(recorded)));
        const { liquidations, repaidUsd, badDebtUsd, byProtocol } = recorded.totals;
        expect(JSON.stringify({ liquidations, repaidUsd, badDebtUsd, byProtocol })).toBe(
          JSON.stringify(recordTotals(recorded)),
        );
        multiAsset += recorded.liquidations.filter((l) => Object.keys(l.seized).length > 2).length;
        crossProtocol += tallied.crossProtocolLiquidations;
      }
    // The comparisons cover cascades across protocols, and liquidations that seize three or more assets.
    if (kind.includes("integer-like")) expect(multiAsset).toBeGreaterThan(0);
    expect(crossProtocol).toBeGreaterThan(0);
  });
});
