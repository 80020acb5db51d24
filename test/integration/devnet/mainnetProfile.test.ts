/**
 * The mainnet-profile devnet: Uniswap V3 pools and one V2 pair named in the deployment file,
 * oracles as mainnet has them (deviation feeds pushed by the keeper, wstETH's exchange-rate
 * adapter, USDC fixed in Aave V3.0 and fed in V3.6, Morpho oracles composed like
 * MorphoChainlinkOracleV2), every part read back from chain by the real indexers.
 */
import { type Address, maxUint256, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aaveV3OracleAbi } from "../../../abis/aaveV3Oracle.js";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { deviationFeedAbi } from "../../../abis/deviationFeed.js";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { morphoChainlinkOracleV2Abi } from "../../../abis/morphoChainlinkOracleV2.js";
import { uniswapV3SwapRouterAbi } from "../../../abis/uniswapV3SwapRouter.js";
import { runSimulation } from "../../../src/app/runSimulation.js";
import { createSync } from "../../../src/app/sync/createSync.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import type { CascadeConfig } from "../../../src/config/schema/configSchema.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { SnapshotInput } from "../../../src/core/snapshot/schema.js";
import { MULTICALL3_ADDRESS } from "../../../src/devnet/chain/devnetChain.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { crashMainnetPrices } from "../../../src/devnet/oracles/crashMainnetPrices.js";
import { DEVNET_FEED_KEEPER } from "../../../src/devnet/oracles/deployMainnetOracles.js";
import { updateDeviationFeeds } from "../../../src/devnet/oracles/feedKeeper.js";
import { readMarketPricesUsd } from "../../../src/devnet/oracles/readMarketPricesUsd.js";
import { sendAndWait } from "../../../src/devnet/solidity/deployArtifact.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { uniswapV3PoolKey } from "../../../src/devnet/uniswap/deployUniswapV3.js";
import { devnetTestSeed } from "../../helpers/devnet.js";

let devnet: Devnet;
let config: CascadeConfig;
let snapshot: SnapshotInput;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "mainnet", seed: devnetTestSeed(), positions: 100 });
  config = parseConfig(devnet.config);
  const sync = await createSync(config, {});
  await sync.start();
  snapshot = sync.snapshot();
  await sync.close();
}, 240_000);

afterAll(async () => {
  await devnet?.stop();
});

const oracleId = (address: Address): string => `oracle:${devnet.chainId}:${address.toLowerCase()}`;

async function marketPrices(): Promise<Record<string, number>> {
  return readMarketPricesUsd({
    client: devnet.clients.public,
    chainId: devnet.chainId,
    assets: config.assets,
    blockNumber: await devnet.clients.public.getBlockNumber({ cacheTime: 0 }),
    multicallAddress: MULTICALL3_ADDRESS,
  });
}

async function feedAnswer(asset: string): Promise<bigint> {
  return devnet.clients.public.readContract({
    address: devnet.deployment.oracles!.feeds[asset]!.address,
    abi: deviationFeedAbi,
    functionName: "latestAnswer",
  });
}

/** Sells `amount` of `asset` into its Uniswap V3 pool through the SwapRouter. */
async function sellIntoPool(asset: string, quote: string, fee: number, amount: number): Promise<void> {
  const { clients, deployment } = devnet;
  const token = deployment.tokens[asset]!;
  const v3 = deployment.uniswapV3!;
  const amountIn = parseUnits(String(amount), token.decimals);
  const me = clients.wallet.account.address;
  await sendAndWait(clients, {
    address: token.address,
    abi: mintableErc20Abi,
    functionName: "mint",
    args: [me, amountIn],
  });
  await sendAndWait(clients, {
    address: token.address,
    abi: erc20Abi,
    functionName: "approve",
    args: [v3.swapRouter, maxUint256],
  });
  await sendAndWait(clients, {
    address: v3.swapRouter,
    abi: uniswapV3SwapRouterAbi,
    functionName: "exactInputSingle",
    args: [
      {
        tokenIn: token.address,
        tokenOut: deployment.tokens[quote]!.address,
        fee,
        recipient: me,
        deadline: maxUint256,
        amountIn,
        amountOutMinimum: 0n,
        sqrtPriceLimitX96: 0n,
      },
    ],
    gas: 1_000_000n,
  });
}

