/**
 * The incremental book against the book compiled from scratch: over random sequences of block
 * changes (changed, new and closed positions; moved prices, oracles, pools and market
 * parameters; now and then an invalid field), the updated book equals `compileBook` of the
 * changed document field for field, its reports are byte-identical, and a bad change throws
 * the very error a full parse of the changed document throws. SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import {
  applySnapshotChanges,
  type CompiledSnapshot,
  compileSnapshot,
} from "../../../src/core/book/compiledSnapshot.js";
import { SnapshotError } from "../../../src/core/errors.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { createPrng, type Prng } from "../../../src/core/random/createPrng.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../../src/core/snapshot/snapshot.js";
import { changedDocument, type SnapshotChanges } from "../../../src/core/snapshot/snapshotChanges.js";
import { randomBalanceMoves } from "../../helpers/randomBalanceMoves.js";
import { randomSnapshotChanges } from "../../helpers/randomSnapshotChanges.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  MORPHO_MARKET,
  morphoMarketFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const SEED = Number(process.env.SEED ?? 20261201);
const SHOCKS = [{ WETH: -0.25 }, { WBTC: -0.3, WETH: -0.1 }, { USDC: -0.05 }];

/** Full parse of the document, as a file would be read. */
function parseFresh(document: unknown): ReturnType<typeof parseSnapshot> | SnapshotError {
  try {
    return parseSnapshot(JSON.parse(JSON.stringify(document)));
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
}

function reportsOf(compiled: CompiledSnapshot["book"]): string {
  return JSON.stringify(SHOCKS.map((shock) => simulate(compiled, shock)));
}

type BlockOf = (prng: Prng, snapshot: Snapshot, step: number) => SnapshotChanges;

/** Blocks of every kind: changed, opened and closed positions, moved headers, bad fields. */
const anyBlock: BlockOf = (prng, snapshot, step) =>
  randomSnapshotChanges(
    prng,
    snapshot,
    {
      touched: 1 + Math.floor(prng.next() * 12),
      headerChance: 0.3,
      invalidChance: 0.2,
      structureChance: 0.04,
    },
    step,
  );

/**
 * Mostly blocks that only move balances (some with a moved header: prices, oracles, now and
 * then a market's terms), and now and then a block of any kind.
 */
const balanceBlock: BlockOf = (prng, snapshot, step) => {
  const r = prng.next();
  if (r < 0.15) return anyBlock(prng, snapshot, step);
  const moves = randomBalanceMoves(prng, snapshot, {
    touched: 1 + Math.floor(prng.next() * 12),
    zeroChance: 0.05,
  });
  if (r < 0.7) return moves;
  const header = randomSnapshotChanges(
    prng,
    snapshot,
    { touched: 0, headerChance: 1, invalidChance: 0 },
    step,
  );
  return { ...header, upserts: moves.upserts ?? [] };
};

function runSequence(start: unknown, seed: number, steps: number, blockOf: BlockOf = anyBlock) {
  const prng = createPrng(seed);
  let current = compileSnapshot(parseSnapshot(start));
  const modes = new Map<string, number>();
  let refused = 0;
  /** Blocks written in place, and those of them whose index members moved in place too. */
  let inPlace = 0;
  let indexInPlace = 0;
  for (let step = 0; step < steps; step++) {
    const changes = blockOf(prng, current.snapshot, step);
    const expected = parseFresh(changedDocument(current.snapshot, changes));
    let applied: ReturnType<typeof applySnapshotChanges> | SnapshotError;
    try {
      applied = applySnapshotChanges(current, changes);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      applied = error;
    }
    if (expected instanceof SnapshotError) {
      expect(applied, `step ${step}: ${expected.message}`).toBeInstanceOf(SnapshotError);
      expect((applied as SnapshotError).message).toBe(expected.message);
      refused++;
      continue;
    }
    if (applied instanceof SnapshotError)
      throw new Error(`step ${step}: refused a valid change: ${applied.message}`);
    modes.set(applied.mode, (modes.get(applied.mode) ?? 0) + 1);
    const book = applied.compiled.book;
    // In place: the given book's arrays, rewritten; else new ones.
    expect(book.positions === current.book.positions, `step ${step}`).toBe(applied.inPlace);
    if (applied.inPlace) {
      inPlace++;
      if (book.index === current.book.index) indexInPlace++;
    }
    expect(book, `step ${step} (${applied.mode}, in place: ${applied.inPlace})`).toEqual(
      compileBook(expected),
    );
    current = applied.compiled;
  }
  return { current, modes, refused, inPlace, indexInPlace };
}

/** Byte-identical reports against the final snapshot compiled from scratch, in shuffled order. */
function expectReportsOfFinalSnapshot(current: CompiledSnapshot, seed: number): void {
  const shuffled = JSON.parse(JSON.stringify(current.snapshot));
  const prng = createPrng(seed);
  shuffled.positions.sort(() => prng.next() - 0.5);
  expect(reportsOf(current.book)).toBe(reportsOf(compileBook(parseSnapshot(shuffled))));
}

describe("applySnapshotChanges", () => {
  it.each([
    ["v2 book", () => generateBookV2({ positions: 500, seed: SEED })],
    ["v1 book", () => generateBook({ positions: 400, seed: SEED + 1 })],
  ])("keeps a %s equal to one compiled from scratch over random block sequences", (_, make) => {
    const modes = new Map<string, number>();
    let refused = 0;
    for (let run = 0; run < 4; run++) {
      const outcome = runSequence(make(), SEED + 17 * run, 30);
      for (const [mode, n] of outcome.modes) modes.set(mode, (modes.get(mode) ?? 0) + n);
      refused += outcome.refused;
      expectReportsOfFinalSnapshot(outcome.current, SEED + run);
    }
    // Every path was taken: in place, from scratch for a new asset, and refusals.
    expect(modes.get("incremental") ?? 0).toBeGreaterThan(40);
    expect(modes.get("rebuild:structure") ?? 0).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(5);
  });

  it.each([
    ["v2 book", () => generateBookV2({ positions: 500, seed: SEED + 4 })],
    ["v1 book", () => generateBook({ positions: 400, seed: SEED + 5 })],
  ])(
    "keeps a %s equal to one compiled from scratch when blocks that only move balances are written in place",
    (_, make) => {
      let inPlace = 0;
      let indexInPlace = 0;
      let general = 0;
      for (let run = 0; run < 3; run++) {
        const outcome = runSequence(make(), SEED + 31 * run, 40, balanceBlock);
        inPlace += outcome.inPlace;
        indexInPlace += outcome.indexInPlace;
        general += (outcome.modes.get("incremental") ?? 0) - outcome.inPlace;
        expectReportsOfFinalSnapshot(outcome.current, SEED + 7 * run);
      }
      // Both paths, and in place both the index members moved and the index built again.
      expect(indexInPlace).toBeGreaterThan(40);
      expect(inPlace - indexInPlace).toBeGreaterThan(5);
      expect(general).toBeGreaterThan(3);
    },
  );

  it("writes a same-shape block in place and takes the general path for an opened, closed or reshaped position", () => {
    const WHALE = "0x00000000000000000000000000000000000000aa";
    const start = () =>
      compileSnapshot(
        parseSnapshot(
          snapshotFixture({
            markets: [
              aaveMarketFixture({
                emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH"] } },
              }),
              morphoMarketFixture(),
            ],
            positions: [
              positionFixture(AAVE_MARKET, WHALE, { WETH: 10, WBTC: 1 }, { USDC: 1000 }),
              positionFixture(AAVE_MARKET, "0xb", { WETH: 1 }, { USDC: 2000 }),
              positionFixture(MORPHO_MARKET, "0xc", { WETH: 2 }, { USDC: 3000 }),
            ],
          }),
        ),
      );
    const blocks: Array<[string, SnapshotChanges, boolean]> = [
      [
        "balances moved",
        { upserts: [positionFixture(AAVE_MARKET, WHALE, { WETH: 4, WBTC: 2 }, { USDC: 9000 })] },
        true,
      ],
      [
        "debt repaid to zero",
        { upserts: [positionFixture(MORPHO_MARKET, "0xc", { WETH: 2 }, { USDC: 0 })] },
        true,
      ],
      ["opened", { upserts: [positionFixture(AAVE_MARKET, "0xd", { WETH: 1 }, { USDC: 10 })] }, false],
      ["closed", { closed: [{ market: AAVE_MARKET, account: "0xb" }] }, false],
      [
        "an asset left",
        { upserts: [positionFixture(AAVE_MARKET, WHALE, { WETH: 10 }, { USDC: 1000 })] },
        false,
      ],
      [
        "an asset joined",
        { upserts: [positionFixture(AAVE_MARKET, "0xb", { WETH: 1 }, { USDC: 1, WETH: 0.1 })] },
        false,
      ],
      [
        "eMode changed",
        { upserts: [positionFixture(AAVE_MARKET, "0xb", { WETH: 1 }, { USDC: 2000 }, { emode: 1 })] },
        false,
      ],
    ];
    for (const [name, changes, inPlace] of blocks) {
      const current = start();
      const expected = parseSnapshot(changedDocument(current.snapshot, changes));
      // A book of three: every block changes more than the default share that compiles from scratch.
      const applied = applySnapshotChanges(current, changes, { rebuildShare: 1 });
      expect(applied.mode, name).toBe("incremental");
      expect(applied.inPlace, name).toBe(inPlace);
      expect(applied.compiled.book, name).toEqual(compileBook(expected));
      expect(reportsOf(applied.compiled.book), name).toBe(reportsOf(compileBook(expected)));
    }
  });

  it("keeps a book of thousands of positions equal to one compiled from scratch, where whole blocks of kept positions only shift", () => {
    // Several blocks of 1024 positions, few touched a step: most blocks are kept whole.
    const outcome = runSequence(generateBookV2({ positions: 3000, seed: SEED + 2 }), SEED + 3, 10);
    expect(outcome.modes.get("incremental") ?? 0).toBeGreaterThan(5);
    expect(outcome.current.book.positions.count).toBeGreaterThan(2500);
  });

  it("names the changed document's path of a bad new position, as a full parse does", () => {
    const current = compileSnapshot(
      parseSnapshot(
        snapshotFixture({
          positions: [
            positionFixture(AAVE_MARKET, "0xb", { WETH: 10 }, { USDC: 1000 }),
            positionFixture(AAVE_MARKET, "0xa", { WETH: 1 }, { USDC: 2000 }),
          ],
        }),
      ),
    );
    const bad = positionFixture(AAVE_MARKET, "0xc", { WETH: 1 }, { USDC: -5 });
    expect(() => applySnapshotChanges(current, { upserts: [bad] })).toThrow(
      "positions[2].debt.USDC: must not be negative",
    );
    const unknown = positionFixture("aave-v3:1:0xnowhere", "0xd", { WETH: 1 }, { USDC: 5 });
    const closed = [{ market: AAVE_MARKET, account: "0xa" }];
    expect(() => applySnapshotChanges(current, { closed, upserts: [unknown] })).toThrow(
      'positions[1].market: unknown market "aave-v3:1:0xnowhere"',
    );
  });

  it("compiles from scratch when most of the book changed (a full re-read)", () => {
    const start = parseSnapshot(generateBook({ positions: 200, seed: SEED }));
    const current = compileSnapshot(start);
    const upserts = current.snapshot.positions.map((p) => ({ ...p, debt: { ...p.debt } }));
    const applied = applySnapshotChanges(current, { upserts });
    expect(applied.mode).toBe("rebuild:size");
    expect(applied.compiled.book).toEqual(compileBook(start));
  });
});
