import "reflect-metadata";
import { UiPoolDataProvider } from "@aave/contract-helpers";
import { providers } from "ethers";
import { type Abi, type Address, maxUint256, numberToHex, pad, parseEventLogs, parseUnits } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import type { AaveDeployInput, AaveDeployment } from "../../../src/devnet/aave/AaveDeployment.js";
import { compileAaveV36 } from "../../../src/devnet/aave/v36/aaveV36Sources.js";
import { AAVE_V36_TREASURY, deployAaveV36 } from "../../../src/devnet/aave/v36/deployAaveV36.js";
import { type AnvilInstance, startAnvil } from "../../../src/devnet/anvil/startAnvil.js";
import {
  createDevnetClients,
  type DevnetFullClients,
} from "../../../src/devnet/chain/createDevnetClients.js";
import { gasWithHeadroom } from "../../../src/devnet/chain/gasWithHeadroom.js";
import { installMulticall3 } from "../../../src/devnet/chain/installMulticall3.js";
import { devnetMarketId } from "../../../src/devnet/liquidator/cascadeTarget.js";
import { runLiquidator } from "../../../src/devnet/liquidator/runLiquidator.js";
import { artifactOf, deployArtifact, sendAndWait } from "../../../src/devnet/solidity/deployArtifact.js";
import type { CompiledContracts } from "../../../src/devnet/solidity/solcTypes.js";
import { deployTestTokens } from "../../../src/devnet/tokens/deployTestTokens.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const account = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index });
const AGGREGATOR = "contracts/mocks/oracle/CLAggregators/MockAggregator.sol:MockAggregator";
const POOL = "contracts/instances/PoolInstance.sol:PoolInstance";

const ASSETS = { WETH: { decimals: 18, priceE8: 3000n }, USDC: { decimals: 6, priceE8: 1n } } as const;

let anvil: AnvilInstance;
let clients: DevnetFullClients;
let contracts: CompiledContracts;
let deployment: AaveDeployment;
let input: AaveDeployInput;
let deploySeconds = 0;

/** Sends a call from another anvil account (its key is in the mnemonic). */
function as(index: number): DevnetFullClients {
  return createDevnetClients(anvil.rpcUrl, account(index));
}

beforeAll(async () => {
  anvil = await startAnvil();
  clients = createDevnetClients(anvil.rpcUrl, account(0));
  contracts = await compileAaveV36();
  await installMulticall3(clients.public, clients.test);
  // The devnet's own open-mint test tokens (the liquidator mints what it repays).
  const tokens: AaveDeployInput["tokens"] = await deployTestTokens(clients, [
    { id: "WETH", name: "Wrapped Ether", decimals: 18, priceUsd: 3000 },
    { id: "USDC", name: "USD Coin", decimals: 6, priceUsd: 1 },
  ]);
  const priceSources: AaveDeployInput["priceSources"] = {};
  for (const [id, { priceE8 }] of Object.entries(ASSETS)) {
    priceSources[id] = await deployArtifact(clients, artifactOf(contracts, AGGREGATOR), [
      priceE8 * 100_000_000n,
    ]);
  }
  input = {
    clients,
    tokens,
    priceSources,
    reserves: {
      WETH: {
        ltvBps: 8000,
        liquidationThresholdBps: 8300,
        liquidationBonusBps: 10500,
        reserveFactorBps: 1500,
        liquidationProtocolFeeBps: 1000,
        borrowable: true,
        collateral: true,
      },
      USDC: {
        ltvBps: 7500,
        liquidationThresholdBps: 7800,
        liquidationBonusBps: 10450,
        reserveFactorBps: 1000,
        liquidationProtocolFeeBps: 1000,
        borrowable: true,
        collateral: true,
      },
    },
    emode: {
      id: 1,
      label: "ETH correlated",
      ltvBps: 9300,
      liquidationThresholdBps: 9500,
      liquidationBonusBps: 10100,
      assets: ["WETH"],
    },
  };
  const started = performance.now();
  deployment = await deployAaveV36(input, { contracts });
  deploySeconds = (performance.now() - started) / 1000;
  console.log(`Aave V3.6 deployed in ${(deploySeconds * 1000).toFixed(0)} ms`);
});

afterAll(async () => {
  await anvil?.stop();
});

const poolAbi = (): Abi => artifactOf(contracts, POOL).abi;

