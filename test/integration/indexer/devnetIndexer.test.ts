/**
 * The indexer against the real devnet (Aave V3.0 and V3.6, Morpho Blue bytecode): every seeded
 * position, amounts equal to the protocols' own views to the last unit, live blocks, reorgs and
 * RPC faults. Expected values are read here through other view functions than the indexer uses
 * (AaveProtocolDataProvider.getUserReserveData; Morpho position/market with the share formula
 * written out below).
 */
import { type Address, formatUnits, type Hex, maxUint256, parseAbi, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSync, type Sync } from "../../../src/app/sync/createSync.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import type { CascadeConfig } from "../../../src/config/schema/configSchema.js";
import { FatalError } from "../../../src/core/errors.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { SnapshotInput } from "../../../src/core/snapshot/schema.js";
import { runCrash } from "../../../src/devnet/crash.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { startRpcFaultProxy } from "../../helpers/rpcFaultProxy.js";

const SEED = Number(process.env.SEED ?? 7);
const POSITIONS = 200;
const CONFIRMATIONS = 3;

const dataProviderAbi = parseAbi([
  "function getUserReserveData(address asset, address user) view returns (uint256 currentATokenBalance, uint256 currentStableDebt, uint256 currentVariableDebt, uint256 principalStableDebt, uint256 scaledVariableDebt, uint256 stableBorrowRate, uint256 liquidityRate, uint40 stableRateLastUpdated, bool usageAsCollateralEnabled)",
]);
const poolAbi = parseAbi([
  "function getUserEMode(address user) view returns (uint256)",
  "function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf)",
  "function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf) returns (uint256)",
  "function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode)",
]);
const morphoAbi = parseAbi([
  "function position(bytes32 id, address user) view returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral)",
  "function market(bytes32 id) view returns (uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets, uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee)",
]);
const morphoWriteAbi = parseAbi([
  "struct MarketParams { address loanToken; address collateralToken; address oracle; address irm; uint256 lltv; }",
  "function repay(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data) returns (uint256, uint256)",
]);
const transferAbi = parseAbi(["function transfer(address to, uint256 amount) returns (bool)"]);
const tokenAbi = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address) view returns (uint256)",
]);

let devnet: Devnet;
let config: CascadeConfig;
let sync: Sync;

/** Every position by the protocols' own views, keyed `market|account`. */
async function positionsOnChain(
  accounts: readonly Address[],
): Promise<
  Map<string, { collateral: Record<string, number>; debt: Record<string, number>; emode?: number }>
> {
  const client = devnet.clients.public;
  const out = new Map<
    string,
    { collateral: Record<string, number>; debt: Record<string, number>; emode?: number }
  >();
  for (const aave of Object.values(devnet.deployment.aave)) {
    if (aave === undefined) continue;
    const marketId = `aave-v3:${devnet.chainId}:${aave.pool.toLowerCase()}`;
    for (const account of accounts) {
      const collateral: Record<string, number> = {};
      const debt: Record<string, number> = {};
      for (const [asset, reserve] of Object.entries(aave.reserves)) {
        const data = await client.readContract({
          address: aave.poolDataProvider,
          abi: dataProviderAbi,
          functionName: "getUserReserveData",
          args: [reserve.underlying, account],
        });
        const [aTokenBalance, stableDebt, variableDebt] = data;
        const usedAsCollateral = data[8];
        if (usedAsCollateral && aTokenBalance > 0n)
          collateral[asset] = Number(formatUnits(aTokenBalance, reserve.decimals));
        if (stableDebt + variableDebt > 0n)
          debt[asset] = Number(formatUnits(stableDebt + variableDebt, reserve.decimals));
      }
      if (Object.keys(debt).length === 0) continue;
      const emode = Number(
        await client.readContract({
          address: aave.pool,
          abi: poolAbi,
          functionName: "getUserEMode",
          args: [account],
        }),
      );
      out.set(`${marketId}|${account.toLowerCase()}`, { collateral, debt, emode });
    }
  }
  const morpho = devnet.deployment.morpho!;
  for (const market of morpho.markets) {
    const marketId = `morpho-blue:${devnet.chainId}:${market.id.toLowerCase()}`;
    const [, , totalBorrowAssets, totalBorrowShares] = await client.readContract({
      address: morpho.morpho,
      abi: morphoAbi,
      functionName: "market",
      args: [market.id],
    });
    const decimals = (asset: string): number =>
      devnet.deployment.tokens[asset as keyof typeof devnet.deployment.tokens]!.decimals;
    for (const account of accounts) {
      const [, borrowShares, collateralWei] = await client.readContract({
        address: morpho.morpho,
        abi: morphoAbi,
        functionName: "position",
        args: [market.id as Hex, account],
      });
      // SharesMathLib.toAssetsUp: shares × (assets + 1) / (shares_total + 1e6), rounded up.
      const denominator = totalBorrowShares + 1_000_000n;
      const debtWei = (borrowShares * (totalBorrowAssets + 1n) + denominator - 1n) / denominator;
      if (debtWei === 0n) continue;
      out.set(`${marketId}|${account.toLowerCase()}`, {
        collateral:
          collateralWei > 0n
            ? { [market.collateral]: Number(formatUnits(collateralWei, decimals(market.collateral))) }
            : {},
        debt: { [market.loan]: Number(formatUnits(debtWei, decimals(market.loan))) },
      });
    }
  }
  return out;
}

