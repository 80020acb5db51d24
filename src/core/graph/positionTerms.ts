import { marketOracleId } from "../book/compileOracles.js";
import type { MarketData, PositionData } from "../snapshot/schema.js";

/** One asset of a position in the health ratio: `amount` units weighted by `weight`. */
export interface Term {
  asset: string;
  /** The oracle the market reads for it (its price in the health ratio). */
  oracle: string;
  amount: number;
  /** Liquidation threshold (Aave, eMode applied), lltv (Morpho), liquidateCollateralFactor (Compound); 1 for debt. */
  weight: number;
}

export interface PositionTerms {
  collateral: Term[];
  debt: Term[];
}

/**
 * A position as the two sides of its health ratio (docs/cascade-model.md section 4):
 * liquidatable when `Σ collateral amount·report·weight < Σ debt amount·report`, each asset
 * priced by the oracle its market reads.
 * Zero amounts are left out.
 */
export function positionTerms(position: PositionData, market: MarketData): PositionTerms {
  const collateral: Term[] = [];
  const debt: Term[] = [];
  for (const [asset, amount] of Object.entries(position.debt)) {
    if (amount > 0) debt.push({ asset, oracle: marketOracleId(market, asset, "debt"), amount, weight: 1 });
  }
  for (const [asset, amount] of Object.entries(position.collateral)) {
    if (amount > 0) {
      const oracle = marketOracleId(market, asset, "collateral");
      collateral.push({ asset, oracle, amount, weight: collateralWeight(position, market, asset) });
    }
  }
  return { collateral, debt };
}

function collateralWeight(position: PositionData, market: MarketData, asset: string): number {
  switch (market.protocol) {
    case "aave-v3": {
      const emode = position.emode ?? 0;
      const category = emode > 0 ? market.emodes[String(emode)] : undefined;
      if (category?.assets.includes(asset)) return category.liquidationThreshold;
      return market.reserves[asset]?.liquidationThreshold ?? 0;
    }
    case "aave-v4":
      return (
        position.dynamicConfig?.[asset]?.collateralFactor ?? market.reserves[asset]?.collateralFactor ?? 0
      );
    case "morpho-blue":
      return asset === market.collateral ? market.lltv : 0;
    case "compound-v3":
      return market.collaterals[asset]?.liquidateCollateralFactor ?? 0;
  }
}
