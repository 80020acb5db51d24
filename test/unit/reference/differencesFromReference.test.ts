/** The comparator finds every kind of difference, names where it is, and passes equal reports. */
import { describe, expect, it } from "vitest";
import { MODEL_V2_CASES } from "../../fixtures/modelV2Cases.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";
import type { RefReportV2 } from "../../reference/refReportV2.js";

/** A two-round report (Morpho then Aave, attributed through quotes) as plain JSON. */
const base = (): RefReportV2 => {
  const c = MODEL_V2_CASES.find((x) => x.name.startsWith("a sale netted up two quote levels"))!;
  return JSON.parse(JSON.stringify(referenceSimulateV2(c.doc, c.shock))) as RefReportV2;
};
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
const edited = (edit: (r: Mutable<RefReportV2>) => void): RefReportV2 => {
  const r = base() as Mutable<RefReportV2>;
  edit(r);
  return r as RefReportV2;
};

describe("differencesFromReference", () => {
  it("finds nothing between a report and its JSON copy, nor within 1e-9 relative", () => {
    expect(base().liquidations).toHaveLength(2);
    expect(differencesFromReference(base(), base())).toEqual([]);
    const nudged = edited((r) => {
      r.liquidations[1]!.profitUsd = 595 * (1 + 5e-10);
      r.rounds[0]!.prices.WETH = r.rounds[0]!.prices.WETH! * (1 - 5e-10);
    });
    expect(differencesFromReference(nudged, base())).toEqual([]);
  });

  it("names the round, the liquidation and the field of a number off by more than 1e-9", () => {
    const off = edited((r) => {
      r.liquidations[1]!.profitUsd = 595.0001;
    });
    expect(differencesFromReference(off, base())).toEqual([
      "round 2 liquidations[1].profitUsd (aave-v3:1:0xpool 0xc2): 595.0001 vs 595",
    ]);
  });

  it("reports fields of version 2 that are missing or extra", () => {
    const r = edited((x) => {
      delete x.liquidations[0]!.profitUsd;
      delete (x.rounds[0]!.oraclePrices as Record<string, number>).WETH;
      x.rounds[1]!.unprofitable = 3;
      x.totals.stranded = 2;
      delete (x.totals.byProtocol as Record<string, unknown>)["morpho-blue"];
    });
    const lines = differencesFromReference(r, base());
    expect(lines).toContain(
      "round 1 liquidations[0].profitUsd (morpho-blue:1:ezETH-USDC 0xc1): absent vs 1205.6367432150328",
    );
    expect(lines).toContain("round 1 oraclePrices.WETH: absent vs 3000");
    expect(lines).toContain("round 2 unprofitable: 3 vs 0");
    expect(lines).toContain("totals.stranded: 2 vs 0");
    expect(lines).toContain("totals.byProtocol.morpho-blue: absent vs present");
  });

  it("reports a different attribution, order of liquidations and round count", () => {
    const r = edited((x) => {
      x.liquidations[1]!.sources = ["aave-v3", "morpho-blue"];
      x.liquidations[1]!.crossProtocol = false;
    });
    expect(differencesFromReference(r, base())).toEqual([
      "round 2 liquidations[1].sources (aave-v3:1:0xpool 0xc2): [aave-v3, morpho-blue] vs [morpho-blue]",
      "round 2 liquidations[1].crossProtocol (aave-v3:1:0xpool 0xc2): false vs true",
    ]);
    const swapped = edited((x) => {
      x.liquidations.reverse();
      x.rounds.pop();
    });
    const lines = differencesFromReference(swapped, base());
    expect(lines[0]).toBe("rounds.length: 1 vs 2");
    expect(lines).toContain(
      "round 1 liquidations[0]: round 2 aave-v3:1:0xpool 0xc2 vs round 1 morpho-blue:1:ezETH-USDC 0xc1",
    );
  });

  it("compares only version 1 fields when asked, or when the expected report is version 1", () => {
    const r = edited((x) => {
      x.totals.stranded = 9;
      delete x.liquidations[0]!.profitUsd;
    });
    expect(differencesFromReference(r, base(), { version: 1 })).toEqual([]);
    const { schema: _schema, ...v1Like } = base();
    expect(differencesFromReference(r, v1Like)).toEqual([]);
  });
});
