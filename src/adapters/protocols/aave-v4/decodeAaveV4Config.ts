/**
 * Aave V4's on-chain encodings to the model's units (cascade-model section 1, `aave-v4`):
 * percentages in BPS (10000 = 100%; `maxLiquidationBonus` 10500 = a 5% bonus), health factors
 * in WAD (1e18 = 1.00).
 */
export interface AaveV4DynamicConfig {
  readonly collateralFactor: number;
  /** Above 1: 0.05 = 105%. */
  readonly maxLiquidationBonus: number;
  readonly liquidationFee: number;
}

export interface AaveV4LiquidationConfig {
  readonly targetHealthFactor: number;
  readonly healthFactorForMaxBonus: number;
  readonly liquidationBonusFactor: number;
}

const BPS = 10_000;
const WAD = 1e18;

export function decodeDynamicConfig(raw: {
  readonly collateralFactor: number;
  readonly maxLiquidationBonus: number;
  readonly liquidationFee: number;
}): AaveV4DynamicConfig {
  return {
    collateralFactor: raw.collateralFactor / BPS,
    maxLiquidationBonus: Math.max(0, (raw.maxLiquidationBonus - BPS) / BPS),
    liquidationFee: raw.liquidationFee / BPS,
  };
}

export function decodeLiquidationConfig(raw: {
  readonly targetHealthFactor: bigint;
  readonly healthFactorForMaxBonus: bigint;
  readonly liquidationBonusFactor: number;
}): AaveV4LiquidationConfig {
  return {
    targetHealthFactor: Number(raw.targetHealthFactor) / WAD,
    healthFactorForMaxBonus: Number(raw.healthFactorForMaxBonus) / WAD,
    liquidationBonusFactor: raw.liquidationBonusFactor / BPS,
  };
}

/** The entries of a position's dynamic config that differ from its reserve's latest one. */
export function dynamicConfigDifference(
  own: AaveV4DynamicConfig,
  latest: AaveV4DynamicConfig,
): Partial<AaveV4DynamicConfig> | undefined {
  const out: { -readonly [K in keyof AaveV4DynamicConfig]?: number } = {};
  if (own.collateralFactor !== latest.collateralFactor) out.collateralFactor = own.collateralFactor;
  if (own.maxLiquidationBonus !== latest.maxLiquidationBonus)
    out.maxLiquidationBonus = own.maxLiquidationBonus;
  if (own.liquidationFee !== latest.liquidationFee) out.liquidationFee = own.liquidationFee;
  return Object.keys(out).length === 0 ? undefined : out;
}
