import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV2PairAbi } from "../../../abis/uniswapV2Pair.js";
import { FatalError } from "../../core/errors.js";
import type { CascadeTarget, TargetAsset } from "./cascadeTarget.js";
import { followMove } from "./followMoveMath.js";
import { type BatchCall, prepareDevnetActor, sendCallsInOneBlock } from "./sendCallsInOneBlock.js";

interface PairReading {
  readonly assetIsToken0: boolean;
  reserveAsset: bigint;
  reserveQuote: bigint;
  readonly totalSupply: bigint;
}

/** Reserves (asset, quote), orientation and LP supply of every asset's pair. */
export async function readPairReserves(
  client: PublicClient,
  target: CascadeTarget,
): Promise<Map<string, PairReading>> {
  const withPair = target.assets.filter(
    (asset): asset is TargetAsset & { pair: Address } => asset.pair !== undefined,
  );
  const reads = await client.multicall({
    allowFailure: false,
    contracts: withPair.flatMap((asset) => [
      { address: asset.pair, abi: uniswapV2PairAbi, functionName: "token0" as const },
      { address: asset.pair, abi: uniswapV2PairAbi, functionName: "getReserves" as const },
      { address: asset.pair, abi: uniswapV2PairAbi, functionName: "totalSupply" as const },
    ]),
  });
  const result = new Map<string, PairReading>();
  withPair.forEach((asset, k) => {
    const token0 = reads[3 * k] as Address;
    const [reserve0, reserve1] = reads[3 * k + 1] as readonly [bigint, bigint, number];
    const assetIsToken0 = token0.toLowerCase() === asset.token.toLowerCase();
    result.set(asset.id, {
      assetIsToken0,
      reserveAsset: assetIsToken0 ? reserve0 : reserve1,
      reserveQuote: assetIsToken0 ? reserve1 : reserve0,
      totalSupply: reads[3 * k + 2] as bigint,
    });
  });
  return result;
}

/** Spot price of each pair in raw units (quote wei per asset wei); the ratio of two is the USD ratio. */
export async function readPairSpots(
  client: PublicClient,
  target: CascadeTarget,
): Promise<Map<string, number>> {
  const pairs = await readPairReserves(client, target);
  return new Map(
    [...pairs].map(([asset, pair]) => [asset, Number(pair.reserveQuote) / Number(pair.reserveAsset)]),
  );
}

/** Followers, leaders before followers (a leader may itself follow); cycles are refused. */
function followersInOrder(target: CascadeTarget): TargetAsset[] {
  const byId = new Map(target.assets.map((asset) => [asset.id, asset]));
  const depth = (asset: TargetAsset): number => {
    let d = 0;
    for (let leader = asset.leader; leader !== undefined; leader = byId.get(leader)?.leader) {
      if (++d > target.assets.length) throw new FatalError(`devnet: follows of ${asset.id} has a cycle`);
    }
    return d;
  };
  return target.assets
    .filter((asset) => asset.leader !== undefined && asset.pair !== undefined)
    .sort((a, b) => depth(a) - depth(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The follow half of a price step (docs/cascade-model.md section 2), on chain: after the step's own
 * trades, each follower (leaders first) has its pair moved by `max(0, 1 + beta (r − 1))`, `r` being
 * its leader's pair price now over `spotsBefore` (the step's start), with a fee-free k-preserving
 * move made by the LP holder (burn a share of liquidity, mint one side into the pair, `sync()`),
 * all in one block. Returns each follower's price factor.
 */
export async function moveFollowers(
  client: PublicClient,
  target: CascadeTarget,
  spotsBefore: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const followers = followersInOrder(target);
  const factors = new Map<string, number>();
  if (followers.length === 0) return factors;
  const holder = target.lpHolder;
  if (holder === undefined) throw new FatalError("devnet: no LP holder to move followers' pairs with");
  const quote = target.assets.find((asset) => asset.id === target.quote)!;
  const pairs = await readPairReserves(client, target);
  const spotNow = (asset: string): number => {
    const pair = pairs.get(asset)!;
    return Number(pair.reserveQuote) / Number(pair.reserveAsset);
  };
  const calls: BatchCall[] = [];
  for (const follower of followers) {
    const leader = follower.leader!;
    const before = spotsBefore.get(leader);
    if (before === undefined || !pairs.has(leader)) continue;
    const factor = Math.max(0, 1 + (follower.beta ?? 1) * (spotNow(leader) / before - 1));
    factors.set(follower.id, factor);
    const pair = pairs.get(follower.id)!;
    const move = followMove(pair.reserveAsset, pair.reserveQuote, pair.totalSupply, factor);
    if (move === undefined) continue;
    const donated = move.donate === "asset" ? follower.token : quote.token;
    calls.push(
      {
        to: follower.pair!,
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: "transfer",
          args: [follower.pair!, move.burnLiquidity],
        }),
        gas: 200_000n,
      },
      {
        to: follower.pair!,
        data: encodeFunctionData({ abi: uniswapV2PairAbi, functionName: "burn", args: [holder] }),
        gas: 300_000n,
      },
      {
        to: donated,
        data: encodeFunctionData({
          abi: mintableErc20Abi,
          functionName: "mint",
          args: [follower.pair!, move.donateAmount],
        }),
        gas: 200_000n,
      },
      {
        to: follower.pair!,
        data: encodeFunctionData({ abi: uniswapV2PairAbi, functionName: "sync", args: [] }),
        gas: 200_000n,
      },
    );
    // A follower of this follower sees its new price.
    pair.reserveAsset = move.reserveAsset;
    pair.reserveQuote = move.reserveQuote;
  }
  if (calls.length === 0) return factors;
  await prepareDevnetActor(target.rpcUrl, holder);
  const mined = await sendCallsInOneBlock(target.rpcUrl, holder, calls);
  const reverted = mined.receipts.filter((receipt) => receipt.status !== "0x1").length;
  if (reverted > 0) throw new FatalError(`devnet: ${reverted} transactions of the followers' move reverted`);
  return factors;
}
