/**
 * Borrower discovery from Morpho's GraphQL API (`marketPositions`, paginated with first/skip).
 * The API carries no indexed block, so it only adds accounts; the log scan still runs from the
 * deployment block and chain reads stay the source of truth.
 */
import { GraphQLClient } from "graphql-request";
import { getAddress, type Hex } from "viem";
import { z } from "zod";
import { fetchAllPages } from "./fetchAllPages.js";

const PAGE_SIZE = 1000;

const QUERY = `query Borrowers($first: Int!, $skip: Int!, $markets: [String!], $chains: [Int!]) {
  marketPositions(first: $first, skip: $skip, where: { marketUniqueKey_in: $markets, chainId_in: $chains, borrowShares_gte: "1" }) {
    pageInfo { count countTotal }
    items { market { uniqueKey } user { address } }
  }
}`;

const pageSchema = z.object({
  marketPositions: z.object({
    pageInfo: z.object({ count: z.int().min(0), countTotal: z.int().min(0) }),
    items: z
      .array(
        z.object({
          market: z.object({ uniqueKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/) }),
          user: z.object({ address: z.string().regex(/^0x[0-9a-fA-F]{40}$/) }),
        }),
      )
      .max(PAGE_SIZE),
  }),
});

/** Position keys (`marketId|account`) with a borrow in the given markets (all markets when undefined). */
export async function morphoApiBorrowers(
  url: string,
  chainId: number,
  marketIds: readonly Hex[] | undefined,
  options: { attemptsPerPage?: number; baseDelayMs?: number; pageSize?: number } = {},
): Promise<string[]> {
  const client = new GraphQLClient(url);
  const first = options.pageSize ?? PAGE_SIZE;
  const pages = await fetchAllPages({
    source: "morpho api",
    pageSchema,
    fetchPage: (skip: number | undefined) =>
      client.request(QUERY, {
        first,
        skip: skip ?? 0,
        markets: marketIds === undefined ? null : [...marketIds],
        chains: [chainId],
      }),
    nextCursor: (page, skip) => {
      const seen = (skip ?? 0) + page.marketPositions.items.length;
      return page.marketPositions.items.length < first || seen >= page.marketPositions.pageInfo.countTotal
        ? undefined
        : seen;
    },
    ...(options.attemptsPerPage === undefined ? {} : { attemptsPerPage: options.attemptsPerPage }),
    ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }),
  });
  return [
    ...new Set(
      pages.flatMap((p) =>
        p.marketPositions.items.map(
          (i) => `${i.market.uniqueKey.toLowerCase()}|${getAddress(i.user.address)}`,
        ),
      ),
    ),
  ];
}
