import { type Address, maxUint256 } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV3FactoryAbi } from "../../../abis/uniswapV3Factory.js";
import { uniswapV3PositionManagerAbi } from "../../../abis/uniswapV3PositionManager.js";
import {
  rawPriceAtTick,
  sqrtX96OfRawPrice,
  tickNearRawPrice,
} from "../../adapters/pools/uniswap-v3/tickMath.js";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { deployContract } from "../deploy/deployContract.js";
import { loadPackageArtifact } from "../deploy/loadPackageArtifact.js";
import { sendAndWait } from "../solidity/deployArtifact.js";
import type { DevnetTokens } from "../tokens/deployTestTokens.js";

export const UNISWAP_V3_FACTORY =
  "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json";
export const UNISWAP_V3_POOL = "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json";
export const UNISWAP_V3_SWAP_ROUTER =
  "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json";
export const UNISWAP_V3_POSITION_MANAGER =
  "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json";
export const UNISWAP_V3_QUOTER_V2 =
  "@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json";

/**
 * keccak256 of UniswapV3Pool's creation code on mainnet: the periphery computes pool addresses
 * with it (PoolAddress.POOL_INIT_CODE_HASH), so the factory must deploy exactly this bytecode.
 */
export const MAINNET_POOL_INIT_CODE_HASH =
  "0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54";

/** A position mint costs about 400k gas (two new ticks, the position, a new oracle observation). */
const MINT_GAS = 1_000_000n;

/** One liquidity position, its price bounds as factors of the pool's starting price (asset in quote). */
export interface UniswapV3RangeSpec {
  readonly lower: number;
  readonly upper: number;
  /** Value of the position at the starting price, USD. */
  readonly valueUsd: number;
}

export interface UniswapV3PoolSpec {
  readonly asset: DevnetAssetId;
  readonly quote: DevnetAssetId;
  /** Fee tier in hundredths of a basis point (500 = 5 bp), as the factory names tiers. */
  readonly fee: 100 | 500 | 3000 | 10000;
  readonly ranges: readonly UniswapV3RangeSpec[];
}

export interface UniswapV3PoolDeployment {
  readonly address: Address;
  readonly asset: DevnetAssetId;
  readonly quote: DevnetAssetId;
  readonly fee: number;
  readonly tickSpacing: number;
}

export interface UniswapV3Deployment {
  factory: Address;
  swapRouter: Address;
  positionManager: Address;
  quoterV2: Address;
  /** Keyed `asset/quote@fee`, e.g. `WETH/USDC@500`. */
  pools: Record<string, UniswapV3PoolDeployment>;
}

export const uniswapV3PoolKey = (asset: string, quote: string, fee: number): string =>
  `${asset}/${quote}@${fee}`;

/**
 * Value of one unit of liquidity in range `[sa, sb]` (square roots of raw prices, token1 wei per
 * token0 wei) at square-root price `s`, in token1 wei: below the range it is all token0
 * (`1/sa - 1/sb`, worth `s²` each), above it all token1 (`sb - sa`), inside both.
 */
function valuePerLiquidity(s: number, sa: number, sb: number): number {
  if (s <= sa) return (1 / sa - 1 / sb) * s * s;
  if (s >= sb) return sb - sa;
  return (1 / s - 1 / sb) * s * s + (s - sa);
}

/**
 * Deploys Uniswap V3 from the npm packages' own bytecode: the factory (v3-core), then the
 * periphery on it: SwapRouter and QuoterV2 (factory, WETH9) and the NonfungiblePositionManager
 * (factory, WETH9, token descriptor), and the 1 bp tier enabled as mainnet's governance did. WETH9 is the devnet's WETH token (the ETH paths are not used)
 * and the descriptor is the zero address (it only serves `tokenURI`, which nothing calls). Then
 * each pool is created and initialized at `priceUsd(asset) / priceUsd(quote)` and gets one
 * position per range, minted through the position manager by the deployer, with the liquidity
 * that makes the position worth `valueUsd` at the starting price.
 */
export async function deployUniswapV3(
  clients: DevnetClients,
  tokens: DevnetTokens,
  pricesUsd: Readonly<Record<DevnetAssetId, number>>,
  pools: readonly UniswapV3PoolSpec[],
): Promise<UniswapV3Deployment> {
  const weth = tokens.WETH;
  if (weth === undefined) throw new FatalError("devnet: Uniswap V3's periphery needs a WETH token");
  const factory = await deployContract(
    clients,
    loadPackageArtifact(UNISWAP_V3_FACTORY),
    [],
    "UniswapV3Factory",
  );
  const swapRouter = await deployContract(
    clients,
    loadPackageArtifact(UNISWAP_V3_SWAP_ROUTER),
    [factory, weth.address],
    "SwapRouter",
  );
  const positionManager = await deployContract(
    clients,
    loadPackageArtifact(UNISWAP_V3_POSITION_MANAGER),
    [factory, weth.address, "0x0000000000000000000000000000000000000000"],
    "NonfungiblePositionManager",
  );
  const quoterV2 = await deployContract(
    clients,
    loadPackageArtifact(UNISWAP_V3_QUOTER_V2),
    [factory, weth.address],
    "QuoterV2",
  );
  // The factory starts with 5, 30 and 100 bp; mainnet's governance enabled 1 bp (tick spacing 1) later.
  await sendAndWait(clients, {
    address: factory,
    abi: uniswapV3FactoryAbi,
    functionName: "enableFeeAmount",
    args: [100, 1],
  });
  const deployed: Record<string, UniswapV3PoolDeployment> = {};
  for (const spec of pools) {
    const pool = await deployPool(clients, { factory, positionManager }, tokens, pricesUsd, spec);
    deployed[uniswapV3PoolKey(spec.asset, spec.quote, spec.fee)] = pool;
  }
  return { factory, swapRouter, positionManager, quoterV2, pools: deployed };
}

