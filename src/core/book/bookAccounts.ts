/**
 * Positions' accounts as columns, without a string per position. An account written `0x` and 40
 * lowercase hex digits (an EVM address) is kept as its 20 bytes; any other account is kept as
 * text, in a list in position order. Byte order of addresses is the string order of their text
 * (digits sort before `a`..`f` in both), so books sort and search by bytes.
 */
import type { AccountId } from "../ids.js";

export const ADDRESS_BYTES = 20;

/**
 * Position `i`'s account: when `textStart[i + 1] > textStart[i]` it is `text[textStart[i]]`;
 * else it is the address in `address[20 i .. 20 i + 19]` (zero bytes where the account is text).
 */
export interface AccountColumns {
  readonly address: Uint8Array;
  /** One more than the positions. */
  readonly textStart: Int32Array;
  readonly text: readonly AccountId[];
}

/** Per byte value, its two lowercase hex digits. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** The value of a lowercase hex digit's character code, -1 for anything else. */
function nibble(code: number): number {
  return code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
}

/**
 * Writes the 20 bytes of `account` at `out[at ..]` when it is an address in lowercase hex and
 * says whether it was; writes 20 zero bytes there otherwise.
 */
export function writeAddress(account: string, out: Uint8Array, at: number): boolean {
  if (account.length === 42 && account.charCodeAt(0) === 48 && account.charCodeAt(1) === 120) {
    let b = 0;
    for (; b < ADDRESS_BYTES; b++) {
      const high = nibble(account.charCodeAt(2 + 2 * b));
      const low = nibble(account.charCodeAt(3 + 2 * b));
      if (high < 0 || low < 0) break;
      out[at + b] = high * 16 + low;
    }
    if (b === ADDRESS_BYTES) return true;
  }
  out.fill(0, at, at + ADDRESS_BYTES);
  return false;
}

/** The text of the address at `bytes[at .. at + 19]`: `0x` and 40 lowercase hex digits. */
export function addressText(bytes: Uint8Array, at: number): string {
  let text = "0x";
  for (let b = at; b < at + ADDRESS_BYTES; b++) text += HEX_BYTE[bytes[b]!]!;
  return text;
}

export function isTextAccount(columns: AccountColumns, i: number): boolean {
  return columns.textStart[i + 1]! > columns.textStart[i]!;
}

/** Position `i`'s account. */
export function accountAt(columns: AccountColumns, i: number): AccountId {
  const t = columns.textStart[i]!;
  if (columns.textStart[i + 1]! > t) return columns.text[t]!;
  return addressText(columns.address, i * ADDRESS_BYTES) as AccountId;
}

/** Compares two addresses' bytes: negative, zero or positive as the first sorts before, with or after. */
export function compareAddresses(a: Uint8Array, at: number, b: Uint8Array, bt: number): number {
  for (let k = 0; k < ADDRESS_BYTES; k++) {
    const d = a[at + k]! - b[bt + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Compares (JavaScript string order) position `i`'s account with position `j`'s of `other`. */
export function compareAccountsAt(a: AccountColumns, i: number, b: AccountColumns, j: number): number {
  const aText = isTextAccount(a, i);
  const bText = isTextAccount(b, j);
  if (!aText && !bText) return compareAddresses(a.address, i * ADDRESS_BYTES, b.address, j * ADDRESS_BYTES);
  const x = accountAt(a, i);
  const y = accountAt(b, j);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An account as a one-position column (to compare with or write into others). */
export function accountColumn(account: string): AccountColumns {
  const address = new Uint8Array(ADDRESS_BYTES);
  const isAddress = writeAddress(account, address, 0);
  return {
    address,
    textStart: Int32Array.of(0, isAddress ? 0 : 1),
    text: isAddress ? [] : [account as AccountId],
  };
}

/** The columns of `count` accounts given one by one. */
export function accountColumnsOf(count: number, accountOf: (i: number) => string): AccountColumns {
  const address = new Uint8Array(count * ADDRESS_BYTES);
  const textStart = new Int32Array(count + 1);
  const text: AccountId[] = [];
  for (let i = 0; i < count; i++) {
    const account = accountOf(i);
    if (!writeAddress(account, address, i * ADDRESS_BYTES)) text.push(account as AccountId);
    textStart[i + 1] = text.length;
  }
  return { address, textStart, text };
}

/** The accounts of positions `order[0], order[1], …` of `columns`, in new arrays (`identity`: order is `0, 1, …`). */
export function gatherAccounts(
  columns: AccountColumns,
  order: Int32Array,
  identity: boolean,
): AccountColumns {
  const count = order.length;
  if (identity)
    return {
      address: columns.address.slice(0, count * ADDRESS_BYTES),
      textStart: columns.textStart.slice(0, count + 1),
      text: columns.text.slice(0, columns.textStart[count]!),
    };
  const address = new Uint8Array(count * ADDRESS_BYTES);
  const textStart = new Int32Array(count + 1);
  const text: AccountId[] = [];
  const from = columns.address;
  for (let i = 0; i < count; i++) {
    const source = order[i]!;
    const t = columns.textStart[source]!;
    if (columns.textStart[source + 1]! > t) text.push(columns.text[t]!);
    else
      for (let b = 0, at = i * ADDRESS_BYTES, src = source * ADDRESS_BYTES; b < ADDRESS_BYTES; b++)
        address[at + b] = from[src + b]!;
    textStart[i + 1] = text.length;
  }
  return { address, textStart, text };
}

/**
 * Whether two neighbours of one market share an account, in positions sorted by market, then
 * account (so that any two positions of a market with one account are neighbours).
 */
export function hasRepeatedAccount(market: Int32Array, accounts: AccountColumns): boolean {
  const { address, textStart } = accounts;
  for (let i = 1; i < market.length; i++) {
    if (market[i] !== market[i - 1]) continue;
    const same =
      textStart[i + 1] === textStart[i - 1]
        ? compareAddresses(address, (i - 1) * ADDRESS_BYTES, address, i * ADDRESS_BYTES) === 0
        : compareAccountsAt(accounts, i - 1, accounts, i) === 0;
    if (same) return true;
  }
  return false;
}
