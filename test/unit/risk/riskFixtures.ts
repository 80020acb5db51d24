/**
 * Books whose VaR is known in closed form: one Morpho position per asset, each asset with
 * infinite liquidity (no cascade), so a position is liquidated, in full, exactly when its
 * asset's shock is below its liquidation shock.
 */
import jStat from "jstat";
import type { SnapshotInput } from "../../../src/core/snapshot/schema.js";
import { assetFixture, positionFixture } from "../../helpers/snapshotFixtures.js";

export const LLTV = 0.86;

/** The shock `s*` with `P(s <= s*) = q` under `s = exp(sigma sqrt(h) z - sigma^2 h / 2) - 1`. */
export function shockAtProbability(q: number, sigma: number, horizonYears: number): number {
  const z = jStat.normal.inv(q, 0, 1);
  return Math.exp(sigma * Math.sqrt(horizonYears) * z - (sigma * sigma * horizonYears) / 2) - 1;
}

export interface LonePosition {
  readonly asset: string;
  readonly priceUsd: number;
  readonly debtUsd: number;
  /** Liquidated when the asset's shock is below this. */
  readonly liquidationShock: number;
}

/** One Morpho market `<asset>/USDC` per position; the collateral sits exactly at `liquidationShock`. */
export function lonePositionsSnapshot(positions: readonly LonePosition[]): SnapshotInput {
  return {
    schema: "cascade-snapshot/1",
    assets: [assetFixture("USDC", 1), ...positions.map((p) => assetFixture(p.asset, p.priceUsd))],
    markets: positions.map((p) => ({
      id: `morpho-blue:1:${p.asset.toLowerCase()}-usdc`,
      protocol: "morpho-blue" as const,
      collateral: p.asset,
      loan: "USDC",
      lltv: LLTV,
    })),
    positions: positions.map((p) =>
      positionFixture(
        `morpho-blue:1:${p.asset.toLowerCase()}-usdc`,
        "0xlone",
        { [p.asset]: p.debtUsd / (LLTV * p.priceUsd * (1 + p.liquidationShock)) },
        { USDC: p.debtUsd },
      ),
    ),
  };
}
