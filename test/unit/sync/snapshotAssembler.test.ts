import { describe, expect, it } from "vitest";
import type { SnapshotFrameInput } from "../../../src/app/buildSnapshot.js";
import { buildSnapshotWithOmissions } from "../../../src/app/buildSnapshot.js";
import { createSnapshotAssembler } from "../../../src/app/createSnapshotAssembler.js";
import { createPrng } from "../../../src/core/random/createPrng.js";
import type { PositionData } from "../../../src/core/snapshot/schema.js";
import { positionKeyText } from "../../../src/core/snapshot/snapshotChanges.js";
import { AAVE, assets, randomPosition, readings, syncBlocks } from "../../helpers/syncBlocks.js";

const SEED = Number(process.env.SEED ?? 11);
const byKey = (a: PositionData, b: PositionData): number =>
  positionKeyText(a) < positionKeyText(b) ? -1 : 1;

describe("createSnapshotAssembler", () => {
  it(`gives the full build's document, byte for byte, over random blocks (SEED=${SEED})`, () => {
    const prng = createPrng(SEED);
    const assembler = createSnapshotAssembler();
    let previous: ReturnType<typeof assembler.assemble> | undefined;
    let patched = 0;
    for (const { frame, positions, changed } of syncBlocks(prng, 300, 60)) {
      const assembled = assembler.assemble(
        frame,
        () => positions,
        previous === undefined ? undefined : changed,
      );
      const full = buildSnapshotWithOmissions({ ...frame, positions });
      expect(JSON.stringify(assembled.snapshot)).toBe(JSON.stringify(full.snapshot));
      expect(assembled.omissions).toEqual(full.omissions);
      if (!assembled.whole) patched++;
      // The changes turn the previous document into this one.
      if (previous !== undefined) {
        const changes = assembled.changes!;
        const held = new Map(previous.snapshot.positions.map((p) => [positionKeyText(p), p] as const));
        for (const key of changes.closed ?? []) held.delete(positionKeyText(key));
        for (const p of (changes.upserts ?? []) as PositionData[]) held.set(positionKeyText(p), p);
        expect([...held.values()].sort(byKey)).toEqual([...assembled.snapshot.positions].sort(byKey));
        const { positions: _, ...header } = assembled.snapshot;
        expect(changes.header).toEqual(header);
      }
      previous = assembled;
    }
    // Most blocks were patched, not rebuilt.
    expect(patched).toBeGreaterThan(40);
  });
  it("hands the previous document's objects over untouched (a held document is never written)", () => {
    const prng = createPrng(SEED);
    const assembler = createSnapshotAssembler();
    const positions = Array.from({ length: 50 }, (_, i) => randomPosition(prng, i));
    const frame = (block: number): SnapshotFrameInput => ({
      assets,
      readings: readings(createPrng(block), false),
      pools: [],
      blocks: new Map([[1, BigInt(block)]]),
      takenAt: new Date(0),
    });
    const first = assembler.assemble(frame(1), () => positions, undefined);
    const text = JSON.stringify(first.snapshot);
    const opened: PositionData = {
      market: AAVE,
      account: `0x${"ab".repeat(20)}`,
      collateral: { WETH: 2 },
      debt: { USDC: 1000 },
      emode: 0,
    };
    const closing = first.snapshot.positions[0] as PositionData;
    const changed = new Map<string, PositionData | null>([
      [positionKeyText(opened), opened],
      [positionKeyText(closing), null],
    ]);
    const rest = positions.filter((p) => p !== closing);
    const second = assembler.assemble(frame(2), () => [...rest, opened], changed);
    expect(JSON.stringify(first.snapshot)).toBe(text);
    expect(second.whole).toBe(false);
    expect(second.changes!.closed).toEqual([{ market: closing.market, account: closing.account }]);
    expect(second.changes!.upserts).toEqual([opened]);
    expect(second.snapshot.positions.filter((p) => first.snapshot.positions.includes(p))).toHaveLength(
      first.snapshot.positions.length - 1,
    );
  });
});
