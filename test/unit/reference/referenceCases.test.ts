/**
 * The reference model v2 against the hand-computed cases of test/fixtures/modelV2Cases.ts (each
 * number worked out from cascade-model.md's formulas, not by running an implementation).
 */
import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { caseMismatches, MODEL_V2_CASES, valueAtPath } from "../../fixtures/modelV2Cases.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulate } from "../../reference/referenceSimulate.js";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";

describe("reference model v2 on hand-computed cases", () => {
  for (const c of MODEL_V2_CASES) {
    it(c.name, () => {
      const report = referenceSimulateV2(c.doc, c.shock, c.maxRounds);
      expect(caseMismatches(report, c.expected)).toEqual([]);
    });
  }

  it("the path reader finds nested fields and reports absent ones as undefined", () => {
    const report = { rounds: [{ prices: { WETH: 2 } }], liquidations: [{ sources: ["a"] }] };
    expect(valueAtPath(report, "rounds[0].prices.WETH")).toBe(2);
    expect(valueAtPath(report, "liquidations[0].sources.length")).toBe(1);
    expect(valueAtPath(report, "rounds[1].prices.WETH")).toBeUndefined();
    expect(caseMismatches(report, { "rounds[0].prices.WETH": 2.0000001 })).toEqual([
      "rounds[0].prices.WETH: 2 vs 2.0000001",
    ]);
    expect(caseMismatches(report, { "rounds[0].prices.WETH": 2 * (1 + 5e-10) })).toEqual([]);
    expect(caseMismatches(report, { "rounds[0].prices": null, "liquidations[0].sources[0]": "b" })).toEqual([
      "rounds[0].prices: [object Object] vs absent",
      "liquidations[0].sources[0]: a vs b",
    ]);
  });

  it("the v1 case gives, on the version 1 reference too, the same report", () => {
    const v1 = MODEL_V2_CASES.find((c) => c.doc.schema === "cascade-snapshot/1")!;
    const parsed = parseSnapshot(v1.doc);
    const v2 = referenceSimulateV2(v1.doc, v1.shock);
    expect(differencesFromReference(v2, referenceSimulate(parsed, v1.shock))).toEqual([]);
    // A parsed version 1 snapshot (defaults filled in) is still a document the reference reads.
    expect(differencesFromReference(referenceSimulateV2(parsed, v1.shock), v2)).toEqual([]);
  });
});
