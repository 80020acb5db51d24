/**
 * Oracles (cascade-model.md section 3): `market` (scaled market price, optionally a deviation-
 * threshold feed), `rate` (a multiple of another oracle) and `fixed`. Every asset `a` has an
 * oracle with id `a`: the one the snapshot gives that id, else the market price of `a`.
 */
import type { RefMarket } from "./refMarket.js";
import type { OracleDoc } from "./snapshotDoc.js";

export class RefOracles {
  private readonly docs: ReadonlyMap<string, OracleDoc>;
  /** What each deviation-threshold feed last reported. */
  private readonly reported = new Map<string, number>();

  constructor(
    docs: Readonly<Record<string, OracleDoc>> | undefined,
    private readonly market: RefMarket,
  ) {
    this.docs = new Map(Object.entries(docs ?? {}));
    for (const [id, o] of this.docs) {
      if (o.kind === "market" && (o.deviation ?? 0) > 0)
        this.reported.set(id, o.reportedUsd ?? (o.scale ?? 1) * market.priceUsd(o.asset));
    }
  }

  private doc(id: string): OracleDoc {
    return this.docs.get(id) ?? { kind: "market", asset: id };
  }

  /** Start of a round: a deviation feed moves to `k p_A` only when it is off by `deviation` or more. */
  update(): void {
    for (const [id, o] of this.docs) {
      if (o.kind !== "market" || !((o.deviation ?? 0) > 0)) continue;
      const now = (o.scale ?? 1) * this.market.priceUsd(o.asset);
      const last = this.reported.get(id)!;
      if (Math.abs(now / last - 1) >= o.deviation!) this.reported.set(id, now);
    }
  }

  /** What oracle `id` reports now, USD per unit. */
  priceUsd(id: string): number {
    const o = this.doc(id);
    switch (o.kind) {
      case "fixed":
        return o.priceUsd;
      case "rate":
        return (o.scale ?? 1) * this.priceUsd(o.oracle);
      case "market":
        return (o.deviation ?? 0) > 0
          ? this.reported.get(id)!
          : (o.scale ?? 1) * this.market.priceUsd(o.asset);
    }
  }
}