async function mint(id: keyof typeof ASSETS, to: Address, amount: bigint): Promise<void> {
  await sendAndWait(clients, {
    address: input.tokens[id]!.address,
    abi: mintableErc20Abi,
    functionName: "mint",
    args: [to, amount],
  });
}

async function approvePool(who: DevnetFullClients, id: keyof typeof ASSETS): Promise<void> {
  await sendAndWait(who, {
    address: input.tokens[id]!.address,
    abi: mintableErc20Abi,
    functionName: "approve",
    args: [deployment.pool, maxUint256],
  });
}

async function accountData(user: Address) {
  const [collateralBase, debtBase, , threshold, , healthFactor] = (await clients.public.readContract({
    address: deployment.pool,
    abi: poolAbi(),
    functionName: "getUserAccountData",
    args: [user],
  })) as readonly [bigint, bigint, bigint, bigint, bigint, bigint];
  return { collateralBase, debtBase, threshold, healthFactor };
}

describe("Aave V3.6 on the devnet", () => {
  it("deploys every part of the market with the configured risk parameters", async () => {
    expect(deployment.version).toBe("v3.6");
    expect(deployment.liquidationLogic).toBe("v3.3");
    expect(deploySeconds).toBeLessThan(20);
    const reader = new UiPoolDataProvider({
      uiPoolDataProviderAddress: deployment.uiPoolDataProvider,
      provider: new providers.StaticJsonRpcProvider(anvil.rpcUrl, 31337),
      chainId: 31337,
    });
    const { reservesData, baseCurrencyData } = await reader.getReservesHumanized({
      lendingPoolAddressProvider: deployment.addressesProvider,
    });
    expect(baseCurrencyData.marketReferenceCurrencyDecimals).toBe(8);
    const weth = reservesData.find(
      (reserve) => reserve.underlyingAsset.toLowerCase() === input.tokens.WETH!.address.toLowerCase(),
    )!;
    expect(weth.reserveLiquidationThreshold).toBe("8300");
    expect(weth.reserveLiquidationBonus).toBe("10500");
    expect(weth.baseLTVasCollateral).toBe("8000");
    expect(weth.priceInMarketReferenceCurrency).toBe(String(3000n * 100_000_000n));
    expect(weth.aTokenAddress.toLowerCase()).toBe(deployment.reserves.WETH!.aToken.toLowerCase());
    expect(weth.variableRateSlope1).toBe("0");
    // contract-helpers 1.38.0 cannot decode V3.6's getEModes (the struct gained a field), so read the pool directly.
    const emode = (await clients.public.readContract({
      address: deployment.pool,
      abi: poolAbi(),
      functionName: "getEModeCategoryCollateralConfig",
      args: [1],
    })) as { ltv: number; liquidationThreshold: number; liquidationBonus: number };
    expect([emode.ltv, emode.liquidationThreshold, emode.liquidationBonus]).toEqual([9300, 9500, 10100]);
    const collateralBitmap = (await clients.public.readContract({
      address: deployment.pool,
      abi: poolAbi(),
      functionName: "getEModeCategoryCollateralBitmap",
      args: [1],
    })) as bigint;
    expect(collateralBitmap).toBe(1n << BigInt(weth.originalId));
  });

  it("supplies, borrows, and liquidates with liquidationCall after the collateral price falls", async () => {
    const [lender, borrower, liquidator] = [as(1), as(2), as(3)];
    const pool = { address: deployment.pool, abi: poolAbi() };
    await mint("USDC", lender.wallet.account.address, parseUnits("1000000", 6));
    await approvePool(lender, "USDC");
    await sendAndWait(lender, {
      ...pool,
      functionName: "supply",
      args: [input.tokens.USDC!.address, parseUnits("1000000", 6), lender.wallet.account.address, 0],
    });
    const user = borrower.wallet.account.address;
    await mint("WETH", user, parseUnits("10", 18));
    await approvePool(borrower, "WETH");
    await sendAndWait(borrower, {
      ...pool,
      functionName: "supply",
      args: [input.tokens.WETH!.address, parseUnits("10", 18), user, 0],
    });
    await sendAndWait(borrower, {
      ...pool,
      functionName: "borrow",
      args: [input.tokens.USDC!.address, parseUnits("24000", 6), 2n, 0, user],
    });

    // HF = 10 WETH * $3000 * 0.83 / $24000 = 1.0375 (18 decimals on chain).
    expect((await accountData(user)).healthFactor).toBe(1_037_500_000_000_000_000n);

    // Drop WETH to $2500 by rewriting the mock aggregator's answer (storage slot 0).
    await clients.test.setStorageAt({
      address: input.priceSources.WETH!,
      index: 0,
      value: pad(numberToHex(2500n * 100_000_000n), { size: 32 }),
    });
    const before = await accountData(user);
    // HF = 10 * 2500 * 0.83 / 24000 = 0.864583…
    expect(before.healthFactor).toBe((10n * 2500n * 8300n * 10n ** 18n) / (24000n * 10000n));

    const reader = new UiPoolDataProvider({
      uiPoolDataProviderAddress: deployment.uiPoolDataProvider,
      provider: new providers.StaticJsonRpcProvider(anvil.rpcUrl, 31337),
      chainId: 31337,
    });
    const { userReserves } = await reader.getUserReservesHumanized({
      lendingPoolAddressProvider: deployment.addressesProvider,
      user,
    });
    const byAsset = new Map(userReserves.map((r) => [r.underlyingAsset.toLowerCase(), r]));
    expect(byAsset.get(input.tokens.WETH!.address.toLowerCase())?.scaledATokenBalance).toBe(
      parseUnits("10", 18).toString(),
    );
    expect(byAsset.get(input.tokens.WETH!.address.toLowerCase())?.usageAsCollateralEnabledOnUser).toBe(true);
    expect(byAsset.get(input.tokens.USDC!.address.toLowerCase())?.scaledVariableDebt).toBe(
      parseUnits("24000", 6).toString(),
    );

    await mint("USDC", liquidator.wallet.account.address, parseUnits("30000", 6));
    await approvePool(liquidator, "USDC");
    const liquidation = {
      ...pool,
      functionName: "liquidationCall",
      args: [input.tokens.WETH!.address, input.tokens.USDC!.address, user, maxUint256, false],
    } as const;
    const gas = gasWithHeadroom(
      await clients.public.estimateContractGas({ ...liquidation, account: liquidator.wallet.account }),
    );
    const hash = await liquidator.wallet.writeContract({ ...liquidation, gas });
    const receipt = await clients.public.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    const [event] = parseEventLogs({
      abi: poolAbi(),
      logs: receipt.logs,
      eventName: "LiquidationCall",
    }) as unknown as Array<{
      args: { debtToCover: bigint; liquidatedCollateralAmount: bigint };
    }>;
    // Model (v3.3, HF < 0.95 so full close): seize = 24000 * 1.05 / 2500 = 10.08 > 10 WETH held, so
    // seize = 10 and repay = 10 * 2500 / 1.05 = 23809.5238 USDC.
    const expectedRepay = (10n * 2500n * 10n ** 6n * 10000n) / 10500n;
    expect(Number(event!.args.debtToCover - expectedRepay)).toBeLessThanOrEqual(1);
    expect(Number(expectedRepay - event!.args.debtToCover)).toBeLessThanOrEqual(1);
    // The event reports what the liquidator receives: the 10 WETH seized minus the protocol's 10% of the bonus.
    const seized = parseUnits("10", 18);
    const bonusPart = seized - (seized * 10000n) / 10500n;
    const fee = (bonusPart * 1000n) / 10000n;
    expect(Number(event!.args.liquidatedCollateralAmount - (seized - fee))).toBeLessThanOrEqual(1e3);
    expect(Number(seized - fee - event!.args.liquidatedCollateralAmount)).toBeLessThanOrEqual(1e3);
    const received = (await clients.public.readContract({
      address: input.tokens.WETH!.address,
      abi: mintableErc20Abi,
      functionName: "balanceOf",
      args: [liquidator.wallet.account.address],
    })) as bigint;
    expect(Number(received - (seized - fee))).toBeLessThanOrEqual(1e3);
    expect(Number(seized - fee - received)).toBeLessThanOrEqual(1e3);
    const treasuryATokens = (await clients.public.readContract({
      address: deployment.reserves.WETH!.aToken,
      abi: mintableErc20Abi,
      functionName: "balanceOf",
      args: [AAVE_V36_TREASURY],
    })) as bigint;
    expect(treasuryATokens + received).toBe(seized);

    // V3.6 writes off the debt left with no collateral behind it (the model's bad debt).
    const after = await accountData(user);
    expect(after.collateralBase).toBe(0n);
    expect(after.debtBase).toBe(0n);
  });
});

