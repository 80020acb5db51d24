/**
 * Subgraph and Morpho API discovery against a real local HTTP server that answers GraphQL
 * requests page by page, and sometimes answers badly.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getAddress } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { createChainClient } from "../../../src/adapters/chain/createChainClient.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import { createAaveV3Indexer } from "../../../src/adapters/protocols/aave-v3/createAaveV3Indexer.js";
import { aaveSubgraphBorrowers } from "../../../src/adapters/subgraph/aaveSubgraphBorrowers.js";
import { morphoApiBorrowers } from "../../../src/adapters/subgraph/morphoApiBorrowers.js";
import { chainSchema } from "../../../src/config/schema/chains.js";
import { aaveMarketConfigSchema } from "../../../src/config/schema/markets.js";
import { TransientError } from "../../../src/core/errors.js";

const SEED = Number(process.env.SEED ?? 3);

/** Deterministic addresses (xorshift on SEED), lower-case as subgraphs return them. */
function addresses(count: number): string[] {
  let x = SEED * 2654435761 + 1;
  const out = new Set<string>();
  while (out.size < count) {
    let hex = "";
    for (let i = 0; i < 5; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      hex += (x >>> 0).toString(16).padStart(8, "0");
    }
    out.add(`0x${hex}`);
  }
  return [...out].sort();
}

interface GraphQlRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

let server: Server | undefined;

async function serve(answer: (request: GraphQlRequest, n: number) => unknown): Promise<string> {
  let n = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as GraphQlRequest;
      const reply = answer(body, n++);
      if (reply === "http500") {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("upstream failed");
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ data: reply }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/aave/protocol-v3`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

describe("aave-v3 subgraph discovery", () => {
  const borrowers = addresses(2345);
  const page = (request: GraphQlRequest, block = 21_000_000) => {
    const lastId = String(request.variables.lastId);
    const first = Number(request.variables.first);
    return {
      _meta: { block: { number: block } },
      users: borrowers
        .filter((id) => id > lastId)
        .slice(0, first)
        .map((id) => ({ id })),
    };
  };

  it("reads every page by id cursor and reports the block the subgraph indexed", async () => {
    const seenCursors: string[] = [];
    const url = await serve((request) => {
      seenCursors.push(String(request.variables.lastId));
      return page(request);
    });
    const result = await aaveSubgraphBorrowers(url, { baseDelayMs: 1 });
    expect(result.accounts).toEqual(borrowers.map((a) => getAddress(a)));
    expect(result.throughBlock).toBe(21_000_000n);
    // 2345 users in pages of 1000: cursors "", the 1000th id, the 2000th id.
    expect(seenCursors).toEqual(["", borrowers[999], borrowers[1999]]);
  });

  it("rejects a malformed page, fetches it again, and applies each page once", async () => {
    let requests = 0;
    const url = await serve((request, n) => {
      requests = n + 1;
      if (n === 1) return { _meta: { block: { number: 21_000_000 } }, users: [{ id: 42 }] };
      if (n === 2) return "http500";
      return page(request);
    });
    const result = await aaveSubgraphBorrowers(url, { baseDelayMs: 1 });
    // Three pages, the second fetched three times (malformed, then HTTP 500, then good).
    expect(requests).toBe(5);
    expect(result.accounts).toEqual(borrowers.map((a) => getAddress(a)));
    expect(new Set(result.accounts).size).toBe(borrowers.length);
  });

  it("takes the lowest indexed block when pages come from different heights", async () => {
    const url = await serve((request, n) => page(request, 21_000_000 + (n === 1 ? -5 : n)));
    expect((await aaveSubgraphBorrowers(url, { baseDelayMs: 1 })).throughBlock).toBe(20_999_995n);
  });

  it("applies nothing when a page stays malformed", async () => {
    const url = await serve((request, n) =>
      n >= 1 ? { _meta: { block: { number: 1 } }, users: "nope" } : page(request),
    );
    const chain = chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"] });
    const indexer = createAaveV3Indexer({
      client: createChainClient(chain, { rank: false }),
      config: aaveMarketConfigSchema.parse({
        protocol: "aave-v3",
        chain: 1,
        pool: "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2",
        addressesProvider: "0x2f39d218133AFaB8F2B819B1066c7E434Ad94E9e",
        subgraph: url,
      }),
      assets: new AssetRegistry([]),
      batchBytes: 4096,
    });
    const error = await indexer.discover!().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(
      /aave-v3 subgraph: page 2 failed 4 times: malformed page \(users: .*\); nothing was applied/,
    );
    expect((error as Error).message).not.toContain("127.0.0.1");
    expect(indexer.keys()).toEqual([]);
  });
});

describe("morpho api discovery", () => {
  const markets = [`0x${"a1".repeat(32)}`, `0x${"b2".repeat(32)}`];
  const positions = addresses(1500).map((address, i) => ({
    market: { uniqueKey: markets[i % 2]! },
    user: { address },
  }));

  it("pages with first/skip until countTotal and keys positions by market and account", async () => {
    const variables: Array<Record<string, unknown>> = [];
    const url = await serve((request, n) => {
      variables.push(request.variables);
      if (n === 0)
        return {
          marketPositions: {
            pageInfo: { count: 1, countTotal: 1500 },
            items: [{ market: { uniqueKey: "0x12" }, user: { address: "0x1" } }],
          },
        };
      const skip = Number(request.variables.skip);
      const items = positions.slice(skip, skip + Number(request.variables.first));
      return { marketPositions: { pageInfo: { count: items.length, countTotal: positions.length }, items } };
    });
    const keys = await morphoApiBorrowers(url, 1, markets as `0x${string}`[], { baseDelayMs: 1 });
    expect(keys).toEqual(positions.map((p) => `${p.market.uniqueKey}|${getAddress(p.user.address)}`));
    expect(variables.map((v) => v.skip)).toEqual([0, 0, 1000]);
    expect(variables[1]).toEqual({ first: 1000, skip: 0, markets, chains: [1] });
  });
});
