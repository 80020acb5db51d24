import type { AaveEModeDeployment, AaveEModeParams } from "./AaveDeployment.js";

/** The deployment record of a market's single eMode category, keyed by its id. */
export function aaveEModeDeployments(emode: AaveEModeParams): Record<number, AaveEModeDeployment> {
  return {
    [emode.id]: {
      label: emode.label,
      ltv: emode.ltvBps,
      liquidationThreshold: emode.liquidationThresholdBps,
      liquidationBonus: emode.liquidationBonusBps,
      assets: [...emode.assets],
    },
  };
}