async function deployPool(
  clients: DevnetClients,
  at: { factory: Address; positionManager: Address },
  tokens: DevnetTokens,
  pricesUsd: Readonly<Record<DevnetAssetId, number>>,
  spec: UniswapV3PoolSpec,
): Promise<UniswapV3PoolDeployment> {
  const asset = tokens[spec.asset];
  const quote = tokens[spec.quote];
  const assetUsd = pricesUsd[spec.asset];
  const quoteUsd = pricesUsd[spec.quote];
  if (asset === undefined || quote === undefined || assetUsd === undefined || quoteUsd === undefined)
    throw new FatalError(`devnet: Uniswap V3 pool ${spec.asset}/${spec.quote} needs both tokens and prices`);
  const assetIsToken0 = asset.address.toLowerCase() < quote.address.toLowerCase();
  const [token0, token1] = assetIsToken0 ? [asset, quote] : [quote, asset];
  const token1Usd = assetIsToken0 ? quoteUsd : assetUsd;
  // Raw price: token1 wei per token0 wei.
  const priceInQuote = assetUsd / quoteUsd;
  const unitsRatio = 10 ** (token1.decimals - token0.decimals);
  const rawPrice = (assetIsToken0 ? priceInQuote : 1 / priceInQuote) * unitsRatio;
  const tickSpacing = Number(
    await clients.public.readContract({
      address: at.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "feeAmountTickSpacing",
      args: [spec.fee],
    }),
  );
  if (tickSpacing === 0) throw new FatalError(`devnet: Uniswap V3 has no fee tier ${spec.fee}`);
  await sendAndWait(clients, {
    address: at.positionManager,
    abi: uniswapV3PositionManagerAbi,
    functionName: "createAndInitializePoolIfNecessary",
    args: [token0.address, token1.address, spec.fee, sqrtX96OfRawPrice(rawPrice)],
  });
  const address = await clients.public.readContract({
    address: at.factory,
    abi: uniswapV3FactoryAbi,
    functionName: "getPool",
    args: [token0.address, token1.address, spec.fee],
  });
  const deployer = clients.wallet.account.address;
  const s = Math.sqrt(rawPrice);
  const mints = spec.ranges.map((range) => {
    if (!(range.lower > 0 && range.lower < range.upper && range.valueUsd > 0))
      throw new FatalError(
        `devnet: Uniswap V3 range ${range.lower}..${range.upper} of ${spec.asset}/${spec.quote} must have 0 < lower < upper and a positive value`,
      );
    // A factor on the asset's price is the inverse factor on the raw price when the asset is token1.
    const [lowFactor, highFactor] = assetIsToken0
      ? [range.lower, range.upper]
      : [1 / range.upper, 1 / range.lower];
    const tickLower = tickNearRawPrice(rawPrice * lowFactor, tickSpacing);
    const tickUpper = tickNearRawPrice(rawPrice * highFactor, tickSpacing);
    const sa = Math.sqrt(rawPriceAtTick(tickLower));
    const sb = Math.sqrt(rawPriceAtTick(tickUpper));
    const valueToken1Wei = (range.valueUsd / token1Usd) * 10 ** token1.decimals;
    const liquidity = valueToken1Wei / valuePerLiquidity(s, sa, sb);
    // What the position needs of each token, with room for the pool's rounding up.
    const amount0 = s >= sb ? 0 : liquidity * (1 / Math.max(s, sa) - 1 / sb);
    const amount1 = s <= sa ? 0 : liquidity * (Math.min(s, sb) - sa);
    return {
      tickLower,
      tickUpper,
      amount0: BigInt(Math.ceil(amount0 * 1.000001)) + 1n,
      amount1: BigInt(Math.ceil(amount1 * 1.000001)) + 1n,
    };
  });
  const total0 = mints.reduce((sum, m) => sum + m.amount0, 0n);
  const total1 = mints.reduce((sum, m) => sum + m.amount1, 0n);
  for (const [token, amount] of [
    [token0.address, total0],
    [token1.address, total1],
  ] as const) {
    await sendAndWait(clients, {
      address: token,
      abi: mintableErc20Abi,
      functionName: "mint",
      args: [deployer, amount],
    });
    await sendAndWait(clients, {
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [at.positionManager, maxUint256],
    });
  }
  for (const mint of mints) {
    await sendAndWait(clients, {
      address: at.positionManager,
      abi: uniswapV3PositionManagerAbi,
      functionName: "mint",
      args: [
        {
          token0: token0.address,
          token1: token1.address,
          fee: spec.fee,
          tickLower: mint.tickLower,
          tickUpper: mint.tickUpper,
          amount0Desired: mint.amount0,
          amount1Desired: mint.amount1,
          amount0Min: 0n,
          amount1Min: 0n,
          recipient: deployer,
          deadline: maxUint256,
        },
      ],
      gas: MINT_GAS,
    });
  }
  return { address, asset: spec.asset, quote: spec.quote, fee: spec.fee, tickSpacing };
}
