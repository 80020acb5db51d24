import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  maxUint256,
  stringToHex,
  toHex,
} from "viem";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import type { MorphoMarketDeployment } from "../morpho/deployMorphoBlue.js";
import type { DevnetTokens } from "../tokens/deployTestTokens.js";
import type { DevnetAaveMarketName, PositionPlan } from "./positionPlan.js";
import { type RpcRequest, rpcBatch } from "./rpcBatch.js";
import { verifySeededPositions } from "./verifySeededPositions.js";

/** Where the seeder sends its transactions. */
export interface SeedTargets {
  tokens: DevnetTokens;
  aave: Partial<
    Record<
      DevnetAaveMarketName,
      { pool: Address; reserves: Record<DevnetAssetId, { aToken: Address; variableDebtToken: Address }> }
    >
  >;
  morpho?: { address: Address; markets: readonly MorphoMarketDeployment[] };
}

export interface SeedResult {
  positions: number;
  transactions: number;
  blocks: number;
  durationMs: number;
  /** The account that supplied the liquidity every position borrows. */
  lender: Address;
}

/** Gas limits per call (generous: a block takes what is used, not what is allowed). */
const GAS = {
  mint: 150_000n,
  approve: 100_000n,
  supply: 500_000n,
  emode: 300_000n,
  borrow: 700_000n,
} as const;
/** Positions per mined block. */
const POSITIONS_PER_BLOCK = 1500;
/** Lenders supply this much more than the book borrows, so every borrow finds liquidity. */
const LIQUIDITY_HEADROOM_BPS = 12_000n;

/** The lender's address (impersonated, no key): it supplies the liquidity and every borrower's collateral. */
export function seedLender(): Address {
  return getAddress(`0x${keccak256(stringToHex("cascade-monitor devnet lender")).slice(-40)}`);
}

type TxRequestBuilder = (from: Address, nonce: number, to: Address, data: Hex, gas: bigint) => RpcRequest;

/**
 * Opens every planned position with real transactions, fast: automine off, JSON-RPC batches with
 * explicit nonce, gas and gas price from impersonated accounts (anvil auto-impersonation, balances
 * set with `anvil_setBalance`), a few `evm_mine`s; then automine back on. Per 1,500 positions, one
 * block where the lender supplies each borrower's collateral on the borrower's behalf (Aave
 * `supply(onBehalfOf)`, Morpho `supplyCollateral(onBehalf)`; both enable it as collateral), then one
 * block where each borrower enters its eMode and borrows. A first block supplies 120% of what the
 * book borrows in each market. Borrowers must be fresh accounts (nonce 0). Every position is then
 * read back from chain state; a mismatch throws.
 */
