/**
 * Sorts position indices by account string (JavaScript string order) fast: a comparator sort of
 * a million strings takes seconds. Each index is packed with 4 characters after the accounts'
 * common prefix into one exact float64 (32 bits of characters, 21 bits of index), sorted
 * natively, then runs that share those 4 characters are finished with the exact comparator.
 */
const INDEX_BITS = 21;
const INDEX_LIMIT = 2 ** INDEX_BITS;
const KEY_CHARS = 4;

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

/** Sorts `indices` in place so that `accounts[indices[k]]` ascend. */
export function sortByAccount(indices: Int32Array, accounts: readonly string[]): void {
  const n = indices.length;
  const exact = (a: number, b: number) => byString(accounts[a]!, accounts[b]!);
  let packable = n < INDEX_LIMIT;
  const prefix = packable ? commonPrefixLength(accounts, indices) : 0;
  const keys = new Float64Array(packable ? n : 0);
  for (let k = 0; k < n && packable; k++) {
    const i = indices[k]!;
    if (i >= INDEX_LIMIT) {
      packable = false;
      break;
    }
    const s = accounts[i]!;
    let chars = 0;
    for (let c = 0; c < KEY_CHARS; c++) {
      const code = prefix + c < s.length ? s.charCodeAt(prefix + c) : 0;
      if (code > 255) packable = false;
      chars = chars * 256 + code;
    }
    keys[k] = chars * INDEX_LIMIT + i;
  }
  if (!packable) {
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
