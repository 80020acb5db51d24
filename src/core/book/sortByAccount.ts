/**
 * Sorts position indices by account (JavaScript string order) fast: a comparator sort of a
 * million accounts takes seconds. Each index is packed with 32 bits of the account after the
 * accounts' common prefix into one exact float64 (32 bits of key, 21 bits of index), sorted
 * natively, then runs that share those bits are finished with the exact comparator. Addresses
 * give 4 bytes (their byte order is their text's order); other accounts 8 hex digits of 4 bits
 * each when every account has them there (ties are rare), else 4 characters of 8 bits each.
 * Either key is monotone in string order.
 */
import {
  type AccountColumns,
  ADDRESS_BYTES,
  accountAt,
  compareAddresses,
  isTextAccount,
} from "./bookAccounts.js";

const INDEX_BITS = 21;
const INDEX_LIMIT = 2 ** INDEX_BITS;
const KEY_CHARS = 4;
const HEX_CHARS = 8;
const KEY_BYTES = 4;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function commonPrefixLength(accounts: readonly string[]): number {
  if (accounts.length === 0) return 0;
  const first = accounts[0]!;
  let length = first.length;
  for (let k = 1; k < accounts.length && length > 0; k++) {
    const s = accounts[k]!;
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

/**
 * Sorts `0 .. keyOf.length - 1` by `exact`, given per item a 32-bit key monotone in that order
 * (or undefined: comparator only); returns the sorted items.
 */
function sortByKeys(
  n: number,
  keys: Float64Array | undefined,
  exact: (a: number, b: number) => number,
): Int32Array {
  const out = new Int32Array(n);
  if (keys === undefined) {
    const items = Array.from({ length: n }, (_, k) => k).sort(exact);
    out.set(items);
    return out;
  }
  for (let k = 0; k < n; k++) keys[k] = keys[k]! * INDEX_LIMIT + k;
  keys.sort();
  let runStart = 0;
  for (let k = 0; k <= n; k++) {
    const chars = k < n ? Math.floor(keys[k]! / INDEX_LIMIT) : -1;
    if (k > 0 && k < n && chars === Math.floor(keys[k - 1]! / INDEX_LIMIT)) continue;
    if (k - runStart > 1) {
      const run: number[] = [];
      for (let r = runStart; r < k; r++) run.push(keys[r]! % INDEX_LIMIT);
      run.sort(exact);
      for (let r = runStart; r < k; r++) out[r] = run[r - runStart]!;
    } else if (k - runStart === 1) {
      out[runStart] = keys[runStart]! % INDEX_LIMIT;
    }
    runStart = k;
  }
  return out;
}

/** Per item, the key `key(text, prefix)`; undefined when one is -1. */
function textKeys(texts: readonly string[], prefix: number, key: (s: string, at: number) => number) {
  const keys = new Float64Array(texts.length);
  for (let k = 0; k < texts.length; k++) {
    const chars = key(texts[k]!, prefix);
    if (chars < 0) return undefined;
    keys[k] = chars;
  }
  return keys;
}

function sortTexts(n: number, texts: readonly string[]): Int32Array {
  const exact = (a: number, b: number) => byString(texts[a]!, texts[b]!);
  if (n >= INDEX_LIMIT) return sortByKeys(n, undefined, exact);
  const prefix = commonPrefixLength(texts);
  const keys = textKeys(texts, prefix, hexKey) ?? textKeys(texts, prefix, charKey);
  return sortByKeys(n, keys, exact);
}

/** `at[k]`: the offset of item `k`'s address in `bytes`. */
function sortAddresses(n: number, bytes: Uint8Array, at: Int32Array): Int32Array {
  const exact = (a: number, b: number) => compareAddresses(bytes, at[a]!, bytes, at[b]!);
  if (n >= INDEX_LIMIT || n === 0) return sortByKeys(n, undefined, exact);
  // Bytes every address shares (a generated book's may share some), up to the last key's start.
  let prefix = ADDRESS_BYTES - KEY_BYTES;
  const first = at[0]!;
  for (let k = 1; k < n && prefix > 0; k++) {
    let j = 0;
    while (j < prefix && bytes[at[k]! + j] === bytes[first + j]) j++;
    prefix = j;
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const b = at[k]! + prefix;
    keys[k] = bytes[b]! * 2 ** 24 + bytes[b + 1]! * 2 ** 16 + bytes[b + 2]! * 2 ** 8 + bytes[b + 3]!;
  }
  return sortByKeys(n, keys, exact);
}

/** Sorts `indices` in place so that the accounts of positions `indices[k]` ascend. */
export function sortByAccount(indices: Int32Array, accounts: AccountColumns): void {
  const n = indices.length;
  let allAddresses = true;
  for (let k = 0; k < n && allAddresses; k++) allAddresses = !isTextAccount(accounts, indices[k]!);
  let sorted: Int32Array;
  if (allAddresses) {
    const at = new Int32Array(n);
    for (let k = 0; k < n; k++) at[k] = indices[k]! * ADDRESS_BYTES;
    sorted = sortAddresses(n, accounts.address, at);
  } else {
    const texts: string[] = [];
    for (let k = 0; k < n; k++) texts.push(accountAt(accounts, indices[k]!));
    sorted = sortTexts(n, texts);
  }
  const original = indices.slice();
  for (let k = 0; k < n; k++) indices[k] = original[sorted[k]!]!;
}