describe("the devnet liquidator on Aave V3.6", () => {
  it("lowers the repay to respect the dust rule instead of sending a liquidation the pool would refuse", async () => {
    const [lender, borrower] = [as(5), as(4)];
    const pool = { address: deployment.pool, abi: poolAbi() };
    const setWethPrice = (usd: bigint) =>
      clients.test.setStorageAt({
        address: input.priceSources.WETH!,
        index: 0,
        value: pad(numberToHex(usd * 100_000_000n), { size: 32 }),
      });
    await setWethPrice(3000n);
    await mint("WETH", lender.wallet.account.address, parseUnits("10", 18));
    await approvePool(lender, "WETH");
    await sendAndWait(lender, {
      ...pool,
      functionName: "supply",
      args: [input.tokens.WETH!.address, parseUnits("10", 18), lender.wallet.account.address, 0],
    });
    const user = borrower.wallet.account.address;
    await mint("WETH", user, parseUnits("2", 18));
    await approvePool(borrower, "WETH");
    await sendAndWait(borrower, {
      ...pool,
      functionName: "supply",
      args: [input.tokens.WETH!.address, parseUnits("2", 18), user, 0],
    });
    await sendAndWait(borrower, {
      ...pool,
      functionName: "borrow",
      args: [input.tokens.USDC!.address, parseUnits("3000", 6), 2n, 0, user],
    });
    await sendAndWait(borrower, {
      ...pool,
      functionName: "borrow",
      args: [input.tokens.WETH!.address, parseUnits("0.5", 18), 2n, 0, user],
    });

    // WETH at $2480: HF = 2 * 2480 * 0.83 / (3000 + 1240) = 0.9709, above 0.95, so the close factor
    // caps the USDC repay at 50% of the $4240 debt = 2120 USDC, which would leave 880 USDC of debt,
    // under the $1000 minimum; the rational repay is 3000 - 1000 = 2000 USDC, seizing 2000 * 1.05 / 2480 WETH.
    await setWethPrice(2480n);
    // Repaying the close-factor maximum would leave dust: the pool refuses it (MustNotLeaveDust(), selector 0xb629b0e4).
    await mint("USDC", account(6).address, parseUnits("5000", 6));
    await approvePool(as(6), "USDC");
    await expect(
      clients.public.simulateContract({
        ...pool,
        account: account(6).address,
        functionName: "liquidationCall",
        args: [input.tokens.WETH!.address, input.tokens.USDC!.address, user, maxUint256, false],
      }),
    ).rejects.toThrow(/MustNotLeaveDust|0xb629b0e4/);
    const run = await runLiquidator({
      client: clients.public,
      target: {
        rpcUrl: anvil.rpcUrl,
        chainId: 31337,
        quote: "USDC",
        assets: Object.entries(input.tokens).map(([id, token]) => ({
          id,
          token: token.address,
          decimals: token.decimals,
          priceSource: input.priceSources[id]!,
        })),
        aaveMarkets: [
          {
            marketId: devnetMarketId("aave-v3", 31337, deployment.pool),
            pool: deployment.pool,
            poolDataProvider: deployment.poolDataProvider,
            liquidationLogic: "v3.3",
            fromBlock: deployment.deployBlock,
          },
        ],
      },
    });
    expect(run.failed).toEqual([]);
    expect(run.report.liquidations).toHaveLength(1);
    const [liquidation] = run.report.liquidations;
    expect(liquidation!.account).toBe(user.toLowerCase());
    expect(liquidation!.healthFactor).toBeCloseTo((2 * 2480 * 0.83) / 4240, 12);
    expect(liquidation!.repaid.USDC).toBeCloseTo(2000, 4);
    expect(liquidation!.seized.WETH).toBeCloseTo((2000 * 1.05) / 2480, 8);
    // Exactly $1000 of USDC debt is left (to the 1e-9 margin the liquidator keeps), and the position is healthy.
    const left = (await clients.public.readContract({
      address: deployment.reserves.USDC!.variableDebtToken,
      abi: mintableErc20Abi,
      functionName: "balanceOf",
      args: [user],
    })) as bigint;
    expect(Number(left) / 1e6).toBeGreaterThanOrEqual(1000);
    expect(Number(left) / 1e6).toBeLessThan(1000.01);
    expect((await accountData(user)).healthFactor).toBeGreaterThanOrEqual(10n ** 18n);
    expect(run.report.converged).toBe(true);
  });
});
