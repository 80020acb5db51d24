import type { Address, PublicClient } from "viem";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import type { TargetMorphoMarket } from "./cascadeTarget.js";
import { MULTICALL_BATCH_BYTES } from "./readAavePositions.js";

/** One Morpho Blue borrow position as on chain, with its market's totals (for share conversions). */
export interface MorphoPositionState {
  readonly market: TargetMorphoMarket;
  readonly account: Address;
  readonly borrowShares: bigint;
  readonly collateralWei: bigint;
  readonly totalBorrowAssets: bigint;
  readonly totalBorrowShares: bigint;
}

/** Borrowers per market, from `Borrow` events since `fromBlock`. */
export async function readMorphoBorrowers(
  client: PublicClient,
  morpho: Address,
  fromBlock: bigint,
): Promise<Map<string, Address[]>> {
  const logs = await client.getLogs({
    address: morpho,
    event: morphoBlueAbi.find((item) => item.type === "event" && item.name === "Borrow")!,
    fromBlock,
    toBlock: "latest",
  });
  const byMarket = new Map<string, Set<Address>>();
  for (const log of logs) {
    const id = log.args.id!.toLowerCase();
    const set = byMarket.get(id) ?? new Set<Address>();
    set.add(log.args.onBehalf!);
    byMarket.set(id, set);
  }
  return new Map([...byMarket].map(([id, set]) => [id, [...set]]));
}

/** Reads every borrower's shares and collateral and each market's borrow totals. */
export async function readMorphoPositions(
  client: PublicClient,
  morpho: Address,
  markets: readonly TargetMorphoMarket[],
  borrowers: Map<string, Address[]>,
): Promise<MorphoPositionState[]> {
  const totals = await client.multicall({
    allowFailure: false,
    contracts: markets.map((market) => ({
      address: morpho,
      abi: morphoBlueAbi,
      functionName: "market" as const,
      args: [market.id] as const,
    })),
  });
  const pairs = markets.flatMap((market) =>
    (borrowers.get(market.id.toLowerCase()) ?? []).map((account) => ({ market, account })),
  );
  const positions = await client.multicall({
    allowFailure: false,
    batchSize: MULTICALL_BATCH_BYTES,
    contracts: pairs.map(({ market, account }) => ({
      address: morpho,
      abi: morphoBlueAbi,
      functionName: "position" as const,
      args: [market.id, account] as const,
    })),
  });
  const totalsById = new Map(markets.map((market, k) => [market.id, totals[k]!]));
  return pairs.map(({ market, account }, k) => {
    const [, borrowShares, collateralWei] = positions[k]!;
    const [, , totalBorrowAssets, totalBorrowShares] = totalsById.get(market.id)!;
    return { market, account, borrowShares, collateralWei, totalBorrowAssets, totalBorrowShares };
  });
}
