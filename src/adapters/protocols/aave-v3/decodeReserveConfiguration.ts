/** Aave V3 `ReserveConfigurationMap` bit layout (the same from V3.0 to V3.6; eMode bits unused since V3.2). */
export interface ReserveConfiguration {
  /** Basis points. */
  readonly ltvBps: number;
  readonly liquidationThresholdBps: number;
  /** 10500 = 5% bonus. */
  readonly liquidationBonusBps: number;
  readonly decimals: number;
  readonly active: boolean;
  readonly frozen: boolean;
  readonly borrowingEnabled: boolean;
  readonly paused: boolean;
  readonly reserveFactorBps: number;
  /** Share of the liquidation bonus kept by the protocol, basis points. */
  readonly liquidationProtocolFeeBps: number;
  /** V3.0/V3.1 eMode category of the asset (bits 168-175); 0 on V3.2+ where bitmaps replaced it. */
  readonly legacyEModeCategory: number;
}

const bits = (data: bigint, start: number, width: number): number =>
  Number((data >> BigInt(start)) & ((1n << BigInt(width)) - 1n));

export function decodeReserveConfiguration(data: bigint): ReserveConfiguration {
  return {
    ltvBps: bits(data, 0, 16),
    liquidationThresholdBps: bits(data, 16, 16),
    liquidationBonusBps: bits(data, 32, 16),
    decimals: bits(data, 48, 8),
    active: bits(data, 56, 1) === 1,
    frozen: bits(data, 57, 1) === 1,
    borrowingEnabled: bits(data, 58, 1) === 1,
    paused: bits(data, 60, 1) === 1,
    reserveFactorBps: bits(data, 64, 16),
    liquidationProtocolFeeBps: bits(data, 152, 16),
    legacyEModeCategory: bits(data, 168, 8),
  };
}

/** User configuration bitmap: bit 2i = borrowing reserve i, bit 2i+1 = using reserve i as collateral. */
export function isBorrowing(userConfig: bigint, reserveId: number): boolean {
  return ((userConfig >> BigInt(reserveId * 2)) & 1n) === 1n;
}

export function isUsingAsCollateral(userConfig: bigint, reserveId: number): boolean {
  return ((userConfig >> BigInt(reserveId * 2 + 1)) & 1n) === 1n;
}
