/** Turns what the pool reports into the snapshot's `aave-v3` market (cascade-model section 1). */
import type { AaveMarketConfig } from "../../../config/schema/markets.js";
import type { AaveMarketData } from "../../../core/snapshot/schema.js";
import type { AaveMarketState } from "./readAaveMarket.js";
import type { AaveLiquidationLogic } from "./resolveLiquidationLogic.js";

const bps = (value: number): number => value / 10_000;

export function aaveMarketData(
  id: string,
  state: AaveMarketState,
  liquidationLogic: AaveLiquidationLogic,
  config: AaveMarketConfig,
): AaveMarketData {
  const reserves: AaveMarketData["reserves"] = {};
  const assetOfReserveId = new Map<number, string>();
  for (const reserve of state.reserves) {
    if (reserve.asset === undefined) continue;
    assetOfReserveId.set(reserve.id, reserve.asset);
    const c = reserve.configuration;
    reserves[reserve.asset] = {
      // A borrow-only reserve keeps its threshold 0 (cascade-snapshot/2 admits it): listed, owed, never seized.
      liquidationThreshold: bps(c.liquidationThresholdBps),
      liquidationBonus: Math.max(0, bps(c.liquidationBonusBps - 10_000)),
      protocolFee: bps(c.liquidationProtocolFeeBps),
      // Model 2.1 flags, written only when set (a market without them reads as before).
      ...(c.paused ? { paused: true } : {}),
      ...(c.frozen ? { frozen: true } : {}),
      ...(reserve.liquidationGraceUntil > 0 ? { liquidationGraceUntil: reserve.liquidationGraceUntil } : {}),
    };
  }
  const emodes: AaveMarketData["emodes"] = {};
  for (const [categoryId, emode] of state.emodes) {
    const assets = [...emode.reserveIds]
      .map((rid) => assetOfReserveId.get(rid))
      .filter((a): a is string => a !== undefined);
    emodes[String(categoryId)] = {
      liquidationThreshold: bps(emode.liquidationThresholdBps),
      liquidationBonus: Math.max(0, bps(emode.liquidationBonusBps - 10_000)),
      assets: assets.sort(),
    };
  }
  return {
    id,
    protocol: "aave-v3",
    liquidationLogic,
    closeFactor: config.closeFactor ?? 0.5,
    closeFactorHfThreshold: config.closeFactorHfThreshold ?? 0.95,
    fullCloseBelowUsd: config.fullCloseBelowUsd ?? 2000,
    minLeftoverUsd: config.minLeftoverUsd ?? 1000,
    liquidationGasUsd: 0,
    reserves,
    emodes,
    ...(state.sentinel === undefined
      ? {}
      : {
          sentinel: {
            liquidationAllowed: state.sentinel.liquidationAllowed,
            gracePeriodSeconds: state.sentinel.gracePeriodSeconds,
          },
        }),
  };
}
