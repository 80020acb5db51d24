/**
 * Sorts position indices by account string (JavaScript string order) fast: a comparator sort of
 * a million strings takes seconds. Each index is packed with 32 bits of the characters after the
 * accounts' common prefix into one exact float64 (32 bits of characters, 21 bits of index),
 * sorted natively, then runs that share those bits are finished with the exact comparator. The
 * 32 bits are 8 hex digits of 4 bits each when every account has them there (addresses: ties are
 * rare), else 4 characters of 8 bits each. Either key is monotone in string order.
 */
const INDEX_BITS = 21;
const INDEX_LIMIT = 2 ** INDEX_BITS;
const KEY_CHARS = 4;
const HEX_CHARS = 8;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function commonPrefixLength(accounts: readonly string[], indices: ArrayLike<number>): number {
  if (indices.length === 0) return 0;
  const first = accounts[indices[0]!]!;
  let length = first.length;
  for (let k = 1; k < indices.length && length > 0; k++) {
    const s = accounts[indices[k]!]!;
    let j = 0;
    while (j < length && j < s.length && s.charCodeAt(j) === first.charCodeAt(j)) j++;
    length = j;
  }
  return length;
}

/** 8 lowercase hex digits of `s` from `at`, 4 bits each; -1 when `s` has none there. */
function hexKey(s: string, at: number): number {
  if (s.length < at + HEX_CHARS) return -1;
  let key = 0;
  for (let c = at; c < at + HEX_CHARS; c++) {
    const code = s.charCodeAt(c);
    // "0".."9" are 48..57, "a".."f" are 97..102: both ranges keep their order as 0..15.
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    key = key * 16 + digit;
  }
  return key;
}

/** 4 characters of `s` from `at`, 8 bits each (0 past the end); -1 when one is beyond 255. */
function charKey(s: string, at: number): number {
  let key = 0;
  for (let c = at; c < at + KEY_CHARS; c++) {
    const code = c < s.length ? s.charCodeAt(c) : 0;
    if (code > 255) return -1;
    key = key * 256 + code;
  }
  return key;
}

/** Per position of `indices`, `key(account) * INDEX_LIMIT + index`; undefined when a key is -1. */
function packedKeys(
  indices: Int32Array,
  accounts: readonly string[],
  prefix: number,
  key: (s: string, at: number) => number,
): Float64Array | undefined {
  const keys = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const chars = key(accounts[i]!, prefix);
    if (chars < 0) return undefined;
    keys[k] = chars * INDEX_LIMIT + i;
  }
  return keys;
}

/** Sorts `indices` in place so that `accounts[indices[k]]` ascend. */
export function sortByAccount(indices: Int32Array, accounts: readonly string[]): void {
  const n = indices.length;
  const exact = (a: number, b: number) => byString(accounts[a]!, accounts[b]!);
  let packable = n < INDEX_LIMIT;
  for (let k = 0; k < n && packable; k++) packable = indices[k]! < INDEX_LIMIT;
  const prefix = packable ? commonPrefixLength(accounts, indices) : 0;
  const keys = packable
    ? (packedKeys(indices, accounts, prefix, hexKey) ?? packedKeys(indices, accounts, prefix, charKey))
    : undefined;
  if (keys === undefined) {
    indices.set(Array.from(indices).sort(exact));
    return;
  }
  keys.sort();
  let runStart = 0;
  for (let k = 0; k <= n; k++) {
    const chars = k < n ? Math.floor(keys[k]! / INDEX_LIMIT) : -1;
    if (k > 0 && k < n && chars === Math.floor(keys[k - 1]! / INDEX_LIMIT)) continue;
    if (k - runStart > 1) {
      const run: number[] = [];
      for (let r = runStart; r < k; r++) run.push(keys[r]! % INDEX_LIMIT);
      run.sort(exact);
      for (let r = runStart; r < k; r++) indices[r] = run[r - runStart]!;
    } else if (k - runStart === 1) {
      indices[runStart] = keys[runStart]! % INDEX_LIMIT;
    }
    runStart = k;
  }
}
