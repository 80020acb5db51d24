import { type Address, maxUint256, parseAbi, parseUnits } from "viem";
import { describe, expect, it } from "vitest";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { configSchema } from "../../../src/config/schema/configSchema.js";
import type { AaveDeployment } from "../../../src/devnet/aave/AaveDeployment.js";
import { DEFAULT_AAVE_EMODE, DEFAULT_AAVE_RESERVES } from "../../../src/devnet/aave/defaultAaveParams.js";
import { aaveV30Artifact } from "../../../src/devnet/aave/v30/aaveV30Artifacts.js";
import { loadPackageArtifact } from "../../../src/devnet/deploy/loadPackageArtifact.js";
import { DEFAULT_DEVNET_ASSETS } from "../../../src/devnet/devnetAssets.js";
import type { AavePositionPlan, MorphoPositionPlan } from "../../../src/devnet/seed/positionPlan.js";
import { devnetAccount } from "../../../src/devnet/startDevnet.js";
import { UNISWAP_V2_ROUTER } from "../../../src/devnet/uniswap/deployUniswapV2.js";
import { MAINNET_UNISWAP_V3_POOLS } from "../../../src/devnet/uniswap/mainnetUniswapV3Pools.js";
import { useDevnet } from "../../helpers/devnet.js";

const POSITIONS = 200;
const devnet = useDevnet({ profile: "spot", positions: POSITIONS, uniswapV3Pools: MAINNET_UNISWAP_V3_POOLS });

const pairAbi = parseAbi([
  "function token0() view returns (address)",
  "function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)",
]);
const sourceAbi = parseAbi(["function latestAnswer() view returns (int256)"]);
const morphoOracleAbi = parseAbi(["function price() view returns (uint256)"]);
const aaveOracleAbi = parseAbi(["function getAssetPrice(address asset) view returns (uint256)"]);
const erc20Abi = parseAbi([
  "function mint(address account, uint256 value) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
]);

const decimalsOf = (asset: string): number => {
  const spec = DEFAULT_DEVNET_ASSETS.find((candidate) => candidate.id === asset);
  if (spec === undefined) throw new Error(`unknown asset ${asset}`);
  return spec.decimals;
};

/**
 * Every asset's expected oracle answer (USD, 8 decimals), from the pair reserves by hand:
 * reserveUsdc × 10^assetDecimals × 1e8 / (reserveAsset × 10^6) (wstETH too: its oracle reads its
 * own pair); USDC = 1e8.
 */
async function expectedPricesE8(): Promise<Record<string, bigint>> {
  const { clients, deployment } = devnet();
  const prices: Record<string, bigint> = { USDC: 10n ** 8n };
  for (const asset of ["WETH", "WBTC", "wstETH"]) {
    const pair = deployment.uniswap.pairs[asset] as Address;
    const token0 = await clients.public.readContract({ address: pair, abi: pairAbi, functionName: "token0" });
    const [reserve0, reserve1] = await clients.public.readContract({
      address: pair,
      abi: pairAbi,
      functionName: "getReserves",
    });
    const assetIsToken0 = token0.toLowerCase() === deployment.tokens[asset]?.address.toLowerCase();
    const [reserveAsset, reserveUsdc] = assetIsToken0 ? [reserve0, reserve1] : [reserve1, reserve0];
    prices[asset] = (reserveUsdc * 10n ** BigInt(decimalsOf(asset)) * 10n ** 8n) / (reserveAsset * 10n ** 6n);
  }
  return prices;
}

async function latestAnswer(asset: string): Promise<bigint> {
  const { clients, deployment } = devnet();
  return clients.public.readContract({
    address: deployment.priceSources[asset] as Address,
    abi: sourceAbi,
    functionName: "latestAnswer",
  });
}

