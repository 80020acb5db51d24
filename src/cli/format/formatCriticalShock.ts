import type { CriticalShock } from "../../core/curve/findCriticalShock.js";
import { formatPercent, formatPrice } from "./formatNumbers.js";

/** Two lines: where a cascade starts and where bad debt starts, as a drop and a price. */
export function formatCriticalShock(critical: CriticalShock, priceUsd: number): string[] {
  const at = (shock: number | null): string =>
    shock === null
      ? "not reached down to -99%"
      : `${formatPercent(shock)} (price ${formatPrice(priceUsd)} → ${formatPrice(priceUsd * (1 + shock))})`;
  return [
    `${critical.asset} at ${formatPrice(priceUsd)}`,
    `  cascade (two or more rounds with liquidations) from: ${at(critical.criticalShock)}`,
    `  bad debt from:                                       ${at(critical.badDebtShock)}`,
  ];
}
