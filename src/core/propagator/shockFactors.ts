/** Turns a `{assetId: s}` shock into per-asset price factors `1 + s`, refusing what the model refuses. */
import type { Book } from "../book/book.js";
import { UserInputError } from "../errors.js";

/** @throws UserInputError for an unknown asset or a shock that is not a number above -1. */
export function shockFactors(book: Book, shock: Readonly<Record<string, number>>): Float64Array {
  const factors = new Float64Array(book.assets.count).fill(1);
  for (const [asset, s] of Object.entries(shock)) {
    const a = book.assets.indexOf.get(asset);
    if (a === undefined) {
      const known = book.assets.ids.slice(0, 20).join(", ");
      throw new UserInputError(`unknown shocked asset "${asset}" (assets in the snapshot: ${known})`, {
        details: { asset },
      });
    }
    if (typeof s !== "number" || !Number.isFinite(s) || s <= -1) {
      throw new UserInputError(
        `shock of "${asset}" must be a number above -1 (-0.2 = a 20% drop), got ${s}`,
        {
          details: { asset },
        },
      );
    }
    factors[a] = 1 + s;
  }
  return factors;
}

/** @throws UserInputError unless `maxRounds` is an integer of at least 1. */
export function checkMaxRounds(maxRounds: number): number {
  if (!Number.isSafeInteger(maxRounds) || maxRounds < 1) {
    throw new UserInputError(`maxRounds must be an integer of at least 1, got ${maxRounds}`);
  }
  return maxRounds;
}

export const DEFAULT_MAX_ROUNDS = 50;