describe("startDevnet", () => {
  it("deploys both Aave markets, Morpho Blue and the pairs, and seeds the asked number of positions", () => {
    const { deployment, positions, seeding, chainId, rpcUrl } = devnet();
    expect(chainId).toBe(31337);
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(deployment.aave["aave-v3.0"]?.liquidationLogic).toBe("v3.0");
    expect(deployment.aave["aave-v3.6"]?.liquidationLogic).toBe("v3.3");
    expect(Object.keys(deployment.uniswap.pairs).sort()).toEqual(["WBTC", "WETH", "wstETH"]);
    expect(deployment.morpho?.markets.length).toBe(5);
    expect(positions.length).toBe(POSITIONS);
    expect(seeding.positions).toBe(POSITIONS);
    const venues = new Set(
      positions.map((plan) => (plan.protocol === "aave-v3" ? plan.market : plan.protocol)),
    );
    expect([...venues].sort()).toEqual(["aave-v3.0", "aave-v3.6", "morpho-blue"]);
  });

  it("prices every asset from its own pair (wstETH starts at WETH × 1.2, USDC is $1)", async () => {
    const expected = await expectedPricesE8();
    expect(expected.WETH).toBe(3000n * 10n ** 8n);
    expect(expected.wstETH).toBe(3600n * 10n ** 8n);
    for (const asset of ["WETH", "WBTC", "wstETH", "USDC"]) {
      expect(await latestAnswer(asset)).toBe(expected[asset]);
    }
  });

  it("a sale on the WETH pair moves WETH in both Aave oracles and the Morpho oracles; wstETH's oracle reads only its own pair", async () => {
    const { clients, deployment } = devnet();
    const seller = devnetAccount(5);
    const router = loadPackageArtifact(UNISWAP_V2_ROUTER);
    const weth = deployment.tokens.WETH?.address as Address;
    const usdc = deployment.tokens.USDC?.address as Address;
    const amountIn = parseUnits("600", 18);
    for (const [functionName, args] of [
      ["mint", [seller.address, amountIn]],
      ["approve", [deployment.uniswap.router, maxUint256]],
    ] as const) {
      const hash = await clients.wallet.writeContract({
        account: seller,
        address: weth,
        abi: erc20Abi,
        functionName,
        args,
      });
      await clients.public.waitForTransactionReceipt({ hash });
    }
    const hash = await clients.wallet.writeContract({
      account: seller,
      address: deployment.uniswap.router,
      abi: router.abi,
      functionName: "swapExactTokensForTokens",
      args: [amountIn, 0n, [weth, usdc], seller.address, maxUint256],
    });
    expect((await clients.public.waitForTransactionReceipt({ hash })).status).toBe("success");

    const expected = await expectedPricesE8();
    // 600 WETH into 6000 WETH / 18M USDC with a 0.3% fee: the spot price falls by about 17%.
    expect(Number(expected.WETH) / 3000e8).toBeGreaterThan(0.8);
    expect(Number(expected.WETH) / 3000e8).toBeLessThan(0.85);
    // Nobody arbitraged the wstETH pair: its price waits for the devnet's arbitrageur (moveFollowers).
    expect(expected.wstETH).toBe(3600n * 10n ** 8n);
    expect(await latestAnswer("WETH")).toBe(expected.WETH);
    expect(await latestAnswer("wstETH")).toBe(expected.wstETH);
    for (const aave of Object.values(deployment.aave) as AaveDeployment[]) {
      for (const asset of ["WETH", "wstETH"]) {
        const price = await clients.public.readContract({
          address: aave.oracle,
          abi: aaveOracleAbi,
          functionName: "getAssetPrice",
          args: [deployment.tokens[asset]?.address as Address],
        });
        expect(price).toBe(expected[asset]);
      }
    }
    for (const market of deployment.morpho?.markets ?? []) {
      const collateralE8 = expected[market.collateral] as bigint;
      const loanE8 = expected[market.loan] as bigint;
      const scale = 10n ** BigInt(36 + decimalsOf(market.loan) - decimalsOf(market.collateral));
      const price = await clients.public.readContract({
        address: market.params.oracle,
        abi: morphoOracleAbi,
        functionName: "price",
      });
      expect(price).toBe((collateralE8 * scale) / loanE8);
    }
  });

  it("every Aave position reads back through getUserAccountData as the seeder intended", async () => {
    const { clients, deployment, positions } = devnet();
    const prices = await expectedPricesE8();
    const aavePlans = positions.filter((plan): plan is AavePositionPlan => plan.protocol === "aave-v3");
    expect(aavePlans.length).toBeGreaterThan(POSITIONS / 3);
    const reads = await clients.public.multicall({
      contracts: aavePlans.flatMap((plan) => {
        const pool = deployment.aave[plan.market]?.pool as Address;
        return [
          { address: pool, abi: aaveV3PoolAbi, functionName: "getUserAccountData", args: [plan.account] },
          { address: pool, abi: aaveV3PoolAbi, functionName: "getUserEMode", args: [plan.account] },
        ] as const;
      }),
      allowFailure: false,
      batchSize: 50_000,
    });
    aavePlans.forEach((plan, index) => {
      const [collateralBase, debtBase, , liquidationThresholdBps, , healthFactorWad] = reads[
        2 * index
      ] as readonly [bigint, bigint, bigint, bigint, bigint, bigint];
      expect(reads[2 * index + 1]).toBe(BigInt(plan.emode));
      const lt = (asset: string): bigint =>
        BigInt(
          plan.emode === 0
            ? (DEFAULT_AAVE_RESERVES[asset]?.liquidationThresholdBps ?? 0)
            : DEFAULT_AAVE_EMODE.liquidationThresholdBps,
        );
      let expectedCollateral = 0n;
      let weightedThreshold = 0n;
      for (const { asset, amountWei } of plan.collateral) {
        const value = (amountWei * (prices[asset] as bigint)) / 10n ** BigInt(decimalsOf(asset));
        expectedCollateral += value;
        weightedThreshold += value * lt(asset);
      }
      const debtPrice = prices[plan.debt.asset] as bigint;
      const expectedDebt = (plan.debt.amountWei * debtPrice) / 10n ** BigInt(decimalsOf(plan.debt.asset));
      // Base-currency values: exact up to Aave's rounding of each asset (1 unit of 1e-8 USD).
      expect(Number(collateralBase - expectedCollateral)).toBeGreaterThanOrEqual(-plan.collateral.length);
      expect(Number(collateralBase - expectedCollateral)).toBeLessThanOrEqual(plan.collateral.length);
      expect(Number(debtBase - expectedDebt)).toBeGreaterThanOrEqual(-1);
      expect(Number(debtBase - expectedDebt)).toBeLessThanOrEqual(1);
      if (plan.collateral.length === 1)
        expect(liquidationThresholdBps).toBe(lt(plan.collateral[0]?.asset ?? ""));
      const expectedHf = Number(weightedThreshold) / 1e4 / Number(expectedDebt);
      expect(Number(healthFactorWad) / 1e18 / expectedHf).toBeCloseTo(1, 3);
      expect(Number(healthFactorWad) / 1e18 / plan.healthFactor).toBeCloseTo(1, 3);
      expect(plan.healthFactor).toBeGreaterThan(1);
    });
  });

  it("every Morpho position and market total reads back as the seeder intended", async () => {
    const { clients, deployment, positions } = devnet();
    const prices = await expectedPricesE8();
    const morpho = deployment.morpho;
    if (morpho === undefined) throw new Error("Morpho not deployed");
    const plans = positions.filter((plan): plan is MorphoPositionPlan => plan.protocol === "morpho-blue");
    expect(plans.length).toBeGreaterThan(POSITIONS / 5);
    const marketState = await Promise.all(
      morpho.markets.map((market) =>
        clients.public.readContract({
          address: morpho.morpho,
          abi: morphoBlueAbi,
          functionName: "market",
          args: [market.id],
        }),
      ),
    );
    morpho.markets.forEach((_market, index) => {
      const borrowed = plans
        .filter((plan) => plan.marketIndex === index)
        .reduce((sum, plan) => sum + plan.debtWei, 0n);
      expect(marketState[index]?.[2]).toBe(borrowed);
    });
    for (const plan of plans) {
      const market = morpho.markets[plan.marketIndex];
      const state = marketState[plan.marketIndex];
      if (market === undefined || state === undefined) throw new Error("unknown market");
      const [, borrowShares, collateral] = await clients.public.readContract({
        address: morpho.morpho,
        abi: morphoBlueAbi,
        functionName: "position",
        args: [market.id, plan.account],
      });
      expect(collateral).toBe(plan.collateralWei);
      // Morpho's toAssetsUp with its virtual shares (1e6) and virtual assets (1).
      const [, , totalBorrowAssets, totalBorrowShares] = state;
      const debtUp =
        (borrowShares * (totalBorrowAssets + 1n) + totalBorrowShares + 10n ** 6n - 1n) /
        (totalBorrowShares + 10n ** 6n);
      expect(debtUp - plan.debtWei).toBeGreaterThanOrEqual(0n);
      expect(debtUp - plan.debtWei).toBeLessThanOrEqual(1n);
      const collateralUsd =
        (Number(collateral) / 10 ** decimalsOf(market.collateral)) *
        (Number(prices[market.collateral]) / 1e8);
      const debtUsd =
        (Number(plan.debtWei) / 10 ** decimalsOf(market.loan)) * (Number(prices[market.loan]) / 1e8);
      expect((collateralUsd * market.lltv) / debtUsd / plan.healthFactor).toBeCloseTo(1, 4);
    }
  });

  it("Aave V3.0's UiPoolDataProviderV3 reads the V3.0 reserves with their risk parameters", async () => {
    const { clients, deployment } = devnet();
    const aave = deployment.aave["aave-v3.0"] as AaveDeployment;
    const [reserves, baseCurrency] = (await clients.public.readContract({
      address: aave.uiPoolDataProvider,
      abi: aaveV30Artifact("UiPoolDataProviderV3").abi,
      functionName: "getReservesData",
      args: [aave.addressesProvider],
    })) as readonly [ReadonlyArray<Record<string, unknown>>, Record<string, unknown>];
    expect(reserves.map((reserve) => reserve.symbol).sort()).toEqual(["USDC", "WBTC", "WETH", "wstETH"]);
    for (const reserve of reserves) {
      const params = DEFAULT_AAVE_RESERVES[reserve.symbol as string];
      expect(reserve.reserveLiquidationThreshold).toBe(BigInt(params?.liquidationThresholdBps ?? -1));
      expect(reserve.reserveLiquidationBonus).toBe(BigInt(params?.liquidationBonusBps ?? -1));
      const inEmode = DEFAULT_AAVE_EMODE.assets.includes(reserve.symbol as string);
      expect(reserve.eModeCategoryId).toBe(inEmode ? DEFAULT_AAVE_EMODE.id : 0);
    }
    expect(baseCurrency.marketReferenceCurrencyUnit).toBe(10n ** 8n);
  });

  it("deploys Uniswap V3 beside the pairs when asked, and names its periphery and pools in the deployment file", async () => {
    const { config, deployment, clients } = devnet();
    const v3 = deployment.uniswapV3!;
    expect(config.devnet.contracts.uniswapV3Factory).toBe(v3.factory);
    expect(config.devnet.contracts.uniswapV3SwapRouter).toBe(v3.swapRouter);
    expect(config.devnet.contracts.uniswapV3QuoterV2).toBe(v3.quoterV2);
    expect(config.devnet.contracts.uniswapV3PositionManager).toBe(v3.positionManager);
    for (const spec of MAINNET_UNISWAP_V3_POOLS) {
      const key = `${spec.asset}/${spec.quote}@${spec.fee}`;
      const pool = config.devnet.contracts[`uniswapV3Pool.${key}`]!;
      expect(pool).toBe(v3.pools[key]?.address);
      const liquidity = await clients.public.readContract({
        address: pool,
        abi: uniswapV3PoolAbi,
        functionName: "liquidity",
      });
      expect(liquidity).toBeGreaterThan(0n);
    }
  });

  it("writes a deployment file that the config schema accepts as it is", () => {
    const { config, deployment, rpcUrl } = devnet();
    const parsed = configSchema.parse(JSON.parse(JSON.stringify(config)));
    expect(parsed.chains[0]?.rpc).toEqual([rpcUrl]);
    expect(parsed.markets.map((market) => market.protocol).sort()).toEqual([
      "aave-v3",
      "aave-v3",
      "morpho-blue",
    ]);
    const wsteth = parsed.assets.find((asset) => asset.id === "wstETH");
    expect(wsteth?.follows).toEqual({ asset: "WETH", beta: 1 });
    expect(wsteth?.liquidity).toMatchObject({
      kind: "uniswap-v2",
      pair: deployment.uniswap.pairs.wstETH,
      quote: "USDC",
    });
    expect(parsed.assets.find((asset) => asset.id === "USDC")?.liquidity).toEqual({ kind: "infinite" });
    const v30 = parsed.markets.find((market) => market.name === "aave-v3.0");
    expect(v30).toMatchObject({ liquidationLogic: "v3.0", pool: deployment.aave["aave-v3.0"]?.pool });
  });
});