function positionsOf(
  snapshot: SnapshotInput,
): Map<string, { collateral: Record<string, number>; debt: Record<string, number>; emode?: number }> {
  return new Map(
    snapshot.positions.map((p) => [
      `${p.market}|${p.account.toLowerCase()}`,
      {
        collateral: p.collateral,
        debt: p.debt,
        ...(p.market.startsWith("aave-v3") ? { emode: p.emode ?? 0 } : {}),
      },
    ]),
  );
}

const allAccounts = (): Address[] => [...new Set(devnet.positions.map((p) => p.account))];

beforeAll(async () => {
  devnet = await startDevnet({ profile: "spot", seed: SEED, positions: POSITIONS });
  config = parseConfig({
    ...devnet.config,
    chains: devnet.config.chains.map((c) => ({ ...c, confirmations: CONFIRMATIONS })),
  });
  sync = await createSync(config, {});
  await sync.start();
}, 240_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("indexer on the devnet", () => {
  it("snapshots exactly the seeded positions, amounts equal to the protocols' views to the last unit", async () => {
    const snapshot = parseSnapshot(sync.snapshot());
    const planned = new Set(
      devnet.positions.map((plan) => {
        if (plan.protocol === "aave-v3")
          return `aave-v3:${devnet.chainId}:${devnet.deployment.aave[plan.market]!.pool.toLowerCase()}|${plan.account.toLowerCase()}`;
        return `morpho-blue:${devnet.chainId}:${devnet.deployment.morpho!.markets[plan.marketIndex]!.id.toLowerCase()}|${plan.account.toLowerCase()}`;
      }),
    );
    const indexed = positionsOf(snapshot);
    expect(new Set(indexed.keys())).toEqual(planned);
    expect(indexed).toEqual(await positionsOnChain(allAccounts()));
    expect(snapshot.source.blocks[String(devnet.chainId)]).toBe(
      Number(await devnet.clients.public.getBlockNumber()),
    );
  });

  it("takes the liquidation logic from the pool when the config does not say", async () => {
    const unset = parseConfig({
      ...devnet.config,
      markets: devnet.config.markets.map((m) => {
        const { liquidationLogic: _ignored, ...rest } = m as Record<string, unknown>;
        return rest;
      }),
    });
    const detected = await createSync(unset, {});
    await detected.start();
    const logicOf = (s: SnapshotInput) =>
      Object.fromEntries(
        s.markets
          .filter((m) => m.protocol === "aave-v3")
          .map((m) => [m.id, (m as { liquidationLogic: string }).liquidationLogic]),
      );
    const expected = Object.fromEntries(
      Object.values(devnet.deployment.aave).map((a) => [
        `aave-v3:${devnet.chainId}:${a!.pool.toLowerCase()}`,
        a!.liquidationLogic,
      ]),
    );
    expect(logicOf(detected.snapshot())).toEqual(expected);
    expect(new Set(Object.values(expected))).toEqual(new Set(["v3.0", "v3.3"]));
  });

  it("recovers from timeouts, 429s and malformed replies and produces the identical snapshot", async () => {
    let n = 0;
    const proxy = await startRpcFaultProxy(devnet.rpcUrl, (request) => {
      if (request.method === "eth_chainId") return { kind: "pass" };
      n++;
      if (n % 9 === 0) return { kind: "malformed" };
      if (n % 11 === 0) return { kind: "status429", retryAfterSeconds: 0 };
      if (n % 17 === 0) return { kind: "delay", ms: 1_500 };
      return { kind: "pass" };
    });
    try {
      // One HTTP request per JSON-RPC request, so the faults fall on requests, not on whole batches.
      const { rpcBatchSize: _batched, ...unbatched } = devnet.config.chains[0]!;
      const faulty = parseConfig({
        ...devnet.config,
        chains: [{ ...unbatched, rpc: [proxy.url], timeoutMs: 600, retries: 2, retryDelayMs: 10 }],
      });
      const viaProxy = await createSync(faulty, { retryBaseDelayMs: 20, attempts: 8 });
      await viaProxy.start();
      const direct = await createSync(parseConfig(devnet.config), {});
      await direct.start();
      const at = new Date(0);
      expect(proxy.injected.some((i) => i.endsWith(":malformed"))).toBe(true);
      expect(proxy.injected.some((i) => i.endsWith(":status429"))).toBe(true);
      expect(proxy.injected.some((i) => i.endsWith(":delay"))).toBe(true);
      expect(viaProxy.snapshot(at)).toEqual(direct.snapshot(at));
    } finally {
      await proxy.close();
    }
  });

  it("lists markets whose reads keep failing as stale, keeps their last data, and clears them on recovery", async () => {
    let failing = false;
    const proxy = await startRpcFaultProxy(devnet.rpcUrl, (request) =>
      failing && request.method === "eth_call" ? { kind: "status500" } : { kind: "pass" },
    );
    try {
      const chain = devnet.config.chains[0]!;
      const viaProxy = await createSync(
        parseConfig({
          ...devnet.config,
          chains: [{ ...chain, rpc: [proxy.url], retries: 0, retryDelayMs: 1 }],
        }),
        { attempts: 2, retryBaseDelayMs: 1 },
      );
      await viaProxy.start();
      const at = new Date(0);
      const before = viaProxy.snapshot(at);
      const allMarkets = before.markets.map((m) => m.id).sort();
      failing = true;
      await devnet.clients.test.mine({ blocks: 1 });
      const [during] = await viaProxy.step();
      expect([...during!.stale].sort()).toEqual(allMarkets);
      const stale = parseSnapshot(viaProxy.snapshot(at));
      expect([...stale.source.staleMarkets].sort()).toEqual(allMarkets);
      expect(stale.positions).toEqual(parseSnapshot(before).positions);
      // Recovery does not wait for a new block: the same head is read again.
      failing = false;
      const [recovered] = await viaProxy.step();
      expect(recovered!.newBlocks).toBe(0);
      expect(viaProxy.snapshot(at).source?.staleMarkets).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("follows a block of new borrows, repays and a liquidation cascade, re-reading only what they touched", async () => {
    const client = devnet.clients.public;
    const test = devnet.clients.test;
    const wallet = devnet.clients.wallet;
    const v36 = devnet.deployment.aave["aave-v3.6"]!;
    const usdc = devnet.deployment.tokens.USDC!;
    const weth = devnet.deployment.tokens.WETH!;
    // Catch up first: the block under test must be the only new one.
    await sync.step();
    const aaveBorrowers = devnet.positions.filter(
      (p) => p.protocol === "aave-v3" && p.market === "aave-v3.6" && p.debt.asset === "USDC",
    );
    const morphoBorrower = devnet.positions.find(
      (p) => p.protocol === "morpho-blue" && !aaveBorrowers.some((a) => a.account === p.account),
    )!;
    const borrowMore = aaveBorrowers[0]!.account;
    const repayer = aaveBorrowers[1]!.account;
    const newcomer = morphoBorrower.account;
    // A Morpho borrower repays an odd amount: the market's share price moves for every borrower in it.
    const morpho = devnet.deployment.morpho!;
    const morphoRepayPlan = devnet.positions.find(
      (p) =>
        p.protocol === "morpho-blue" &&
        p.account !== newcomer &&
        morpho.markets[p.marketIndex]!.loan === "USDC" &&
        !aaveBorrowers.some((a) => a.account === p.account),
    )!;
    const morphoRepayer = morphoRepayPlan.protocol === "morpho-blue" ? morphoRepayPlan.account : newcomer;
    const repaidMarket =
      morpho.markets[morphoRepayPlan.protocol === "morpho-blue" ? morphoRepayPlan.marketIndex : 0]!;
    for (const account of [borrowMore, repayer, newcomer, morphoRepayer]) {
      await test.impersonateAccount({ address: account });
      await test.setBalance({ address: account, value: 10n ** 20n });
    }
    await test.setAutomine(false);
    const send = async (
      account: Address,
      address: Address,
      abi: typeof poolAbi | typeof tokenAbi | typeof morphoWriteAbi,
      functionName: string,
      args: readonly unknown[],
    ) =>
      wallet.writeContract({
        account,
        address,
        abi,
        functionName,
        args,
        gas: 1_500_000n,
        chain: wallet.chain,
      } as never);
    await send(borrowMore, v36.pool, poolAbi, "borrow", [
      usdc.address,
      parseUnits("10", 6),
      2n,
      0,
      borrowMore,
    ]);
    await send(repayer, usdc.address, tokenAbi, "approve", [v36.pool, maxUint256]);
    await send(repayer, v36.pool, poolAbi, "repay", [usdc.address, parseUnits("25", 6), 2n, repayer]);
    // A Morpho borrower opens an Aave position: supplies the USDC it borrowed, borrows WETH.
    await send(newcomer, usdc.address, tokenAbi, "approve", [v36.pool, maxUint256]);
    await send(newcomer, v36.pool, poolAbi, "supply", [usdc.address, parseUnits("1000", 6), newcomer, 0]);
    await send(newcomer, v36.pool, poolAbi, "borrow", [weth.address, parseUnits("0.1", 18), 2n, 0, newcomer]);
    await send(morphoRepayer, usdc.address, tokenAbi, "approve", [morpho.morpho, maxUint256]);
    await send(morphoRepayer, morpho.morpho, morphoWriteAbi, "repay", [
      repaidMarket.params,
      3_333_333n,
      0n,
      morphoRepayer,
      "0x",
    ]);
    await test.mine({ blocks: 1 });
    await test.setAutomine(true);
    const before = sync.snapshot();
    const [result] = await sync.step();
    expect(result!.newBlocks).toBe(1);
    // Four accounts touched, not every position re-read (the Morpho market's other borrowers are
    // recomputed from cached shares, without reads).
    expect(result!.touched).toBe(4);
    const after = positionsOf(sync.snapshot());
    expect(after).toEqual(await positionsOnChain([...allAccounts(), newcomer]));
    expect(after.size).toBe(positionsOf(before).size + 1);

    // The liquidator's cascade: many liquidations over several blocks, then one step.
    const target = await targetFromDeploymentFile(client, devnet.config);
    const run = await runCrash({ client, target, shock: { WETH: -0.25 }, maxRounds: 5 });
    expect(run.executed.length).toBeGreaterThan(0);
    await sync.step();
    const afterCrash = parseSnapshot(sync.snapshot());
    expect(positionsOf(afterCrash)).toEqual(await positionsOnChain([...allAccounts(), newcomer]));
    // Pool prices moved with the crash and the snapshot carries the pair's spot price.
    const wethAsset = afterCrash.assets.find((a) => a.id === "WETH")!;
    expect(wethAsset.priceUsd).toBeLessThan(3000 * 0.8);
  });

  it("follows an aToken transfer between two borrowers, for which the pool logs no event", async () => {
    const test = devnet.clients.test;
    const v36 = devnet.deployment.aave["aave-v3.6"]!;
    const aWeth = v36.reserves.WETH!.aToken;
    const marketId = `aave-v3:${devnet.chainId}:${v36.pool.toLowerCase()}`;
    await sync.step();
    // Senders safest first (collateral value over debt value at the snapshot's prices): the pool
    // refuses a transfer that would leave the sender unhealthy.
    const snapshot = sync.snapshot();
    const price = new Map(snapshot.assets.map((a) => [a.id, a.priceUsd ?? 0]));
    const usdValueOf = (amounts: Record<string, number>) =>
      Object.entries(amounts).reduce((sum, [asset, amount]) => sum + amount * (price.get(asset) ?? 0), 0);
    const holders = snapshot.positions
      .filter((p) => p.market === marketId && (p.collateral.WETH ?? 0) > 0)
      .sort(
        (a, b) =>
          usdValueOf(b.collateral) / usdValueOf(b.debt) - usdValueOf(a.collateral) / usdValueOf(a.debt),
      )
      .map((p) => p.account as Address);
    // A part of one holder's aWETH to another: a partial transfer, so no collateral flag moves and
    // the pool emits nothing.
    let sent: { from: Address; to: Address } | undefined;
    for (const from of holders.slice(0, 5)) {
      const to = holders.at(-1)!;
      const balance = await devnet.clients.public.readContract({
        address: aWeth,
        abi: tokenAbi,
        functionName: "balanceOf",
        args: [from],
      });
      await test.impersonateAccount({ address: from });
      await test.setBalance({ address: from, value: 10n ** 20n });
      const hash = await devnet.clients.wallet.writeContract({
        account: from,
        address: aWeth,
        abi: transferAbi,
        functionName: "transfer",
        args: [to, balance / 100n],
        gas: 1_000_000n,
        chain: devnet.clients.wallet.chain,
      });
      const receipt = await devnet.clients.public.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") continue;
      sent = { from, to };
      break;
    }
    expect(sent).toBeDefined();
    const before = positionsOf(sync.snapshot());
    const [result] = await sync.step();
    // The two accounts re-read, and no other (not a full re-read).
    expect(result!.touched).toBe(2);
    const keys = [sent!.from, sent!.to].map((a) => `${marketId}|${a.toLowerCase()}`);
    const after = positionsOf(sync.snapshot());
    const onChain = await positionsOnChain([sent!.from, sent!.to]);
    for (const key of keys) expect(after.get(key)).toEqual(onChain.get(key));
    expect(after.get(keys[0]!)!.collateral.WETH).toBeLessThan(before.get(keys[0]!)!.collateral.WETH!);
    expect(after.get(keys[1]!)!.collateral.WETH).toBeGreaterThan(before.get(keys[1]!)!.collateral.WETH!);
  });

  it("takes a block without a lending event in two round trips, its logs asked by its hash, its markets read as a cold index reads them", async () => {
    const logFilters: boolean[] = [];
    const proxy = await startRpcFaultProxy(devnet.rpcUrl, (request) => {
      if (request.method === "eth_getLogs") {
        const filter = (request.params as unknown[] | undefined)?.[0];
        logFilters.push(typeof filter === "object" && filter !== null && "blockHash" in filter);
      }
      return { kind: "pass" };
    });
    try {
      const viaProxy = await createSync(
        parseConfig({ ...config, chains: config.chains.map((c) => ({ ...c, rpc: [proxy.url] })) }),
        {},
      );
      await viaProxy.start();
      // An hour later, one block with no transaction: interest accrues, no lending contract logs.
      await devnet.clients.test.increaseTime({ seconds: 3_600 });
      await devnet.clients.test.mine({ blocks: 1 });
      logFilters.length = 0;
      const httpBefore = proxy.perHttpRequest.length;
      const [result] = await viaProxy.step();
      expect(result).toMatchObject({ newBlocks: 1, touched: 0, reorgDepth: 0, stale: [] });
      // The head with the logs to latest, then the reads with the block's logs by hash.
      expect(proxy.perHttpRequest.length - httpBefore).toBe(2);
      expect(logFilters).toEqual([false, true]);
      const cold = await createSync(config, {});
      await cold.start();
      const at = new Date(0);
      const { positions: _stepped, ...stepped } = viaProxy.snapshot(at);
      const { positions: _cold, ...fresh } = cold.snapshot(at);
      expect(stepped).toEqual(fresh);
    } finally {
      await proxy.close();
    }
  });

  it("catches up a long gap by log scans and still sees the change inside it", async () => {
    const test = devnet.clients.test;
    const wallet = devnet.clients.wallet;
    const client = devnet.clients.public;
    const v36 = devnet.deployment.aave["aave-v3.6"]!;
    const usdc = devnet.deployment.tokens.USDC!;
    await test.setAutomine(true);
    await sync.step();
    const known = positionsOf(sync.snapshot());
    // An Aave V3.6 USDC borrower whose repay of 1 USDC the pool accepts (decided by simulation).
    let account: Address | undefined;
    for (const key of known.keys()) {
      if (
        !key.startsWith(`aave-v3:${devnet.chainId}:${v36.pool.toLowerCase()}`) ||
        known.get(key)!.debt.USDC === undefined
      )
        continue;
      const holder = key.split("|")[1] as Address;
      await test.impersonateAccount({ address: holder });
      await test.setBalance({ address: holder, value: 10n ** 20n });
      const approve = await wallet.writeContract({
        account: holder,
        address: usdc.address,
        abi: tokenAbi,
        functionName: "approve",
        args: [v36.pool, maxUint256],
        chain: wallet.chain,
      } as never);
      await client.waitForTransactionReceipt({ hash: approve });
      const ok = await client
        .simulateContract({
          account: holder,
          address: v36.pool,
          abi: poolAbi,
          functionName: "repay",
          args: [usdc.address, parseUnits("1", 6), 2n, holder],
        })
        .then(() => true)
        .catch(() => false);
      if (ok) {
        account = holder;
        break;
      }
    }
    expect(account).toBeDefined();
    await sync.step();
    await test.mine({ blocks: 150 });
    const repay = await wallet.writeContract({
      account: account!,
      address: v36.pool,
      abi: poolAbi,
      functionName: "repay",
      args: [usdc.address, parseUnits("1", 6), 2n, account!],
      chain: wallet.chain,
    } as never);
    expect((await client.waitForTransactionReceipt({ hash: repay })).status).toBe("success");
    await test.mine({ blocks: 150 });
    const [result] = await sync.step();
    expect(result!.newBlocks).toBe(301);
    expect(positionsOf(sync.snapshot())).toEqual(await positionsOnChain([...allAccounts()]));
  });

  it("rolls back a reorg inside the confirmation window", async () => {
    const test = devnet.clients.test;
    const wallet = devnet.clients.wallet;
    const v36 = devnet.deployment.aave["aave-v3.6"]!;
    const usdc = devnet.deployment.tokens.USDC!;
    // The liquidator leaves automine off after its last round.
    await test.setAutomine(true);
    await sync.step();
    const accounts = [...allAccounts()];
    const stable = positionsOf(sync.snapshot());
    // An Aave V3.6 USDC borrower that still holds USDC repays part of its debt on the fork to be orphaned.
    const candidates = [...stable.keys()].filter(
      (k) =>
        k.startsWith(`aave-v3:${devnet.chainId}:${v36.pool.toLowerCase()}`) &&
        stable.get(k)!.debt.USDC !== undefined,
    );
    const id = await test.snapshot();
    // The first candidate whose repay the pool accepts (a simulation decides, not a guess).
    let key = "";
    for (const k of candidates) {
      const holder = k.split("|")[1] as Address;
      const balance = await devnet.clients.public.readContract({
        address: usdc.address,
        abi: tokenAbi,
        functionName: "balanceOf",
        args: [holder],
      });
      if (balance < parseUnits("5", 6) || stable.get(k)!.debt.USDC! <= 5) continue;
      await test.impersonateAccount({ address: holder });
      await test.setBalance({ address: holder, value: 10n ** 20n });
      const approveHash = await wallet.writeContract({
        account: holder,
        address: usdc.address,
        abi: tokenAbi,
        functionName: "approve",
        args: [v36.pool, maxUint256],
        chain: wallet.chain,
      } as never);
      await devnet.clients.public.waitForTransactionReceipt({ hash: approveHash });
      const accepted = await devnet.clients.public
        .simulateContract({
          account: holder,
          address: v36.pool,
          abi: poolAbi,
          functionName: "repay",
          args: [usdc.address, parseUnits("5", 6), 2n, holder],
        })
        .then(() => true)
        .catch(() => false);
      if (accepted) {
        key = k;
        break;
      }
    }
    expect(key).not.toBe("");
    const account = key.split("|")[1] as Address;
    const repayHash = await wallet.writeContract({
      account,
      address: v36.pool,
      abi: poolAbi,
      functionName: "repay",
      args: [usdc.address, parseUnits("5", 6), 2n, account],
      chain: wallet.chain,
    } as never);
    expect((await devnet.clients.public.waitForTransactionReceipt({ hash: repayHash })).status).toBe(
      "success",
    );
    await sync.step();
    expect(positionsOf(sync.snapshot()).get(key)!.debt.USDC).toBeCloseTo(stable.get(key)!.debt.USDC! - 5, 6);
    await test.revert({ id });
    await test.mine({ blocks: 3 });
    const [result] = await sync.step();
    expect(result!.reorgDepth).toBeGreaterThanOrEqual(1);
    expect(positionsOf(sync.snapshot()).get(key)).toEqual(stable.get(key));
    expect(positionsOf(sync.snapshot())).toEqual(await positionsOnChain(accounts.concat(account)));
  });

  it("stops the chain loudly on a reorg deeper than the window", async () => {
    const test = devnet.clients.test;
    const wallet = devnet.clients.wallet;
    const id = await test.snapshot();
    // A transaction makes the orphaned blocks differ from the ones mined after the revert.
    await wallet.sendTransaction({ to: devnet.accounts.lender, value: 1n, chain: wallet.chain } as never);
    await test.mine({ blocks: CONFIRMATIONS + 3 });
    await sync.step();
    await test.revert({ id });
    await test.mine({ blocks: CONFIRMATIONS + 6 });
    const error = await sync.step().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/reorg deeper than 3 confirmations/);
  });
});
