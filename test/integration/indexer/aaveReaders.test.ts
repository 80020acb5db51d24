/**
 * The two Aave readers on the devnet: the default multicall reader (aToken and debt-token
 * `balanceOf`) and `UiPoolDataProviderV3` through @aave/contract-helpers. On V3.6 they agree to
 * the last unit; on the V3.0 build the helper's fixed struct layout misreads and is refused.
 */
import { type Address, parseAbi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAaveUserReservesWithHelpers } from "../../../src/adapters/protocols/aave-v3/readAaveUserReservesWithHelpers.js";
import { createSync } from "../../../src/app/sync/createSync.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { FatalError } from "../../../src/core/errors.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

const SEED = Number(process.env.SEED ?? 11);
const RAY = 10n ** 27n;
const poolAbi = parseAbi([
  "function getReservesList() view returns (address[])",
  "function getReserveNormalizedIncome(address asset) view returns (uint256)",
  "function getReserveNormalizedVariableDebt(address asset) view returns (uint256)",
]);

let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "spot", seed: SEED, positions: 120 });
}, 240_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("Aave readers", () => {
  it("UiPoolDataProvider via contract-helpers agrees with the multicall reader on V3.6", async () => {
    const market = devnet.deployment.aave["aave-v3.6"]!;
    const client = devnet.clients.public;
    const reserves = await client.readContract({
      address: market.pool,
      abi: poolAbi,
      functionName: "getReservesList",
    });
    const accounts = [
      ...new Set(
        devnet.positions
          .filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.6")
          .map((p) => p.account),
      ),
    ];
    const helper = await readAaveUserReservesWithHelpers({
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chainId,
      uiPoolDataProvider: market.uiPoolDataProvider,
      addressesProvider: market.addressesProvider,
      accounts,
      reserves,
    });
    const sync = await createSync(parseConfig(devnet.config), {});
    await sync.start();
    const marketId = `aave-v3:${devnet.chainId}:${market.pool.toLowerCase()}`;
    const indexed = new Map(
      sync
        .snapshot()
        .positions.filter((p) => p.market === marketId)
        .map((p) => [p.account.toLowerCase(), p]),
    );
    const assetOf = new Map(
      Object.entries(market.reserves).map(([asset, r]) => [
        r.underlying.toLowerCase(),
        { asset, decimals: r.decimals },
      ]),
    );
    for (const account of accounts) {
      const read = helper.get(account as Address)!;
      const collateral: Record<string, number> = {};
      const debt: Record<string, number> = {};
      for (const r of read.reserves) {
        const { asset, decimals } = assetOf.get(r.underlying.toLowerCase())!;
        // V3.6 rounds aToken balances down and debt up when scaling by the normalized index.
        const income = await client.readContract({
          address: market.pool,
          abi: poolAbi,
          functionName: "getReserveNormalizedIncome",
          args: [r.underlying],
        });
        const debtIndex = await client.readContract({
          address: market.pool,
          abi: poolAbi,
          functionName: "getReserveNormalizedVariableDebt",
          args: [r.underlying],
        });
        const supplied = (r.scaledATokenBalance * income) / RAY;
        const owed = (r.scaledVariableDebt * debtIndex + RAY - 1n) / RAY;
        if (r.usageAsCollateral && supplied > 0n) collateral[asset] = Number(supplied) / 10 ** decimals;
        if (owed > 0n) debt[asset] = Number(owed) / 10 ** decimals;
      }
      const position = indexed.get(account.toLowerCase())!;
      for (const [asset, amount] of Object.entries(collateral))
        expect(position.collateral[asset]).toBeCloseTo(amount, 12);
      for (const [asset, amount] of Object.entries(debt))
        expect(position.debt[asset]).toBeCloseTo(amount, 12);
      expect(Object.keys(position.debt).sort()).toEqual(Object.keys(debt).sort());
      expect(position.emode ?? 0).toBe(read.emode);
    }
  });

  it("refuses the V3.0-era UiPoolDataProvider that contract-helpers 1.38 misreads", async () => {
    const market = devnet.deployment.aave["aave-v3.0"]!;
    const reserves = await devnet.clients.public.readContract({
      address: market.pool,
      abi: poolAbi,
      functionName: "getReservesList",
    });
    const accounts = devnet.positions
      .filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.0")
      .map((p) => p.account)
      .slice(0, 5);
    const error = await readAaveUserReservesWithHelpers({
      rpcUrl: devnet.rpcUrl,
      chainId: devnet.chainId,
      uiPoolDataProvider: market.uiPoolDataProvider,
      addressesProvider: market.addressesProvider,
      accounts,
      reserves,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/cannot decode this \(V3.0-era\) build/);
  });
});
