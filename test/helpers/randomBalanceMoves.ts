/**
 * Seeded random blocks that only move balances, the common block: each changed position keeps
 * its market, account, eMode and assets, and its amounts move. Now and then an amount goes to
 * zero or comes back from zero, so a position may leave or enter the liquidation index.
 */
import type { Prng } from "../../src/core/random/createPrng.js";
import type { PositionData } from "../../src/core/snapshot/schema.js";
import type { Snapshot } from "../../src/core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../src/core/snapshot/snapshotChanges.js";

export interface BalanceMoveOptions {
  /** Positions whose balances move. */
  readonly touched: number;
  /** Probability that an amount goes to zero, or a zero amount comes back (default 0.02). */
  readonly zeroChance?: number;
}

function moved(
  prng: Prng,
  amounts: Readonly<Record<string, number>>,
  zeroChance: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [asset, amount] of Object.entries(amounts)) {
    if (prng.next() < zeroChance) out[asset] = amount === 0 ? prng.uniform(1, 100) : 0;
    else out[asset] = amount * prng.uniform(0.8, 1.25);
  }
  return out;
}

/** One block of balance moves of `snapshot`'s positions (validated), drawn from `prng`. */
export function randomBalanceMoves(
  prng: Prng,
  snapshot: Snapshot,
  options: BalanceMoveOptions,
): SnapshotChanges {
  const list = snapshot.positions;
  const zeroChance = options.zeroChance ?? 0.02;
  const upserts: PositionData[] = [];
  for (let k = 0; k < options.touched && list.length > 0; k++) {
    const p = list[Math.floor(prng.next() * list.length)]!;
    upserts.push({
      ...p,
      collateral: moved(prng, p.collateral, zeroChance),
      debt: moved(prng, p.debt, zeroChance),
    });
  }
  return { upserts };
}
