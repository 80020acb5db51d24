/** The page formats numbers as the CLI does: one home for `$9.17M`, `-20.00%` and prices. */
import { formatPercent } from "../../src/cli/format/formatNumbers.js";

export {
  formatCount,
  formatPercent,
  formatPrice,
  formatUsd,
  shortenId,
} from "../../src/cli/format/formatNumbers.js";

/** `WETH -20%, WBTC -10%`; whole percents unless the shock needs more. */
export function shockText(shock: Readonly<Record<string, number>>): string {
  return Object.entries(shock)
    .map(([asset, s]) => `${asset} ${formatPercent(s, Number.isInteger(s * 100) ? 0 : 2)}`)
    .join(", ");
}

/** Seconds or minutes since `iso`. */
export function ageText(iso: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}
