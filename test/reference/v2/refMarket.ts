/**
 * Every asset's pool and market price (cascade-model.md section 2): the quote forest rooted at
 * USD, followers, and the two kinds of step (a shock, a round's trades). Plain maps, every asset
 * updated every step.
 */
import { createRefPool, type RefPool } from "./refPool.js";
import { type AssetDoc, USD } from "./snapshotDoc.js";

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface AssetState {
  readonly id: string;
  readonly quote: string;
  readonly pool: RefPool;
  readonly leader: { readonly asset: string; readonly beta: number } | undefined;
  readonly depth: number;
}

export interface TradeStepResult {
  /** Assets whose pool (not `infinite`) traded a non-zero net. */
  readonly traded: ReadonlySet<string>;
  readonly liquidityExhausted: boolean;
}

export class RefMarket {
  private readonly assets = new Map<string, AssetState>();
  /** Market price, USD per unit. */
  private readonly usd = new Map<string, number>();
  /** Dependency order: an asset after its quote and its leader; roots taken by asset id. */
  private readonly order: string[] = [];

  constructor(docs: readonly AssetDoc[]) {
    const doc = new Map(docs.map((a) => [a.id, a]));
    const priceOf = (id: string): number => (id === USD ? 1 : doc.get(id)!.priceUsd);
    const depthOf = (id: string): number => {
      const quote = doc.get(id)!.liquidity?.quote ?? USD;
      return quote === USD ? 1 : 1 + depthOf(quote);
    };
    for (const a of docs) {
      const quote = a.liquidity?.quote ?? USD;
      const pi = a.priceUsd / priceOf(quote);
      this.assets.set(a.id, {
        id: a.id,
        quote,
        pool: createRefPool(a.liquidity, a.priceUsd, pi),
        leader: a.follows === undefined ? undefined : { asset: a.follows.asset, beta: a.follows.beta ?? 1 },
        depth: depthOf(a.id),
      });
      this.usd.set(a.id, a.priceUsd);
    }
    const placed = new Set<string>();
    const place = (id: string): void => {
      if (placed.has(id)) return;
      const a = this.assets.get(id)!;
      if (a.quote !== USD) place(a.quote);
      if (a.leader !== undefined) place(a.leader.asset);
      placed.add(id);
      this.order.push(id);
    };
    for (const id of [...this.assets.keys()].sort(byId)) place(id);
  }

  /** Asset ids in id order. */
  ids(): string[] {
    return [...this.assets.keys()].sort(byId);
  }

  priceUsd(id: string): number {
    return id === USD ? 1 : this.usd.get(id)!;
  }

  prices(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of this.ids()) out[id] = this.usd.get(id)!;
    return out;
  }

  /** Section 4 step 1: each shocked asset's pool price times `1 + s`, then followers. */
  shockStep(shock: Readonly<Record<string, number>>): void {
    const before = new Map(this.usd);
    for (const [id, s] of Object.entries(shock)) {
      const pool = this.assets.get(id)!.pool;
      pool.moveTo(pool.price() * (1 + s));
    }
    this.finishStep(before);
  }

  /**
   * Section 4 step 4: `net` (units sold minus units bought, per asset) traded in order of
   * decreasing depth, ties by id; proceeds and costs flow into the quote's net; then followers.
   */
  tradeStep(net: ReadonlyMap<string, number>): TradeStepResult {
    const before = new Map(this.usd);
    const flow = new Map(net);
    const traded = new Set<string>();
    let liquidityExhausted = false;
    const order = [...this.assets.values()].sort((a, b) => b.depth - a.depth || byId(a.id, b.id));
    for (const a of order) {
      const n = flow.get(a.id) ?? 0;
      if (n === 0) continue;
      let quoteFlow: number;
      if (n > 0) {
        const r = a.pool.sell(n);
        quoteFlow = r.quote;
        liquidityExhausted ||= r.exhausted;
      } else {
        const r = a.pool.buy(-n);
        quoteFlow = -r.quote;
        liquidityExhausted ||= r.exhausted;
      }
      if (!a.pool.infinite) traded.add(a.id);
      if (a.quote !== USD) flow.set(a.quote, (flow.get(a.quote) ?? 0) + quoteFlow);
    }
    this.finishStep(before);
    return { traded, liquidityExhausted };
  }

  /**
   * Section 2 step 2: in dependency order, a follower's pool price times
   * `max(0, 1 + beta (r - 1))` (r: its leader's market price over the whole step; 1 when the
   * leader started the step at 0), as an arbitraged move; then `p = pi p_quote`.
   */
  private finishStep(before: ReadonlyMap<string, number>): void {
    for (const id of this.order) {
      const a = this.assets.get(id)!;
      if (a.leader !== undefined) {
        const old = before.get(a.leader.asset)!;
        const r = old === 0 ? 1 : this.usd.get(a.leader.asset)! / old;
        a.pool.moveTo(a.pool.price() * Math.max(0, 1 + a.leader.beta * (r - 1)));
      }
      this.usd.set(id, a.pool.price() * this.priceUsd(a.quote));
    }
  }

  /** The asset and its quotes up to USD (USD excluded). */
  quoteChain(id: string): string[] {
    const out: string[] = [];
    for (let at = id; at !== USD; at = this.assets.get(at)!.quote) out.push(at);
    return out;
  }

  /** What an asset's price depends on: itself, its quotes, its leaders, and theirs, transitively. */
  dependencies(id: string, into: Set<string> = new Set()): Set<string> {
    if (id === USD || into.has(id)) return into;
    into.add(id);
    const a = this.assets.get(id)!;
    this.dependencies(a.quote, into);
    if (a.leader !== undefined) this.dependencies(a.leader.asset, into);
    return into;
  }
}