export async function seedPositions(
  rpcUrl: string,
  clients: DevnetClients,
  plans: readonly PositionPlan[],
  targets: SeedTargets,
): Promise<SeedResult> {
  const started = performance.now();
  const block = await clients.public.getBlock();
  const gasPrice = toHex(2n * (block.baseFeePerGas ?? 1_000_000_000n) + 1_000_000_000n);
  const lender = seedLender();
  let transactions = 0;
  let blocks = 0;
  const txRequest: TxRequestBuilder = (from, nonce, to, data, gas) => ({
    method: "eth_sendTransaction",
    params: [{ from, to, data, nonce: toHex(nonce), gas: toHex(gas), gasPrice }],
  });
  const mineBlock = async (requests: readonly RpcRequest[]): Promise<void> => {
    await rpcBatch(rpcUrl, requests);
    await rpcBatch(rpcUrl, [{ method: "evm_mine", params: [] }]);
    transactions += requests.length;
    blocks += 1;
  };

  await rpcBatch(rpcUrl, [
    { method: "anvil_autoImpersonateAccount", params: [true] },
    { method: "evm_setAutomine", params: [false] },
  ]);
  try {
    let lenderNonce = await clients.public.getTransactionCount({ address: lender });
    const lenderCalls = liquidityCalls(plans, targets, lender);
    await rpcBatch(rpcUrl, [{ method: "anvil_setBalance", params: [lender, toHex(10n ** 22n)] }]);
    await mineBlock(
      lenderCalls.map((call) => txRequest(lender, lenderNonce++, call.to, call.data, call.gas)),
    );

    for (let start = 0; start < plans.length; start += POSITIONS_PER_BLOCK) {
      const chunk = plans.slice(start, start + POSITIONS_PER_BLOCK);
      const collateralCalls = collateralSupplyCalls(chunk, targets, lender);
      await mineBlock(
        collateralCalls.map((call) => txRequest(lender, lenderNonce++, call.to, call.data, call.gas)),
      );
      await rpcBatch(
        rpcUrl,
        chunk.map((plan) => ({ method: "anvil_setBalance", params: [plan.account, toHex(10n ** 18n)] })),
      );
      const borrows: RpcRequest[] = [];
      for (const plan of chunk) {
        borrowCalls(plan, targets).forEach((call, nonce) => {
          borrows.push(txRequest(plan.account, nonce, call.to, call.data, call.gas));
        });
      }
      await mineBlock(borrows);
    }
    const [status] = (await rpcBatch(rpcUrl, [{ method: "txpool_status", params: [] }])) as [
      { pending: Hex; queued: Hex },
    ];
    if (BigInt(status.pending) !== 0n || BigInt(status.queued) !== 0n) {
      throw new FatalError(
        `devnet seeding left ${BigInt(status.pending)} pending and ${BigInt(status.queued)} queued transactions`,
      );
    }
  } finally {
    await rpcBatch(rpcUrl, [{ method: "evm_setAutomine", params: [true] }]);
  }
  await verifySeededPositions(clients, plans, targets);
  return { positions: plans.length, transactions, blocks, durationMs: performance.now() - started, lender };
}

interface Call {
  to: Address;
  data: Hex;
  gas: bigint;
}

function token(targets: SeedTargets, asset: DevnetAssetId): Address {
  const entry = targets.tokens[asset];
  if (entry === undefined) throw new FatalError(`devnet seeding: no token for ${asset}`);
  return entry.address;
}

function aavePool(targets: SeedTargets, market: DevnetAaveMarketName): Address {
  const entry = targets.aave[market];
  if (entry === undefined) throw new FatalError(`devnet seeding: market ${market} is not deployed`);
  return entry.pool;
}

function morphoMarket(
  targets: SeedTargets,
  index: number,
): { morpho: Address; market: MorphoMarketDeployment } {
  const market = targets.morpho?.markets[index];
  if (targets.morpho === undefined || market === undefined) {
    throw new FatalError(`devnet seeding: Morpho market #${index} is not deployed`);
  }
  return { morpho: targets.morpho.address, market };
}

const mint = (to: Address, account: Address, amount: bigint): Call => ({
  to,
  data: encodeFunctionData({ abi: mintableErc20Abi, functionName: "mint", args: [account, amount] }),
  gas: GAS.mint,
});
const approve = (to: Address, spender: Address): Call => ({
  to,
  data: encodeFunctionData({ abi: mintableErc20Abi, functionName: "approve", args: [spender, maxUint256] }),
  gas: GAS.approve,
});

/** The borrower's own transactions, in nonce order: enter eMode if planned, then borrow. */
function borrowCalls(plan: PositionPlan, targets: SeedTargets): Call[] {
  if (plan.protocol === "aave-v3") {
    const pool = aavePool(targets, plan.market);
    const calls: Call[] = [];
    if (plan.emode !== 0) {
      calls.push({
        to: pool,
        data: encodeFunctionData({ abi: aaveV3PoolAbi, functionName: "setUserEMode", args: [plan.emode] }),
        gas: GAS.emode,
      });
    }
    calls.push({
      to: pool,
      data: encodeFunctionData({
        abi: aaveV3PoolAbi,
        functionName: "borrow",
        args: [token(targets, plan.debt.asset), plan.debt.amountWei, 2n, 0, plan.account],
      }),
      gas: GAS.borrow,
    });
    return calls;
  }
  const { market } = morphoMarket(targets, plan.marketIndex);
  return [
    {
      to: morphoMarket(targets, plan.marketIndex).morpho,
      data: encodeFunctionData({
        abi: morphoBlueAbi,
        functionName: "borrow",
        args: [market.params, plan.debtWei, 0n, plan.account, plan.account],
      }),
      gas: GAS.borrow,
    },
  ];
}

