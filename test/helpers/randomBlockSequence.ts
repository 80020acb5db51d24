/**
 * A seeded random sequence of blocks from one generated book, as a sync sees them: changed,
 * opened and closed positions; moved prices, oracles and market parameters; a new asset; invalid
 * fields (a refused block is not built on); balance-only blocks (every third); a full re-read of
 * the chain halfway. Each block has the document the chain is at, its changes since the previous
 * block, and the parse of its document (or the error the parse throws).
 */
import { generateBook } from "../../bench/generateBook.js";
import { SnapshotError } from "../../src/core/errors.js";
import { createPrng } from "../../src/core/random/createPrng.js";
import { parseSnapshot } from "../../src/core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../src/core/snapshot/snapshot.js";
import { changedDocument, type SnapshotChanges } from "../../src/core/snapshot/snapshotChanges.js";
import { randomBalanceMoves } from "./randomBalanceMoves.js";
import { randomSnapshotChanges } from "./randomSnapshotChanges.js";

/** The scenarios section (input of its schema) the tests that follow a block sequence run. */
export const SEQUENCE_SCENARIOS = {
  list: [
    { name: "eth-20", shock: { WETH: -0.2 } },
    { name: "btc-15", shock: { WBTC: -0.15 } },
  ],
  curves: { assets: ["WETH"], shocks: [-0.1, -0.3] },
  criticalShockAssets: ["WETH"],
};

/** Positions in report order (market id, then account), as the sync assembles its document. */
function inReportOrder(document: unknown): unknown {
  const doc = document as { positions?: unknown };
  if (!Array.isArray(doc.positions)) return document;
  const text = (p: unknown, field: "market" | "account") => String((p as Record<string, unknown>)[field]);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const positions = [...doc.positions].sort(
    (a, b) => cmp(text(a, "market"), text(b, "market")) || cmp(text(a, "account"), text(b, "account")),
  );
  return { ...doc, positions };
}

export interface Block {
  /** The document the chain is at after this block (shares unchanged position objects). */
  readonly document: unknown;
  /** What changed since the previous block's document. */
  readonly changes: SnapshotChanges;
  /** The parse of `document`, or the error it throws. */
  readonly parsed: Snapshot | SnapshotError;
}

/** A random sequence of blocks from one book; a refused block is not built on. */
export function randomBlockSequence(seed: number, steps = 24, positions = 240): Block[] {
  const prng = createPrng(seed);
  /** The last valid document, and its parse (what the random changes are drawn from). */
  let valid: unknown = inReportOrder(generateBook({ positions, seed }));
  let validParsed = parseSnapshot(structuredClone(valid));
  const out: Block[] = [{ document: valid, changes: {}, parsed: validParsed }];
  for (let step = 1; step < steps; step++) {
    let changes: SnapshotChanges;
    if (step === Math.floor(steps / 2)) {
      // A full re-read of the chain: every position read again, a new object each.
      changes = { upserts: validParsed.positions.map((p) => structuredClone(p)) };
    } else if (step % 3 === 0) {
      // The common block: balances move, every position keeps its shape (written in place).
      changes = randomBalanceMoves(prng, validParsed, { touched: 1 + Math.floor(prng.next() * 10) });
    } else
      changes = randomSnapshotChanges(
        prng,
        validParsed,
        {
          touched: 1 + Math.floor(prng.next() * 10),
          headerChance: 0.3,
          invalidChance: 0.15,
          structureChance: 0.05,
        },
        step,
      );
    const document = inReportOrder(changedDocument(valid as Snapshot, changes));
    let parsed: Snapshot | SnapshotError;
    try {
      parsed = parseSnapshot(structuredClone(document));
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      parsed = error;
    }
    out.push({ document, changes, parsed });
    // The chain of valid documents goes on from the last valid one (its objects shared).
    if (!(parsed instanceof SnapshotError)) {
      valid = document;
      validParsed = parsed;
    }
  }
  return out;
}
