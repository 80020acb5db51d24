/**
 * A stable fingerprint of an alert's labels: FNV-1a 64-bit over the labels sorted by name, as
 * 16 hex digits. Same labels in any order give the same fingerprint, on any machine.
 */
export type AlertLabels = Readonly<Record<string, string>>;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a 64 of a string's UTF-16 code units, hex, zero-padded to 16 digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, "0");
}

/** Fingerprint of a label set; a separator byte that cannot appear in a label keeps `a=b,c` apart from `a=b` + `c`. */
export function fingerprint(labels: AlertLabels): string {
  const names = Object.keys(labels).sort();
  return fnv1a64(names.map((name) => `${name}\u0000${labels[name]}`).join("\u0001"));
}
