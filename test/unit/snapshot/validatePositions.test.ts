import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SnapshotError } from "../../../src/core/errors.js";
import { positionSchema } from "../../../src/core/snapshot/schema.js";
import { validatePositions } from "../../../src/core/snapshot/validatePositions.js";
import { snapshotErrorFromZod } from "../../../src/core/snapshot/zodIssue.js";

const SEED = Number(process.env.SEED ?? 20261121);

/** Values that are sometimes right and often subtly wrong for each position field. */
const amount = fc.oneof(
  fc.double({ min: 0, max: 1e12, noNaN: true }),
  fc.constantFrom(-1, -0, Number.NaN, Number.POSITIVE_INFINITY, "1", null, undefined, true),
);
const amounts = fc.oneof(
  fc.dictionary(fc.constantFrom("WETH", "USDC", ""), amount, { maxKeys: 3 }),
  fc.constantFrom([], null, "x", 3),
);
const text = fc.oneof(fc.constantFrom("0xabc", "aave-v3:1:0x1"), fc.constantFrom("", 7, null, undefined));
const position = fc.oneof(
  fc.record(
    {
      market: text,
      account: text,
      collateral: amounts,
      debt: amounts,
      emode: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom(1.5, "1", null)),
      colateral: fc.constant({}),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, [], "position", 3),
);

describe("validatePositions", () => {
  it("accepts and refuses exactly what positionSchema does, with the same message", () => {
    fc.assert(
      fc.property(fc.array(position, { maxLength: 5 }), (positions) => {
        const result = validatePositions(positions);
        const firstBad = positions.findIndex((p) => !positionSchema.safeParse(p).success);
        if (firstBad < 0) {
          expect(result).not.toBeInstanceOf(SnapshotError);
          return;
        }
        const parsed = positionSchema.safeParse(positions[firstBad]);
        expect(parsed.success).toBe(false);
        if (parsed.success) return;
        expect(result).toBeInstanceOf(SnapshotError);
        expect((result as SnapshotError).message).toBe(
          snapshotErrorFromZod(parsed.error, ["positions", firstBad]).message,
        );
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});