describe("the mainnet-profile devnet", () => {
  it("names each asset's pool in the deployment file: Uniswap V3 for WETH and wstETH (against WETH), V2 for WBTC", () => {
    const v3 = devnet.deployment.uniswapV3!;
    const byId = new Map(config.assets.map((asset) => [asset.id, asset]));
    expect(byId.get("WETH")?.liquidity).toMatchObject({
      kind: "uniswap-v3",
      pool: v3.pools[uniswapV3PoolKey("WETH", "USDC", 500)]!.address,
      quote: "USDC",
    });
    expect(byId.get("wstETH")?.liquidity).toMatchObject({
      kind: "uniswap-v3",
      pool: v3.pools[uniswapV3PoolKey("wstETH", "WETH", 100)]!.address,
      quote: "WETH",
    });
    expect(byId.get("wstETH")?.follows).toBeUndefined();
    expect(byId.get("WBTC")?.liquidity).toMatchObject({
      kind: "uniswap-v2",
      pair: devnet.deployment.uniswap.pairs.WBTC,
    });
    expect(byId.get("WETH")?.oracleDeviation).toBe(0.005);
    expect(byId.get("WBTC")?.oracleDeviation).toBe(0.005);
    expect(devnet.config.devnet.profile).toBe("mainnet");
  });

  it("the indexer reads the pools from chain: WETH and wstETH as concentrated ranges, WBTC as a pair", () => {
    const byId = new Map(snapshot.assets.map((asset) => [asset.id, asset]));
    expect(byId.get("WETH")?.liquidity).toMatchObject({ kind: "concentrated", quote: "USDC", feeBps: 5 });
    expect(byId.get("wstETH")?.liquidity).toMatchObject({ kind: "concentrated", quote: "WETH", feeBps: 1 });
    expect(byId.get("WBTC")?.liquidity).toMatchObject({ kind: "pool", quote: "USDC" });
    expect(byId.get("wstETH")?.priceUsd).toBeCloseTo(3600, 6);
  });

  it("the indexer reads the oracles from chain as mainnet's: feeds with thresholds, wstETH a rate over ETH/USD, USDC fixed in V3.0 and fed in V3.6", () => {
    const o = devnet.deployment.oracles!;
    const oracles = snapshot.oracles ?? {};
    const ethUsd = oracleId(o.feeds.WETH!.address);
    expect(oracles[ethUsd]).toEqual({ kind: "market", asset: "WETH", deviation: 0.005, reportedUsd: 3000 });
    expect(oracles[oracleId(o.feeds.WBTC!.address)]).toEqual({
      kind: "market",
      asset: "WBTC",
      deviation: 0.005,
      reportedUsd: 60_000,
    });
    const adapter = oracles[oracleId(o.exchangeRateAdapter)];
    expect(adapter).toMatchObject({ kind: "rate", oracle: ethUsd });
    expect((adapter as { scale: number }).scale).toBeCloseTo(1.2, 12);
    expect(oracles[oracleId(o.fixedQuote)]).toEqual({ kind: "fixed", priceUsd: 1 });
    const reserveOracle = (name: "aave-v3.0" | "aave-v3.6", asset: string): string | undefined => {
      const pool = devnet.deployment.aave[name]!.pool.toLowerCase();
      const market = snapshot.markets.find((m) => m.id === `aave-v3:${devnet.chainId}:${pool}`) as
        | { reserves: Record<string, { oracle?: string }> }
        | undefined;
      return market?.reserves[asset]?.oracle;
    };
    expect(reserveOracle("aave-v3.0", "USDC")).toBe(oracleId(o.fixedQuote));
    expect(reserveOracle("aave-v3.6", "USDC")).toBe(oracleId(o.feeds.USDC!.address));
    for (const name of ["aave-v3.0", "aave-v3.6"] as const) {
      expect(reserveOracle(name, "wstETH")).toBe(oracleId(o.exchangeRateAdapter));
      expect(reserveOracle(name, "WETH")).toBe(ethUsd);
    }
  });

  it("Morpho's oracles are composed like MorphoChainlinkOracleV2 and the indexer decomposes them", async () => {
    const { deployment, clients } = devnet;
    const o = deployment.oracles!;
    const market = (collateral: string, loan: string) =>
      deployment.morpho!.markets.find((m) => m.collateral === collateral && m.loan === loan)!;
    const read = (
      oracle: Address,
      functionName: "BASE_VAULT" | "BASE_FEED_1" | "QUOTE_FEED_1" | "SCALE_FACTOR" | "price",
    ) => clients.public.readContract({ address: oracle, abi: morphoChainlinkOracleV2Abi, functionName });
    const lstWeth = market("wstETH", "WETH").params.oracle;
    expect(await read(lstWeth, "BASE_VAULT")).toBe(o.lstRate);
    expect(await read(lstWeth, "BASE_FEED_1")).toBe("0x0000000000000000000000000000000000000000");
    expect(await read(lstWeth, "SCALE_FACTOR")).toBe(10n ** 18n);
    expect(await read(lstWeth, "price")).toBe(12n * 10n ** 35n);
    const lstUsdc = market("wstETH", "USDC").params.oracle;
    expect(await read(lstUsdc, "BASE_FEED_1")).toBe(o.feeds.WETH!.address);
    expect(await read(lstUsdc, "QUOTE_FEED_1")).toBe(o.feeds.USDC!.address);
    // 3600 USDC per wstETH: 3600e6 loan wei per 1e18 collateral wei, scaled by 1e36.
    expect(await read(lstUsdc, "price")).toBe(3600n * 10n ** 6n * 10n ** 18n);
    // The wstETH/WETH market is judged by the exchange rate alone: a rate over WETH's own oracle.
    const id = `morpho-blue:${devnet.chainId}:${market("wstETH", "WETH").id.toLowerCase()}`;
    const m = snapshot.markets.find((x) => x.id === id) as { collateralOracle?: string; loanOracle?: string };
    const collateralOracle = snapshot.oracles?.[m.collateralOracle!];
    expect(collateralOracle).toMatchObject({ kind: "rate", oracle: m.loanOracle });
    expect((collateralOracle as { scale: number }).scale).toBeCloseTo(1.2, 12);
  });

  it("the keeper pushes ETH/USD only past its 0.5% threshold; wstETH's Aave price follows ETH/USD, not its own pool", async () => {
    const o = devnet.deployment.oracles!;
    const feeds = Object.entries(o.feeds).map(([asset, feed]) => ({ asset, address: feed.address }));
    const aaveOracle = devnet.deployment.aave["aave-v3.6"]!.oracle;
    const wstethToken = devnet.deployment.tokens.wstETH!.address;
    const wstethAave = () =>
      devnet.clients.public.readContract({
        address: aaveOracle,
        abi: aaveV3OracleAbi,
        functionName: "getAssetsPrices",
        args: [[wstethToken]],
      });
    // A wstETH sale into its pool moves its market price but not its Aave price.
    const before = await wstethAave();
    await sellIntoPool("wstETH", "WETH", 100, 1000);
    expect((await marketPrices()).wstETH).toBeLessThan(3600 * 0.999);
    expect(await wstethAave()).toEqual(before);
    // About 0.3% down: below the threshold, nothing is pushed.
    await sellIntoPool("WETH", "USDC", 500, 2000);
    const small = await marketPrices();
    expect(small.WETH).toBeLessThan(3000 * 0.999);
    expect(small.WETH).toBeGreaterThan(3000 * 0.995);
    expect(await updateDeviationFeeds(devnet.rpcUrl, devnet.clients.public, feeds, small)).toEqual([]);
    expect(await feedAnswer("WETH")).toBe(3000n * 10n ** 8n);
    // Past 0.5%: ETH/USD (and only it) gets a new round at the pool's price.
    await sellIntoPool("WETH", "USDC", 500, 4000);
    const large = await marketPrices();
    expect(large.WETH).toBeLessThan(3000 * 0.995);
    const pushed = await updateDeviationFeeds(devnet.rpcUrl, devnet.clients.public, feeds, large);
    expect(pushed.map((u) => u.asset)).toEqual(["WETH"]);
    const answer = await feedAnswer("WETH");
    expect(Number(answer) / 1e8).toBeCloseTo(large.WETH!, 6);
    // The exchange-rate adapter moved with ETH/USD by exactly the rate.
    const [lst] = await wstethAave();
    expect(lst).toBe((answer * 12n) / 10n);
  });

  it("Aave V3.6's ETH-correlated eMode counts wstETH and WETH as collateral but lends only WETH", async () => {
    const { deployment, clients } = devnet;
    const pool = deployment.aave["aave-v3.6"]!.pool;
    const list = await clients.public.readContract({
      address: pool,
      abi: aaveV3PoolAbi,
      functionName: "getReservesList",
    });
    // Reserve ids are the order of listing.
    const bit = (asset: string) => 1n << BigInt(list.indexOf(deployment.tokens[asset]!.address));
    const read = (functionName: "getEModeCategoryCollateralBitmap" | "getEModeCategoryBorrowableBitmap") =>
      clients.public.readContract({ address: pool, abi: aaveV3PoolAbi, functionName, args: [1] });
    expect(await read("getEModeCategoryCollateralBitmap")).toBe(bit("WETH") | bit("wstETH"));
    expect(await read("getEModeCategoryBorrowableBitmap")).toBe(bit("WETH"));
    const market = snapshot.markets.find(
      (m) => m.id === `aave-v3:${devnet.chainId}:${pool.toLowerCase()}`,
    ) as {
      emodes?: Record<string, { assets: string[] }>;
    };
    expect([...(market.emodes?.["1"]?.assets ?? [])].sort()).toEqual(["WETH", "wstETH"]);
  });

  it("USDC is borrow-only in Aave V3.0 (threshold 0): borrowed there, never held as collateral, read back as such", async () => {
    const pool = devnet.deployment.aave["aave-v3.0"]!.pool;
    const [configuration] = await Promise.all([
      devnet.clients.public.readContract({
        address: pool,
        abi: aaveV3PoolAbi,
        functionName: "getConfiguration",
        args: [devnet.deployment.tokens.USDC!.address],
      }),
    ]);
    // Bits 16-31: the liquidation threshold.
    expect((configuration.data >> 16n) & 0xffffn).toBe(0n);
    const market = snapshot.markets.find(
      (m) => m.id === `aave-v3:${devnet.chainId}:${pool.toLowerCase()}`,
    ) as {
      reserves: Record<string, { liquidationThreshold: number }>;
    };
    expect(market.reserves.USDC?.liquidationThreshold).toBe(0);
    expect(market.reserves.WETH?.liquidationThreshold).toBe(0.83);
    const v30 = devnet.positions.filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.0");
    expect(v30.length).toBeGreaterThan(10);
    expect(
      v30.filter((p) => p.protocol === "aave-v3" && p.collateral.some((c) => c.asset === "USDC")),
    ).toEqual([]);
    expect(v30.filter((p) => p.protocol === "aave-v3" && p.debt.asset === "USDC").length).toBeGreaterThan(5);
    // V3.6 keeps USDC as collateral: the shorts are there.
    const v36Shorts = devnet.positions.filter(
      (p) =>
        p.protocol === "aave-v3" && p.market === "aave-v3.6" && p.collateral.some((c) => c.asset === "USDC"),
    );
    expect(v36Shorts.length).toBeGreaterThan(0);
  });

  it("model v2 on the indexed book: an ETH crash liquidates ETH against stablecoins but no wstETH/WETH loop (their oracles are exchange rates)", () => {
    const report = runSimulation({ snapshot: parseSnapshot(snapshot), shock: { WETH: -0.3 } });
    expect(report.totals.liquidations).toBeGreaterThan(0);
    const liquidated = new Set(report.liquidations.map((l) => l.account.toLowerCase()));
    const loops = devnet.positions.filter(
      (p) =>
        (p.protocol === "aave-v3" && p.emode !== 0) ||
        (p.protocol === "morpho-blue" &&
          devnet.deployment.morpho!.markets[p.marketIndex]!.collateral === "wstETH" &&
          devnet.deployment.morpho!.markets[p.marketIndex]!.loan === "WETH"),
    );
    expect(loops.length).toBeGreaterThan(5);
    expect(loops.filter((p) => liquidated.has(p.account.toLowerCase()))).toEqual([]);
    const wethAgainstUsdc = report.liquidations.filter(
      (l) => (l.seized.WETH ?? 0) > 0 && (l.repaid.USDC ?? 0) > 0,
    );
    expect(wethAgainstUsdc.length).toBeGreaterThan(0);
    // The ETH/USD feed reports the crashed price from round 1 on: the move is far past its 0.5%.
    const ethUsd = oracleId(devnet.deployment.oracles!.feeds.WETH!.address);
    expect(report.rounds[0]!.oraclePrices[ethUsd]).toBeCloseTo(3000 * 0.7, 6);
  });

  it("the liquidator's view of the deployment file: V3 pools and feeds from the file, each Aave market's oracle sources from chain", async () => {
    const target = await targetFromDeploymentFile(devnet.clients.public, devnet.config);
    const { deployment } = devnet;
    const v3 = deployment.uniswapV3!;
    const o = deployment.oracles!;
    expect(target.mainnet?.swapRouter).toBe(v3.swapRouter);
    const byAsset = (pools: ReadonlyArray<{ asset: string }>) =>
      [...pools].sort((a, b) => (a.asset < b.asset ? -1 : 1));
    expect(byAsset(target.mainnet!.pools)).toEqual(byAsset(Object.values(v3.pools)));
    expect(new Map(target.mainnet!.feeds.map((f) => [f.asset, f.address]))).toEqual(
      new Map(Object.entries(o.feeds).map(([asset, feed]) => [asset, feed.address])),
    );
    expect(target.assets.find((a) => a.id === "WBTC")?.pair).toBe(deployment.uniswap.pairs.WBTC);
    for (const name of ["aave-v3.0", "aave-v3.6"] as const) {
      const market = target.aaveMarkets.find((m) => m.pool === deployment.aave[name]!.pool)!;
      expect(market.oracle?.address.toLowerCase()).toBe(deployment.aave[name]!.oracle.toLowerCase());
      expect(market.oracle?.baseUnit).toBe(10n ** 8n);
      for (const [asset, source] of Object.entries(o.aaveSources[name]))
        expect(market.oracle?.sources[asset]?.toLowerCase()).toBe(source.toLowerCase());
    }
    // Morpho's composed oracles come with each market's parameters.
    expect(new Set(target.morpho!.markets.map((m) => m.params.oracle.toLowerCase()))).toEqual(
      new Set(deployment.morpho!.markets.map((m) => m.params.oracle.toLowerCase())),
    );
  });

  it("only the keeper may transmit, and only past the threshold", async () => {
    const feed = devnet.deployment.oracles!.feeds.WETH!.address;
    await expect(
      devnet.clients.public.simulateContract({
        account: devnet.accounts.deployer,
        address: feed,
        abi: deviationFeedAbi,
        functionName: "transmit",
        args: [2000n * 10n ** 8n],
      }),
    ).rejects.toThrow(/only the keeper transmits/);
    const current = await feedAnswer("WETH");
    await expect(
      devnet.clients.public.simulateContract({
        account: DEVNET_FEED_KEEPER,
        address: feed,
        abi: deviationFeedAbi,
        functionName: "transmit",
        args: [current + current / 1000n],
      }),
    ).rejects.toThrow(/below the deviation threshold/);
  });

  it("an ETH crash on chain: the WETH pool stops at the target, the keeper pushes ETH/USD, wstETH's adapter follows, its pool does not", async () => {
    const evm = await devnet.clients.test.snapshot();
    try {
      const o = devnet.deployment.oracles!;
      const lstPool = async () => (await marketPrices()).wstETH! / (await marketPrices()).WETH!;
      const lstRatioBefore = await lstPool();
      const crash = await crashMainnetPrices({
        rpcUrl: devnet.rpcUrl,
        client: devnet.clients.public,
        chainId: devnet.chainId,
        deployment: devnet.deployment,
        assets: config.assets,
        shock: { WETH: -0.2 },
      });
      expect(crash.after.WETH! / crash.before.WETH!).toBeCloseTo(0.8, 9);
      expect(await lstPool()).toBeCloseTo(lstRatioBefore, 12);
      expect(crash.feedUpdates.map((u) => u.asset)).toEqual(["WETH"]);
      const ethUsd = await feedAnswer("WETH");
      expect(Number(ethUsd) / 1e8).toBeCloseTo(crash.after.WETH!, 6);
      const aaveOracle = devnet.deployment.aave["aave-v3.0"]!.oracle;
      const [wsteth] = await devnet.clients.public.readContract({
        address: aaveOracle,
        abi: aaveV3OracleAbi,
        functionName: "getAssetsPrices",
        args: [[devnet.deployment.tokens.wstETH!.address]],
      });
      expect(wsteth).toBe((ethUsd * 12n) / 10n);
      // The indexers read the crashed chain: the feed's new report, the pool's new ranges.
      const sync = await createSync(config, {});
      await sync.start();
      const after = parseSnapshot(sync.snapshot());
      await sync.close();
      expect(after.oracles?.[oracleId(o.feeds.WETH!.address)]).toMatchObject({
        kind: "market",
        reportedUsd: Number(ethUsd) / 1e8,
      });
      const report = runSimulation({ snapshot: after, shock: {} });
      expect(report.totals.liquidations).toBeGreaterThan(0);
    } finally {
      await devnet.clients.test.revert({ id: evm });
    }
  });

  it("a BTC crash on chain: the WBTC/USDC V2 pair moves by the fraction beside a V3 swap, the keeper pushes BTC/USD", async () => {
    const evm = await devnet.clients.test.snapshot();
    try {
      const btcUsdBefore = await feedAnswer("WBTC");
      const crash = await crashMainnetPrices({
        rpcUrl: devnet.rpcUrl,
        client: devnet.clients.public,
        chainId: devnet.chainId,
        deployment: devnet.deployment,
        assets: config.assets,
        shock: { WBTC: -0.1, WETH: -0.05 },
      });
      // Read from the pair's reserves: WBTC's price in USDC, 0.9 of what it was (float precision).
      expect(crash.after.WBTC! / crash.before.WBTC!).toBeCloseTo(0.9, 9);
      expect(crash.after.WETH! / crash.before.WETH!).toBeCloseTo(0.95, 9);
      const btcUsd = await feedAnswer("WBTC");
      expect(Number(btcUsdBefore) / 1e8).toBeCloseTo(crash.before.WBTC!, 6);
      expect(Number(btcUsd) / 1e8).toBeCloseTo(crash.after.WBTC!, 6);
      expect(crash.feedUpdates.map((u) => u.asset).sort()).toEqual(["WBTC", "WETH"]);
      // Aave V3.6 prices WBTC with BTC/USD.
      const [wbtc] = await devnet.clients.public.readContract({
        address: devnet.deployment.aave["aave-v3.6"]!.oracle,
        abi: aaveV3OracleAbi,
        functionName: "getAssetsPrices",
        args: [[devnet.deployment.tokens.WBTC!.address]],
      });
      expect(wbtc).toBe(btcUsd);
      await expect(
        crashMainnetPrices({
          rpcUrl: devnet.rpcUrl,
          client: devnet.clients.public,
          chainId: devnet.chainId,
          deployment: devnet.deployment,
          assets: config.assets,
          shock: { USDC: -0.1 },
        }),
      ).rejects.toThrow(
        /USDC: only an asset that trades in a Uniswap V3 pool or a V2 pair .*\(WETH, wstETH, WBTC\)/,
      );
    } finally {
      await devnet.clients.test.revert({ id: evm });
    }
  });
});
