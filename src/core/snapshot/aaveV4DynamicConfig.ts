/**
 * Aave V4: a position's `dynamicConfig` entry over its reserve (docs/cascade-model.md section 1:
 * a field the entry leaves out is the reserve's).
 */
import type { AaveV4MarketData, PositionData } from "./schema.js";

type AaveV4ReserveData = AaveV4MarketData["reserves"][string];
type AaveV4DynamicConfigEntry = NonNullable<PositionData["dynamicConfig"]>[string];

/** The reserve as a position with this configuration entry sees it. */
export function reserveUnderDynamicConfig(
  reserve: AaveV4ReserveData,
  entry: AaveV4DynamicConfigEntry | undefined,
): AaveV4ReserveData {
  if (entry === undefined) return reserve;
  return {
    ...reserve,
    collateralFactor: entry.collateralFactor ?? reserve.collateralFactor,
    maxLiquidationBonus: entry.maxLiquidationBonus ?? reserve.maxLiquidationBonus,
    liquidationFee: entry.liquidationFee ?? reserve.liquidationFee,
  };
}
