/**
 * Borrower discovery from an Aave V3 subgraph (the protocol's own schema: `users` with
 * `borrowedReservesCount`, paginated by `id_gt`), with the block the subgraph has indexed, so the
 * log scan can start after it. Amounts are never taken from the subgraph.
 */
import { GraphQLClient } from "graphql-request";
import { getAddress } from "viem";
import { z } from "zod";
import { fetchAllPages } from "./fetchAllPages.js";

const PAGE_SIZE = 1000;

const QUERY = `query Borrowers($first: Int!, $lastId: String!) {
  _meta { block { number } }
  users(first: $first, where: { id_gt: $lastId, borrowedReservesCount_gt: 0 }, orderBy: id, orderDirection: asc) { id }
}`;

const pageSchema = z.strictObject({
  _meta: z.strictObject({ block: z.strictObject({ number: z.int().min(0) }) }),
  users: z.array(z.strictObject({ id: z.string().regex(/^0x[0-9a-fA-F]{40}$/) })).max(PAGE_SIZE),
});

export interface SubgraphBorrowers {
  readonly accounts: string[];
  /** The lowest block every page was indexed through (pages may come from different heights). */
  readonly throughBlock: bigint;
}

export async function aaveSubgraphBorrowers(
  url: string,
  options: { attemptsPerPage?: number; baseDelayMs?: number; pageSize?: number } = {},
): Promise<SubgraphBorrowers> {
  const client = new GraphQLClient(url);
  const first = options.pageSize ?? PAGE_SIZE;
  const pages = await fetchAllPages({
    source: "aave-v3 subgraph",
    pageSchema,
    fetchPage: (lastId: string | undefined) => client.request(QUERY, { first, lastId: lastId ?? "" }),
    nextCursor: (page) => (page.users.length < first ? undefined : page.users.at(-1)!.id),
    ...(options.attemptsPerPage === undefined ? {} : { attemptsPerPage: options.attemptsPerPage }),
    ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }),
  });
  return {
    accounts: [...new Set(pages.flatMap((p) => p.users.map((u) => getAddress(u.id))))],
    throughBlock: BigInt(Math.min(...pages.map((p) => p._meta.block.number))),
  };
}
