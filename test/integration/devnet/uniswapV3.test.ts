/**
 * Uniswap V3 on the devnet from the npm packages' bytecode: pools at mainnet's CREATE2 addresses,
 * the indexer's pool reader on them, and real swaps through the SwapRouter against QuoterV2 and
 * against the model's concentrated-liquidity walk (src/core/liquidity/concentrated.ts).
 */
import {
  type Address,
  encodeAbiParameters,
  getContractAddress,
  keccak256,
  maxUint256,
  parseAbiParameters,
  parseUnits,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { uniswapV3QuoterV2Abi } from "../../../abis/uniswapV3QuoterV2.js";
import { uniswapV3SwapRouterAbi } from "../../../abis/uniswapV3SwapRouter.js";
import {
  readUniswapV3Pool,
  type UniswapV3PoolReading,
} from "../../../src/adapters/pools/uniswap-v3/readUniswapV3Pool.js";
import { asAssetId } from "../../../src/core/ids.js";
import { emptyConcentratedSwap, sellConcentrated } from "../../../src/core/liquidity/concentrated.js";
import { type AnvilInstance, startAnvil } from "../../../src/devnet/anvil/startAnvil.js";
import {
  createDevnetClients,
  type DevnetFullClients,
} from "../../../src/devnet/chain/createDevnetClients.js";
import { MULTICALL3_ADDRESS } from "../../../src/devnet/chain/devnetChain.js";
import { installMulticall3 } from "../../../src/devnet/chain/installMulticall3.js";
import { DEFAULT_DEVNET_ASSETS } from "../../../src/devnet/devnetAssets.js";
import { prepareDevnetActor } from "../../../src/devnet/liquidator/sendCallsInOneBlock.js";
import { sendAndWait } from "../../../src/devnet/solidity/deployArtifact.js";
import { devnetAccount } from "../../../src/devnet/startDevnet.js";
import { type DevnetTokens, deployTestTokens } from "../../../src/devnet/tokens/deployTestTokens.js";
import {
  deployUniswapV3,
  MAINNET_POOL_INIT_CODE_HASH,
  type UniswapV3Deployment,
  type UniswapV3PoolSpec,
  uniswapV3PoolKey,
} from "../../../src/devnet/uniswap/deployUniswapV3.js";
import { MAINNET_UNISWAP_V3_POOLS } from "../../../src/devnet/uniswap/mainnetUniswapV3Pools.js";
import { tradeNetAlongQuoteTree } from "../../../src/devnet/uniswap/tradeNetAlongQuoteTree.js";

let anvil: AnvilInstance;
let clients: DevnetFullClients;
let tokens: DevnetTokens;
let v3: UniswapV3Deployment;
/** The mainnet profile's pools and one at the 30 bp tier. */
const POOLS: readonly UniswapV3PoolSpec[] = [
  ...MAINNET_UNISWAP_V3_POOLS,
  {
    asset: "WBTC",
    quote: "USDC",
    fee: 3000,
    ranges: [
      { lower: 0.97, upper: 1.03, valueUsd: 10_000_000 },
      { lower: 0.85, upper: 0.95, valueUsd: 3_000_000 },
      { lower: 1.05, upper: 1.2, valueUsd: 3_000_000 },
    ],
  },
];
const pricesUsd = Object.fromEntries(DEFAULT_DEVNET_ASSETS.map((asset) => [asset.id, asset.priceUsd]));

beforeAll(async () => {
  anvil = await startAnvil();
  clients = createDevnetClients(anvil.rpcUrl, devnetAccount(0));
  await installMulticall3(clients.public, clients.test);
  tokens = await deployTestTokens(clients, DEFAULT_DEVNET_ASSETS);
  v3 = await deployUniswapV3(clients, tokens, pricesUsd, POOLS);
}, 120_000);

afterAll(async () => {
  await anvil?.stop();
});

async function readPool(key: string): Promise<UniswapV3PoolReading> {
  const pool = v3.pools[key]!;
  return readUniswapV3Pool({
    client: clients.public,
    pool: pool.address,
    assetToken: tokens[pool.asset]!.address,
    quoteToken: tokens[pool.quote]!.address,
    blockNumber: await clients.public.getBlockNumber({ cacheTime: 0 }),
    batchBytes: 100_000,
    multicallAddress: MULTICALL3_ADDRESS,
    windowPct: 0.5,
  });
}

/** The model's sale of `amount` asset units into the ranges the reader returned. */
function modelSale(reading: UniswapV3PoolReading, amount: number) {
  const sqrtLower = Float64Array.from(reading.ranges, (r) => Math.sqrt(r.lower));
  const sqrtUpper = Float64Array.from(reading.ranges, (r) => Math.sqrt(r.upper));
  const liquidity = Float64Array.from(reading.ranges, (r) => r.liquidity);
  const out = emptyConcentratedSwap();
  sellConcentrated(
    out,
    { sqrtLower, sqrtUpper, liquidity },
    0,
    reading.ranges.length,
    Math.sqrt(reading.price),
    amount,
    reading.feeBps / 10_000,
  );
  return { quoteAmount: out.quoteAmount, price: out.sqrtPrice ** 2, exhausted: out.exhausted };
}

/** Sells `amount` of the pool's asset through the SwapRouter; returns QuoterV2's quote and what arrived. */
async function sell(key: string, amount: number): Promise<{ quoted: bigint; received: bigint }> {
  const pool = v3.pools[key]!;
  const assetToken = tokens[pool.asset]!;
  const quoteToken = tokens[pool.quote]!;
  const amountIn = parseUnits(String(amount), assetToken.decimals);
  const me = clients.wallet.account.address;
  await sendAndWait(clients, {
    address: assetToken.address,
    abi: mintableErc20Abi,
    functionName: "mint",
    args: [me, amountIn],
  });
  await sendAndWait(clients, {
    address: assetToken.address,
    abi: erc20Abi,
    functionName: "approve",
    args: [v3.swapRouter, maxUint256],
  });
  const { result } = await clients.public.simulateContract({
    address: v3.quoterV2,
    abi: uniswapV3QuoterV2Abi,
    functionName: "quoteExactInputSingle",
    args: [
      {
        tokenIn: assetToken.address,
        tokenOut: quoteToken.address,
        amountIn,
        fee: pool.fee,
        sqrtPriceLimitX96: 0n,
      },
    ],
  });
  const balance = (): Promise<bigint> =>
    clients.public.readContract({
      address: quoteToken.address,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [me],
    });
  const before = await balance();
  await sendAndWait(clients, {
    address: v3.swapRouter,
    abi: uniswapV3SwapRouterAbi,
    functionName: "exactInputSingle",
    args: [
      {
        tokenIn: assetToken.address,
        tokenOut: quoteToken.address,
        fee: pool.fee,
        recipient: me,
        deadline: maxUint256,
        amountIn,
        amountOutMinimum: 0n,
        sqrtPriceLimitX96: 0n,
      },
    ],
    // The estimate's block may not write the pool's oracle observation that this one writes.
    gas: 1_000_000n,
  });
  return { quoted: result[0], received: (await balance()) - before };
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("Uniswap V3 from the npm packages' bytecode", () => {
  it("the factory deploys every pool at the address the periphery computes with mainnet's init-code hash", async () => {
    expect(Object.keys(v3.pools).sort()).toEqual(["WBTC/USDC@3000", "WETH/USDC@500", "wstETH/WETH@100"]);
    for (const pool of Object.values(v3.pools)) {
      const [a, b] = [tokens[pool.asset]!.address, tokens[pool.quote]!.address];
      const [token0, token1] = a.toLowerCase() < b.toLowerCase() ? [a, b] : [b, a];
      const expected: Address = getContractAddress({
        opcode: "CREATE2",
        from: v3.factory,
        salt: keccak256(
          encodeAbiParameters(parseAbiParameters("address, address, uint24"), [token0, token1, pool.fee]),
        ),
        bytecodeHash: MAINNET_POOL_INIT_CODE_HASH,
      });
      expect(pool.address).toBe(expected);
      const fee = await clients.public.readContract({
        address: pool.address,
        abi: uniswapV3PoolAbi,
        functionName: "fee",
      });
      expect(fee).toBe(pool.fee);
    }
  });

  it("the indexer's reader finds each pool at its starting price, with ranges dense near it, thin far away, and gaps", async () => {
    const weth = await readPool(uniswapV3PoolKey("WETH", "USDC", 500));
    expect(relative(weth.price, 3000)).toBeLessThan(1e-9);
    expect(weth.feeBps).toBe(5);
    const lst = await readPool(uniswapV3PoolKey("wstETH", "WETH", 100));
    expect(relative(lst.price, 1.2)).toBeLessThan(1e-9);
    expect(lst.feeBps).toBe(1);
    const wbtc = await readPool(uniswapV3PoolKey("WBTC", "USDC", 3000));
    expect(relative(wbtc.price, 60_000)).toBeLessThan(1e-9);
    for (const [reading, spec] of [
      [weth, POOLS[0]!],
      [lst, POOLS[1]!],
      [wbtc, POOLS[2]!],
    ] as const) {
      // One range per minted position (none overlap), bounds within a tick spacing of the spec's.
      expect(reading.ranges).toHaveLength(spec.ranges.length);
      const bySpec = [...spec.ranges].sort((x, y) => x.lower - y.lower);
      reading.ranges.forEach((range, i) => {
        expect(relative(range.lower / reading.price, bySpec[i]!.lower)).toBeLessThan(0.004);
        expect(relative(range.upper / reading.price, bySpec[i]!.upper)).toBeLessThan(0.004);
      });
      const gaps = reading.ranges.slice(1).filter((range, i) => range.lower > reading.ranges[i]!.upper);
      expect(gaps).toHaveLength(spec.ranges.length - 1);
      // Density (liquidity) falls away from the price: the range holding the price is the deepest.
      const inRange = reading.ranges.find((r) => r.lower <= reading.price && reading.price < r.upper)!;
      expect(Math.max(...reading.ranges.map((r) => r.liquidity))).toBe(inRange.liquidity);
    }
    // The in-range position is worth its $30M: L (√p − √lo) of USDC plus L (1/√p − 1/√hi) of WETH at p.
    const near = weth.ranges.find((r) => r.lower <= weth.price && weth.price < r.upper)!;
    const s = Math.sqrt(weth.price);
    const valueUsd =
      near.liquidity * (s - Math.sqrt(near.lower)) +
      near.liquidity * (1 / s - 1 / Math.sqrt(near.upper)) * weth.price;
    expect(relative(valueUsd, 30_000_000)).toBeLessThan(1e-3);
  });

  it.each([
    ["a sale inside the range holding the price", "WETH/USDC@500", 1000],
    ["a sale that empties that range, crosses a gap and walks into the next", "WETH/USDC@500", 9000],
    ["an LST sale into its pool against WETH, across two ranges", "wstETH/WETH@100", 2000],
  ])(
    "%s: the SwapRouter pays QuoterV2's quote, and the model's walk predicts amount and price",
    async (_, key, amount) => {
      const before = await readPool(key);
      const predicted = modelSale(before, amount);
      expect(predicted.exhausted).toBe(false);
      const { quoted, received } = await sell(key, amount);
      expect(received).toBe(quoted);
      const quote = v3.pools[key]!.quote;
      const receivedUnits = Number(received) / 10 ** tokens[quote]!.decimals;
      expect(relative(receivedUnits, predicted.quoteAmount)).toBeLessThan(1e-6);
      const after = await readPool(key);
      expect(relative(after.price, predicted.price)).toBeLessThan(1e-6);
      expect(after.price).toBeLessThan(before.price);
    },
  );

  it("a round's flows netted up the quote tree: the LST sale's WETH joins WETH's own net before WETH meets its USDC pool", async () => {
    const trader: Address = "0x00000000000000000000000000000000c0ffee01";
    await prepareDevnetActor(anvil.rpcUrl, trader);
    const lstAmount = parseUnits("50", tokens.wstETH!.decimals);
    await sendAndWait(clients, {
      address: tokens.wstETH!.address,
      abi: mintableErc20Abi,
      functionName: "mint",
      args: [trader, lstAmount],
    });
    const lstBefore = await readPool("wstETH/WETH@100");
    const wethBefore = await readPool("WETH/USDC@500");
    const repaidWeth = parseUnits("10", 18);
    // The book's view of these three: USDC quoted in USD, WETH in USDC, wstETH in WETH; deepest first.
    const assets = {
      ids: ["USDC", "WETH", "wstETH"].map(asAssetId),
      quote: Int32Array.from([-1, 0, 1]),
      tradeOrder: Int32Array.from([2, 1, 0]),
    };
    const result = await tradeNetAlongQuoteTree({
      rpcUrl: anvil.rpcUrl,
      client: clients.public,
      trader,
      swapRouter: v3.swapRouter,
      pools: Object.values(v3.pools),
      tokens,
      assets,
      netWei: new Map([
        ["wstETH", lstAmount],
        ["WETH", -repaidWeth],
      ]),
    });
    expect(result.trades.map((t) => t.asset)).toEqual(["wstETH", "WETH"]);
    const [lst, weth] = result.trades;
    // The LST sale is the model's walk in its pool; its WETH, less what was repaid, is WETH's sale.
    const lstSale = modelSale(lstBefore, 50);
    expect(relative(Number(lst!.quoteWei) / 1e18, lstSale.quoteAmount)).toBeLessThan(1e-6);
    expect(weth!.netWei).toBe(lst!.quoteWei - repaidWeth);
    expect(weth!.netWei > 0n).toBe(true);
    const wethSale = modelSale(wethBefore, Number(weth!.netWei) / 1e18);
    expect(relative(Number(weth!.quoteWei) / 1e6, wethSale.quoteAmount)).toBeLessThan(1e-6);
    expect(result.rootNetWei.get("USDC")).toBe(weth!.quoteWei);
    expect(lstSale.exhausted || wethSale.exhausted).toBe(false);
    expect(result.liquidityExhausted).toBe(false);
    const lstAfter = await readPool("wstETH/WETH@100");
    const wethAfter = await readPool("WETH/USDC@500");
    expect(relative(lstAfter.price, lstSale.price)).toBeLessThan(1e-6);
    expect(relative(wethAfter.price, wethSale.price)).toBeLessThan(1e-6);
  });

  it("a net purchase is bought in its pool and its cost runs up the tree as a negative net", async () => {
    const trader: Address = "0x00000000000000000000000000000000c0ffee02";
    await prepareDevnetActor(anvil.rpcUrl, trader);
    const wethBefore = await readPool("WETH/USDC@500");
    const bought = parseUnits("25", 18);
    const result = await tradeNetAlongQuoteTree({
      rpcUrl: anvil.rpcUrl,
      client: clients.public,
      trader,
      swapRouter: v3.swapRouter,
      pools: Object.values(v3.pools),
      tokens,
      assets: {
        ids: ["USDC", "WETH"].map(asAssetId),
        quote: Int32Array.from([-1, 0]),
        tradeOrder: Int32Array.from([1, 0]),
      },
      netWei: new Map([["WETH", -bought]]),
    });
    const weth = result.trades[0]!;
    expect(weth.netWei).toBe(-bought);
    const balance = await clients.public.readContract({
      address: tokens.WETH!.address,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [trader],
    });
    expect(balance).toBe(bought);
    expect(result.rootNetWei.get("USDC")).toBe(-weth.quoteWei);
    const wethAfter = await readPool("WETH/USDC@500");
    expect(wethAfter.price).toBeGreaterThan(wethBefore.price);
    // 25 WETH at about the pool price plus its 5 bp fee.
    const paidUsd = Number(weth.quoteWei) / 1e6;
    expect(paidUsd).toBeGreaterThan(25 * wethBefore.price);
    expect(paidUsd).toBeLessThan(25 * wethAfter.price * 1.001);
  });

  it("a sale beyond the pool's last range: the pool fills what its ranges hold and both it and the model say exhausted", async () => {
    const trader: Address = "0x00000000000000000000000000000000c0ffee03";
    await prepareDevnetActor(anvil.rpcUrl, trader);
    const amount = parseUnits("100000", 18);
    await sendAndWait(clients, {
      address: tokens.WETH!.address,
      abi: mintableErc20Abi,
      functionName: "mint",
      args: [trader, amount],
    });
    const before = await readPool("WETH/USDC@500");
    const predicted = modelSale(before, 100_000);
    expect(predicted.exhausted).toBe(true);
    const result = await tradeNetAlongQuoteTree({
      rpcUrl: anvil.rpcUrl,
      client: clients.public,
      trader,
      swapRouter: v3.swapRouter,
      pools: Object.values(v3.pools),
      tokens,
      assets: {
        ids: ["USDC", "WETH"].map(asAssetId),
        quote: Int32Array.from([-1, 0]),
        tradeOrder: Int32Array.from([1, 0]),
      },
      netWei: new Map([["WETH", amount]]),
    });
    expect(result.liquidityExhausted).toBe(true);
    expect(result.trades[0]!.exhausted).toBe(true);
    expect(relative(Number(result.trades[0]!.quoteWei) / 1e6, predicted.quoteAmount)).toBeLessThan(1e-6);
  });
});
