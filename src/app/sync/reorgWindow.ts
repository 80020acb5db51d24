/**
 * The reorg window of one chain: the unfinalized blocks (number, hash, parent hash and their
 * logs per indexer) above a finalized point. Pure: it asks for on-chain hashes through a lookup
 * it is given, so a test drives it with a fake chain.
 *
 * A new head is checked against the window's tip; when the tip's hash changed, the newest window
 * block still on the chain is the common ancestor and everything above it is orphaned. A change
 * below the window (the finalized block itself) is a reorg deeper than the window.
 */
import type { Hash, Log } from "viem";

export interface BlockRecord {
  readonly number: bigint;
  readonly hash: Hash;
  readonly parentHash: Hash;
  /** Logs per indexer (in indexer order), in block order. */
  readonly logs: readonly Log[][];
}

export interface BlockPoint {
  readonly number: bigint;
  readonly hash: Hash;
}

export type AncestorSearch =
  /** The tip is still on the chain: nothing to roll back. */
  | { readonly kind: "unchanged"; readonly ancestor: bigint }
  /** Blocks above `ancestor` were replaced. */
  | { readonly kind: "reorg"; readonly ancestor: bigint; readonly orphaned: readonly BlockRecord[] }
  /** The finalized block changed: deeper than the window. */
  | { readonly kind: "too-deep"; readonly finalized: BlockPoint };

/** The window's newest block, or the finalized point when the window is empty. */
export function tipOf(window: readonly BlockRecord[], finalized: BlockPoint): BlockPoint {
  const last = window.at(-1);
  return last === undefined ? finalized : { number: last.number, hash: last.hash };
}

/**
 * Finds where the chain, whose head is now `headNumber`, parts from the window. `hashAt` returns
 * the canonical hash at a height (a fake in tests, `getBlock` in the driver).
 */
export async function findCommonAncestor(
  window: readonly BlockRecord[],
  finalized: BlockPoint,
  headNumber: bigint,
  hashAt: (blockNumber: bigint) => Promise<Hash>,
): Promise<AncestorSearch> {
  const tip = tipOf(window, finalized);
  if (headNumber >= tip.number && (await hashAt(tip.number)) === tip.hash)
    return { kind: "unchanged", ancestor: tip.number };
  // The tip changed (or the head is below it): walk down the window for the newest block kept.
  for (let k = window.length - 2; k >= 0; k--) {
    const record = window[k]!;
    if (record.number <= headNumber && (await hashAt(record.number)) === record.hash)
      return { kind: "reorg", ancestor: record.number, orphaned: window.slice(k + 1) };
  }
  if ((await hashAt(finalized.number)) !== finalized.hash) return { kind: "too-deep", finalized };
  return { kind: "reorg", ancestor: finalized.number, orphaned: [...window] };
}

/** Splits the window at `limit`: the blocks at or below it become final, the rest stay. */
export function splitFinal(
  window: readonly BlockRecord[],
  limit: bigint,
): { readonly leaving: BlockRecord[]; readonly staying: BlockRecord[] } {
  return {
    leaving: window.filter((r) => r.number <= limit),
    staying: window.filter((r) => r.number > limit),
  };
}
