/**
 * Accounts kept as columns: an address in lowercase hex as 20 bytes, any other account as text;
 * each reads back as it was, compares as its text does, and sorts as its text does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountAt,
  accountColumn,
  accountColumnsOf,
  compareAccountsAt,
  isTextAccount,
} from "../../../src/core/book/bookAccounts.js";
import { sortByAccount } from "../../../src/core/book/sortByAccount.js";

const SEED = Number(process.env.SEED ?? 20261201);
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: length, maxLength: length });
/** Addresses (some sharing leading bytes), near-addresses and other text. */
const account = fc.oneof(
  hex(40).map((h) => `0x${h}`),
  hex(32).map((h) => `0x00ab0c1d${h}`),
  hex(40).map((h) => `0x${h}`.toUpperCase()),
  hex(39).map((h) => `0x${h}`),
  hex(41).map((h) => `0x${h}`),
  fc.string({ maxLength: 8 }),
);

describe("account columns", () => {
  it("keep addresses as bytes and other accounts as text, each read back as it was", () => {
    fc.assert(
      fc.property(fc.array(account, { maxLength: 40 }), (accounts) => {
        const columns = accountColumnsOf(accounts.length, (i) => accounts[i]!);
        accounts.forEach((a, i) => {
          expect(accountAt(columns, i)).toBe(a);
          expect(isTextAccount(columns, i)).toBe(!/^0x[0-9a-f]{40}$/.test(a));
        });
        expect(columns.text.length).toBe(accounts.filter((a) => !/^0x[0-9a-f]{40}$/.test(a)).length);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("compare as their text compares", () => {
    fc.assert(
      fc.property(account, account, (a, b) => {
        expect(Math.sign(compareAccountsAt(accountColumn(a), 0, accountColumn(b), 0))).toBe(byString(a, b));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("sort as their text sorts, addresses and text mixed or not", () => {
    fc.assert(
      fc.property(fc.uniqueArray(account, { maxLength: 80 }), fc.boolean(), (all, onlyAddresses) => {
        const accounts = onlyAddresses ? all.filter((a) => /^0x[0-9a-f]{40}$/.test(a)) : all;
        const indices = Int32Array.from(accounts.keys());
        sortByAccount(
          indices,
          accountColumnsOf(accounts.length, (i) => accounts[i]!),
        );
        expect(Array.from(indices, (i) => accounts[i])).toEqual([...accounts].sort(byString));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
