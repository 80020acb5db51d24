/**
 * A plain decimal string for `parseUnits`: JavaScript's shortest round-trip form (`1.2`, not
 * `1.19999…956`), falling back to 18 fixed digits when that form would use an exponent.
 */
export function decimalString(value: number): string {
  const shortest = String(value);
  if (!shortest.includes("e")) return shortest;
  return value.toFixed(18).replace(/\.?0+$/, "");
}