/** The lender mints the chunk's collateral (one mint per asset) and supplies it on each borrower's behalf. */
function collateralSupplyCalls(
  chunk: readonly PositionPlan[],
  targets: SeedTargets,
  lender: Address,
): Call[] {
  const totals = new Map<Address, bigint>();
  const supplies: Call[] = [];
  const add = (underlying: Address, amount: bigint): void => {
    totals.set(underlying, (totals.get(underlying) ?? 0n) + amount);
  };
  for (const plan of chunk) {
    if (plan.protocol === "aave-v3") {
      const pool = aavePool(targets, plan.market);
      for (const { asset, amountWei } of plan.collateral) {
        const underlying = token(targets, asset);
        add(underlying, amountWei);
        supplies.push({
          to: pool,
          data: encodeFunctionData({
            abi: aaveV3PoolAbi,
            functionName: "supply",
            args: [underlying, amountWei, plan.account, 0],
          }),
          gas: GAS.supply,
        });
      }
    } else {
      const { morpho, market } = morphoMarket(targets, plan.marketIndex);
      add(market.params.collateralToken, plan.collateralWei);
      supplies.push({
        to: morpho,
        data: encodeFunctionData({
          abi: morphoBlueAbi,
          functionName: "supplyCollateral",
          args: [market.params, plan.collateralWei, plan.account, "0x"],
        }),
        gas: GAS.supply,
      });
    }
  }
  return [...[...totals].map(([underlying, amount]) => mint(underlying, lender, amount)), ...supplies];
}

/**
 * The lender's first block: approve every pool and Morpho for every token, then mint and supply
 * 120% (+1 unit) of what the plans borrow, per market and asset.
 */
function liquidityCalls(plans: readonly PositionPlan[], targets: SeedTargets, lender: Address): Call[] {
  const aaveNeeds = new Map<string, { market: DevnetAaveMarketName; asset: DevnetAssetId; amount: bigint }>();
  const morphoNeeds = new Map<number, bigint>();
  for (const plan of plans) {
    if (plan.protocol === "aave-v3") {
      const key = `${plan.market}:${plan.debt.asset}`;
      const entry = aaveNeeds.get(key) ?? { market: plan.market, asset: plan.debt.asset, amount: 0n };
      entry.amount += plan.debt.amountWei;
      aaveNeeds.set(key, entry);
    } else {
      morphoNeeds.set(plan.marketIndex, (morphoNeeds.get(plan.marketIndex) ?? 0n) + plan.debtWei);
    }
  }
  const spenders = [
    ...Object.values(targets.aave).flatMap((market) => (market === undefined ? [] : [market.pool])),
    ...(targets.morpho === undefined ? [] : [targets.morpho.address]),
  ];
  const calls: Call[] = [];
  for (const { address } of Object.values(targets.tokens)) {
    for (const spender of spenders) calls.push(approve(address, spender));
  }
  const withHeadroom = (amount: bigint, decimals: number): bigint =>
    (amount * LIQUIDITY_HEADROOM_BPS) / 10_000n + 10n ** BigInt(decimals);
  for (const { market, asset, amount } of aaveNeeds.values()) {
    const pool = aavePool(targets, market);
    const underlying = token(targets, asset);
    const supplied = withHeadroom(amount, targets.tokens[asset]?.decimals ?? 18);
    calls.push(mint(underlying, lender, supplied), {
      to: pool,
      data: encodeFunctionData({
        abi: aaveV3PoolAbi,
        functionName: "supply",
        args: [underlying, supplied, lender, 0],
      }),
      gas: GAS.supply,
    });
  }
  for (const [index, amount] of morphoNeeds) {
    const { morpho, market } = morphoMarket(targets, index);
    const supplied = withHeadroom(amount, targets.tokens[market.loan]?.decimals ?? 18);
    calls.push(mint(market.params.loanToken, lender, supplied), {
      to: morpho,
      data: encodeFunctionData({
        abi: morphoBlueAbi,
        functionName: "supply",
        args: [market.params, supplied, 0n, lender, "0x"],
      }),
      gas: GAS.supply,
    });
  }
  return calls;
}
