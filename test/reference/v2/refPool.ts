/**
 * One asset's pool against its quote (cascade-model.md section 2), written from the text of the
 * model alone: `infinite`, constant product (`pool`, and `depth` as its equivalent) and
 * `concentrated` (Uniswap V3 ranges). Amounts are token units; prices are quote per asset.
 */
import type { LiquidityDoc } from "./snapshotDoc.js";

/** What a trade did: units of the asset traded, units of the quote paid or received. */
export interface TradeResult {
  /** Units of the asset actually sold or bought (less than asked when liquidity ran out). */
  readonly traded: number;
  /** Quote received for a sale, paid for a purchase. */
  readonly quote: number;
  /** Part of the trade could not be made (a buy capped at 0.99 x, a concentrated walk past its ranges). */
  readonly exhausted: boolean;
}

export interface RefPool {
  readonly infinite: boolean;
  /** Pool price, quote per asset. */
  price(): number;
  sell(amount: number): TradeResult;
  buy(amount: number): TradeResult;
  /** Exogenous (arbitraged) move to `price`. */
  moveTo(price: number): void;
}

class InfinitePool implements RefPool {
  readonly infinite = true;
  constructor(private pi: number) {}
  price(): number {
    return this.pi;
  }
  sell(amount: number): TradeResult {
    return { traded: amount, quote: amount * this.pi, exhausted: false };
  }
  buy(amount: number): TradeResult {
    return { traded: amount, quote: amount * this.pi, exhausted: false };
  }
  moveTo(price: number): void {
    this.pi = price;
  }
}

class ConstantProductPool implements RefPool {
  readonly infinite = false;
  private pi: number;
  constructor(
    private x: number,
    private y: number,
    private readonly fee: number,
    price: number,
  ) {
    this.pi = price;
  }
  price(): number {
    return this.pi;
  }
  sell(amount: number): TradeResult {
    const a = amount * (1 - this.fee);
    const out = (a * this.y) / (this.x + a);
    this.x += amount;
    this.y -= out;
    this.pi = this.y / this.x;
    return { traded: amount, quote: out, exhausted: false };
  }
  buy(amount: number): TradeResult {
    let b = amount;
    let exhausted = false;
    if (b > 0.99 * this.x) {
      b = 0.99 * this.x;
      exhausted = true;
    }
    const paid = (this.y * b) / ((this.x - b) * (1 - this.fee));
    this.x -= b;
    this.y += paid;
    this.pi = this.y / this.x;
    return { traded: b, quote: paid, exhausted };
  }
  moveTo(price: number): void {
    // A price of 0 is absorbing (x = infinity, y = 0); k = x y would be NaN after it.
    if (this.pi === 0) return;
    if (price === 0) {
      this.x = Number.POSITIVE_INFINITY;
      this.y = 0;
    } else {
      const k = this.x * this.y;
      this.x = Math.sqrt(k / price);
      this.y = Math.sqrt(k * price);
    }
    this.pi = price;
  }
}

interface SqrtRange {
  /** sqrt(lower), sqrt(upper), Uniswap L in token units. */
  readonly lo: number;
  readonly hi: number;
  readonly l: number;
}

/**
 * Uniswap V3: the state is `s = sqrt(price)`. Reading of the model: ranges are compared in
 * `s` (square roots of `lower`/`upper`), so a walk that stops exactly at a range end `s_lo`
 * finds the next range below by the same numbers it stopped at (comparing `s * s` with
 * `lower` could pick the emptied range again). Ranges with `L = 0` are no liquidity.
 */
class ConcentratedPool implements RefPool {
  readonly infinite = false;
  private readonly ranges: readonly SqrtRange[];
  constructor(
    private s: number,
    private readonly fee: number,
    ranges: readonly { lower: number; upper: number; liquidity: number }[],
  ) {
    this.ranges = ranges
      .filter((r) => r.liquidity > 0)
      .map((r) => ({ lo: Math.sqrt(r.lower), hi: Math.sqrt(r.upper), l: r.liquidity }));
  }
  price(): number {
    return this.s * this.s;
  }
  sell(amount: number): TradeResult {
    let left = amount * (1 - this.fee);
    let out = 0;
    while (left > 0) {
      // A sale uses the range with lower < price <= upper.
      const range = this.ranges.find((r) => r.lo < this.s && this.s <= r.hi);
      if (range === undefined) {
        // No liquidity here: jump to the upper end of the nearest range below, if any.
        let below: SqrtRange | undefined;
        for (const r of this.ranges) if (r.hi < this.s && (below === undefined || r.hi > below.hi)) below = r;
        if (below === undefined) break;
        this.s = below.hi;
        continue;
      }
      const room = range.l * (1 / range.lo - 1 / this.s);
      if (left <= room) {
        const next = (range.l * this.s) / (range.l + left * this.s);
        out += range.l * (this.s - next);
        this.s = next;
        left = 0;
      } else {
        out += range.l * (this.s - range.lo);
        left -= room;
        this.s = range.lo;
      }
    }
    // What did not enter is kept by the seller; `left` is after the fee, so scale it back.
    const unsold = left > 0 ? left / (1 - this.fee) : 0;
    return { traded: amount - unsold, quote: out, exhausted: left > 0 };
  }
  buy(amount: number): TradeResult {
    let left = amount;
    let paid = 0;
    while (left > 0) {
      // A purchase uses the range with lower <= price < upper.
      const range = this.ranges.find((r) => r.lo <= this.s && this.s < r.hi);
      if (range === undefined) {
        let above: SqrtRange | undefined;
        for (const r of this.ranges) if (r.lo > this.s && (above === undefined || r.lo < above.lo)) above = r;
        if (above === undefined) break;
        this.s = above.lo;
        continue;
      }
      const room = range.l * (1 / this.s - 1 / range.hi);
      if (left <= room) {
        const next = 1 / (1 / this.s - left / range.l);
        paid += (range.l * (next - this.s)) / (1 - this.fee);
        this.s = next;
        left = 0;
      } else {
        paid += (range.l * (range.hi - this.s)) / (1 - this.fee);
        left -= room;
        this.s = range.hi;
      }
    }
    return { traded: amount - Math.max(0, left), quote: paid, exhausted: left > 0 };
  }
  moveTo(price: number): void {
    this.s = Math.sqrt(price);
  }
}

/**
 * The pool of an asset whose market price is `priceUsd` and whose pool price is `pi` (quote per
 * asset) at load. `depth` is the constant-product pool with
 * `x = depthUsd / (p (1/sqrt(1 - depthPct) - 1))`, `y = x pi`.
 */
export function createRefPool(liquidity: LiquidityDoc | undefined, priceUsd: number, pi: number): RefPool {
  const fee = (liquidity?.feeBps ?? 0) / 10000;
  switch (liquidity?.kind ?? "infinite") {
    case "infinite":
      return new InfinitePool(pi);
    case "pool": {
      const x = liquidity!.reserveAsset!;
      const y = liquidity!.reserveQuote ?? liquidity!.reserveUsd!;
      return new ConstantProductPool(x, y, fee, pi);
    }
    case "depth": {
      const x = liquidity!.depthUsd! / (priceUsd * (1 / Math.sqrt(1 - liquidity!.depthPct!) - 1));
      return new ConstantProductPool(x, x * pi, fee, pi);
    }
    case "concentrated":
      return new ConcentratedPool(Math.sqrt(pi), fee, liquidity!.ranges ?? []);
  }
}
