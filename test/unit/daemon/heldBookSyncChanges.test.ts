import { describe, expect, it } from "vitest";
import { createSnapshotAssembler } from "../../../src/app/createSnapshotAssembler.js";
import { createHeldBook } from "../../../src/app/daemon/heldBook.js";
import { createPrng } from "../../../src/core/random/createPrng.js";
import { syncBlocks } from "../../helpers/syncBlocks.js";

const SEED = Number(process.env.SEED ?? 5);

describe("held book fed by the sync's changes", () => {
  it(`holds the same book as one fed whole documents (derived by identity) (SEED=${SEED})`, () => {
    const assembler = createSnapshotAssembler();
    const byChanges = createHeldBook();
    const byDocuments = createHeldBook();
    const modes = new Set<string>();
    let first = true;
    for (const { frame, positions, changed } of syncBlocks(createPrng(SEED), 400, 40)) {
      const { snapshot, changes } = assembler.assemble(frame, () => positions, first ? undefined : changed);
      const facts = { takenAtMs: 0, heads: {} };
      const a =
        changes === undefined || byChanges.wantsWhole
          ? byChanges.accept({ kind: "document", document: snapshot, ...facts })
          : byChanges.accept({ kind: "changes", changes, ...facts });
      const b = byDocuments.accept({ kind: "document", document: snapshot, ...facts });
      modes.add(a.mode);
      expect(JSON.stringify(a.snapshot)).toBe(JSON.stringify(b.snapshot));
      expect(a.book).toEqual(b.book);
      first = false;
    }
    // The changes were applied in place, not compiled whole each block.
    expect(modes.has("incremental")).toBe(true);
  });
});
