/** Number formatting for the human-readable CLI output (the `--json` output is never rounded). */

/** `$1.23B`, `$4.56M`, `$789.0k`, `$12.34`; negatives get a leading minus. */
export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${sign}$${(abs / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${sign}$${(abs / 1e3).toFixed(1)}k`;
  return `${sign}$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A fraction as a signed percent: `-0.2` → `-20.00%`. */
export function formatPercent(fraction: number, digits = 2): string {
  const text = (fraction * 100).toFixed(digits);
  return `${fraction > 0 ? "+" : ""}${text}%`;
}

/** A price: 2 decimals from 1 up, 4 significant digits below. */
export function formatPrice(priceUsd: number): string {
  if (Math.abs(priceUsd) >= 1) {
    return priceUsd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return priceUsd.toPrecision(4);
}

/** A token amount with up to 8 significant digits, thousands separated. */
export function formatAmount(amount: number): string {
  return amount.toLocaleString("en-US", { maximumSignificantDigits: 8 });
}

/** An integer count with thousands separators. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** Long hex in an id shortened for a terminal: `aave-v3:1:0x87870bca…4fa4e2` (the JSON keeps it whole). */
export function shortenId(id: string): string {
  return id.replace(/0x([0-9a-fA-F]{8})[0-9a-fA-F]{20,}([0-9a-fA-F]{6})/g, "0x$1…$2");
}
