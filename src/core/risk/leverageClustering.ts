/**
 * Leverage clustering of one asset: how much debt becomes liquidatable at each price of the
 * asset, directly (in the first round after its fall) and with the cascade (in any round), in
 * buckets of `step` of the price. A position's bucket is `[d_{k-1}, d_k)` for the first grid
 * fall `d_k = k step` at which it is liquidated; the fall moves the asset and its followers
 * (cascade-model.md section 2), every other price stays. Positions liquidatable at the current
 * prices are counted apart; those not liquidated down to `maxDrop` too. Debt is valued at
 * snapshot prices.
 */
import type { Book } from "../book/book.js";
import { compileBook } from "../book/compileBook.js";
import { UserInputError } from "../errors.js";
import { simulate } from "../propagator/simulate.js";
import type { Snapshot } from "../snapshot/snapshot.js";

export interface ClusterCell {
  readonly positions: number;
  readonly debtUsd: number;
}

export interface ClusterBucket {
  /** Fall of the asset's price, as fractions: the bucket is `[dropFrom, dropTo)`. */
  readonly dropFrom: number;
  readonly dropTo: number;
  readonly priceFromUsd: number;
  readonly priceToUsd: number;
  readonly direct: ClusterCell;
  readonly cascade: ClusterCell;
}

export interface LeverageClustering {
  readonly asset: string;
  readonly priceUsd: number;
  readonly step: number;
  readonly maxDrop: number;
  readonly buckets: readonly ClusterBucket[];
  /** Liquidated without any fall: directly (liquidatable now), and with the cascade that starts. */
  readonly alreadyLiquidatable: { readonly direct: ClusterCell; readonly cascade: ClusterCell };
  /** Not liquidated by a fall of `maxDrop`: directly, and with the cascade. */
  readonly beyond: { readonly direct: ClusterCell; readonly cascade: ClusterCell };
}

export interface LeverageClusteringOptions {
  /** Bucket width (default 0.02). */
  readonly step?: number;
  /** Deepest fall (default 0.5, at most 0.99). */
  readonly maxDrop?: number;
  readonly maxRounds?: number;
}

const round12 = (x: number): number => Math.round(x * 1e12) / 1e12;

interface Cell {
  positions: number;
  debtUsd: number;
}

/** @throws UserInputError for an unknown asset or a bad step or maxDrop. */
export function leverageClustering(
  snapshot: Snapshot,
  asset: string,
  options: LeverageClusteringOptions = {},
  book: Book = compileBook(snapshot),
): LeverageClustering {
  const step = options.step ?? 0.02;
  const maxDrop = options.maxDrop ?? 0.5;
  if (!(step > 0 && step <= 0.5)) throw new UserInputError(`step must be in (0, 0.5], got ${step}`);
  if (!(maxDrop > 0 && maxDrop <= 0.99))
    throw new UserInputError(`maxDrop must be in (0, 0.99], got ${maxDrop}`);
  const a = snapshot.assets.find((x) => x.id === asset);
  if (a === undefined)
    throw new UserInputError(
      `unknown asset "${asset}" (assets: ${snapshot.assets.map((x) => x.id).join(", ")})`,
    );
  const priceUsd = new Map(snapshot.assets.map((x) => [x.id, x.priceUsd] as const));
  const debtUsd = new Map<string, number>();
  for (const p of snapshot.positions) {
    let d = 0;
    for (const [id, amount] of Object.entries(p.debt)) d += amount * (priceUsd.get(id) ?? 0);
    debtUsd.set(`${p.market}\u0000${p.account}`, d);
  }
  const count = Math.ceil(maxDrop / step - 1e-9);
  const directAt = new Map<string, number>();
  const cascadeAt = new Map<string, number>();
  const run = (s: number) =>
    simulate(book, { [asset]: s }, options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds });
  for (let k = 0; k <= count; k++) {
    const drop = Math.min(maxDrop, round12(k * step));
    for (const l of run(drop === 0 ? 0 : -drop).liquidations) {
      const key = `${l.market}\u0000${l.account}`;
      if (!cascadeAt.has(key)) cascadeAt.set(key, k);
      if (l.round === 1 && !directAt.has(key)) directAt.set(key, k);
    }
  }
  const cells = (): Cell[] => Array.from({ length: count + 1 }, () => ({ positions: 0, debtUsd: 0 }));
  const direct = cells();
  const cascade = cells();
  const add = (into: Cell[], at: ReadonlyMap<string, number>) => {
    for (const [key, k] of at) {
      into[k]!.positions += 1;
      into[k]!.debtUsd += debtUsd.get(key) ?? 0;
    }
  };
  add(direct, directAt);
  add(cascade, cascadeAt);
  let totalPositions = 0;
  let totalDebt = 0;
  for (const d of debtUsd.values())
    if (d > 0) {
      totalPositions += 1;
      totalDebt += d;
    }
  const sum = (xs: readonly Cell[]) =>
    xs.reduce((s, c) => ({ positions: s.positions + c.positions, debtUsd: s.debtUsd + c.debtUsd }), {
      positions: 0,
      debtUsd: 0,
    });
  const rest = (xs: readonly Cell[]): ClusterCell => {
    const s = sum(xs);
    return { positions: totalPositions - s.positions, debtUsd: Math.max(0, totalDebt - s.debtUsd) };
  };
  const buckets: ClusterBucket[] = [];
  for (let k = 1; k <= count; k++) {
    const dropFrom = round12((k - 1) * step);
    const dropTo = Math.min(maxDrop, round12(k * step));
    buckets.push({
      dropFrom,
      dropTo,
      priceFromUsd: a.priceUsd * (1 - dropTo),
      priceToUsd: a.priceUsd * (1 - dropFrom),
      direct: direct[k]!,
      cascade: cascade[k]!,
    });
  }
  return {
    asset,
    priceUsd: a.priceUsd,
    step,
    maxDrop,
    buckets,
    alreadyLiquidatable: { direct: direct[0]!, cascade: cascade[0]! },
    beyond: { direct: rest(direct), cascade: rest(cascade) },
  };
}
