/** The reorg window against a fake chain: a map from height to canonical hash that tests rewrite. */
import type { Hash } from "viem";
import { describe, expect, it } from "vitest";
import {
  type BlockRecord,
  findCommonAncestor,
  splitFinal,
  tipOf,
} from "../../../src/app/sync/reorgWindow.js";

const h = (tag: string, n: number): Hash => `0x${tag.repeat(2)}${n.toString(16).padStart(62, "0")}` as Hash;

function chainOf(tag: string, from: number, to: number): Map<bigint, Hash> {
  const chain = new Map<bigint, Hash>();
  for (let n = from; n <= to; n++) chain.set(BigInt(n), h(tag, n));
  return chain;
}

function windowOf(tag: string, from: number, to: number): BlockRecord[] {
  const out: BlockRecord[] = [];
  for (let n = from; n <= to; n++)
    out.push({ number: BigInt(n), hash: h(tag, n), parentHash: h(tag, n - 1), logs: [[]] });
  return out;
}

describe("reorg window", () => {
  const finalized = { number: 100n, hash: h("a", 100) };
  const window = windowOf("a", 101, 105);

  it("sees an unchanged tip without a rollback, asking one hash", async () => {
    const chain = chainOf("a", 100, 107);
    const asked: bigint[] = [];
    const result = await findCommonAncestor(window, finalized, 107n, async (n) => {
      asked.push(n);
      return chain.get(n)!;
    });
    expect(result).toEqual({ kind: "unchanged", ancestor: 105n });
    expect(asked).toEqual([105n]);
  });

  it("rolls back to the newest block still on the chain and lists the orphaned ones", async () => {
    const chain = chainOf("a", 100, 102);
    for (const [n, hash] of chainOf("b", 103, 106)) chain.set(n, hash);
    const result = await findCommonAncestor(window, finalized, 106n, async (n) => chain.get(n)!);
    expect(result.kind).toBe("reorg");
    if (result.kind !== "reorg") return;
    expect(result.ancestor).toBe(102n);
    expect(result.orphaned.map((r) => r.number)).toEqual([103n, 104n, 105n]);
  });

  it("handles a head that went below the tip (a shorter fork)", async () => {
    const chain = chainOf("a", 100, 103);
    chain.set(104n, h("c", 104));
    const result = await findCommonAncestor(window, finalized, 104n, async (n) => chain.get(n)!);
    expect(result).toMatchObject({ kind: "reorg", ancestor: 103n });
  });

  it("rolls the whole window back to the finalized block when only it is left", async () => {
    const chain = chainOf("a", 100, 100);
    for (const [n, hash] of chainOf("d", 101, 106)) chain.set(n, hash);
    const result = await findCommonAncestor(window, finalized, 106n, async (n) => chain.get(n)!);
    expect(result).toMatchObject({ kind: "reorg", ancestor: 100n });
    expect(result.kind === "reorg" ? result.orphaned.length : 0).toBe(5);
  });

  it("reports a reorg deeper than the window when the finalized block changed", async () => {
    const chain = chainOf("e", 99, 106);
    const result = await findCommonAncestor(window, finalized, 106n, async (n) => chain.get(n)!);
    expect(result).toEqual({ kind: "too-deep", finalized });
  });

  it("moves blocks at or below the limit out of the window, and names the tip", () => {
    const { leaving, staying } = splitFinal(window, 103n);
    expect(leaving.map((r) => r.number)).toEqual([101n, 102n, 103n]);
    expect(staying.map((r) => r.number)).toEqual([104n, 105n]);
    expect(tipOf(staying, finalized)).toEqual({ number: 105n, hash: h("a", 105) });
    expect(tipOf([], finalized)).toEqual(finalized);
  });
});
