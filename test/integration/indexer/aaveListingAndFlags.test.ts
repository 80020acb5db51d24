/**
 * The Aave V3.6 pool changed under a running indexer, on the devnet: a reserve listed after start
 * (a token the config does not name) is an asset of the next snapshot, with its symbol and
 * decimals read on chain and its price from the pool's oracle; a reserve paused through the
 * PoolConfigurator (then unpaused with a grace period) reaches the snapshot's market and the
 * engine, which liquidates nothing against it and reports the held debt as blocked.
 */
import { type Address, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { erc20Abi } from "../../../abis/erc20.js";
import { createSync } from "../../../src/app/sync/createSync.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { AaveMarketData, SnapshotData } from "../../../src/core/snapshot/schema.js";
import { configureAaveReserves } from "../../../src/devnet/aave/configureAaveReserves.js";
import { compileAaveV36 } from "../../../src/devnet/aave/v36/aaveV36Sources.js";
import {
  AAVE_V36_ARTIFACTS,
  AAVE_V36_TREASURY,
  ZERO_RATE_DATA,
} from "../../../src/devnet/aave/v36/deployAaveV36.js";
import { deployContract } from "../../../src/devnet/deploy/deployContract.js";
import { loadPackageArtifact } from "../../../src/devnet/deploy/loadPackageArtifact.js";
import { artifactOf, deployArtifact, sendAndWait } from "../../../src/devnet/solidity/deployArtifact.js";
import type { Devnet } from "../../../src/devnet/startDevnet.js";
import { MINTABLE_ERC20 } from "../../../src/devnet/tokens/deployTestTokens.js";
import { useDevnet } from "../../helpers/devnet.js";

const devnet = useDevnet({ profile: "spot", positions: 200 });

const v36 = (d: Devnet) => d.deployment.aave["aave-v3.6"]!;
const marketOf = (snapshot: SnapshotData, d: Devnet): AaveMarketData => {
  const id = `aave-v3:${d.chainId}:${v36(d).pool.toLowerCase()}`;
  const market = snapshot.markets.find((m) => m.id === id);
  if (market?.protocol !== "aave-v3") throw new Error(`no aave-v3.6 market ${id} in the snapshot`);
  return market;
};

async function startedSync(d: Devnet) {
  const sync = await createSync(parseConfig(d.config));
  await sync.start();
  return sync;
}

describe("Aave V3.6 changed under a running indexer (devnet)", () => {
  it("carries a reserve listed after start, with its symbol, decimals and oracle price", async () => {
    const d = devnet();
    const sync = await startedSync(d);
    try {
      const before = parseSnapshot(sync.snapshot());
      expect(before.assets.some((a) => a.symbol === "DAIX")).toBe(false);

      // A new token, its price source, and its listing, as governance does it on chain.
      const contracts = await compileAaveV36();
      const art = (name: keyof typeof AAVE_V36_ARTIFACTS) => artifactOf(contracts, AAVE_V36_ARTIFACTS[name]);
      const market = v36(d);
      const token = await deployContract(
        d.clients,
        loadPackageArtifact(MINTABLE_ERC20),
        ["Devnet listed later", "DAIX", 18],
        "DAIX",
      );
      const source = await deployArtifact(d.clients, art("aggregator"), [100_020_000n]);
      await sendAndWait(d.clients, {
        address: market.oracle,
        abi: art("oracle").abi,
        functionName: "setAssetSources",
        args: [[token], [source]],
      });
      const aTokenImpl = await deployArtifact(d.clients, art("aToken"), [
        market.pool,
        zeroAddress,
        AAVE_V36_TREASURY,
      ]);
      const debtImpl = await deployArtifact(d.clients, art("variableDebtToken"), [market.pool, zeroAddress]);
      const configurator = { address: market.poolConfigurator, abi: art("configurator").abi };
      await sendAndWait(d.clients, {
        ...configurator,
        functionName: "initReserves",
        args: [
          [
            {
              aTokenImpl,
              variableDebtTokenImpl: debtImpl,
              underlyingAsset: token,
              aTokenName: "Aave Devnet DAIX",
              aTokenSymbol: "aDAIX",
              variableDebtTokenName: "Aave Devnet Variable Debt DAIX",
              variableDebtTokenSymbol: "variableDebtDAIX",
              params: "0x",
              interestRateData: ZERO_RATE_DATA,
            },
          ],
        ],
      });
      await configureAaveReserves(d.clients, configurator, [
        {
          asset: token,
          params: {
            ltvBps: 7000,
            liquidationThresholdBps: 7700,
            liquidationBonusBps: 10_450,
            reserveFactorBps: 1000,
            liquidationProtocolFeeBps: 1000,
            borrowable: true,
            collateral: true,
          },
        },
      ]);

      await sync.step();
      const after = parseSnapshot(sync.snapshot());
      const listed = after.assets.find((a) => a.symbol === "DAIX");
      expect(listed).toMatchObject({ symbol: "DAIX", decimals: 18 });
      // The price the pool's oracle answers for it, and the reserve's parameters as listed.
      const answer = (await d.clients.public.readContract({
        address: market.oracle,
        abi: art("oracle").abi,
        functionName: "getAssetPrice",
        args: [token],
      })) as bigint;
      expect(Number(answer) / 1e8).toBe(1.0002);
      expect(listed!.priceUsd).toBeCloseTo(1.0002, 12);
      const reserve = marketOf(after, d).reserves[listed!.id];
      expect(reserve).toMatchObject({ liquidationThreshold: 0.77, liquidationBonus: 0.045 });
      expect(reserve?.oracle).toBeDefined();
      // Its source answers only `latestAnswer` (Aave's mock aggregator): a fixed price.
      expect(after.oracles[reserve!.oracle!]).toEqual({ kind: "fixed", priceUsd: 1.0002 });
      // Its decimals are the token's own.
      const decimals = await d.clients.public.readContract({
        address: token as Address,
        abi: erc20Abi,
        functionName: "decimals",
      });
      expect(decimals).toBe(18);
    } finally {
      await sync.close();
    }
  });

  it("a paused reserve reaches the snapshot and the engine liquidates nothing against it", async () => {
    const d = devnet();
    const sync = await startedSync(d);
    try {
      const market = v36(d);
      const weth = d.deployment.tokens.WETH!.address;
      const shock = { WETH: -0.4 };
      const against = (report: ReturnType<typeof simulate>, asset: string) =>
        report.liquidations.filter(
          (l) =>
            l.market === marketOf(sync0, d).id &&
            (Object.hasOwn(l.seized, asset) || Object.hasOwn(l.repaid, asset)),
        );
      const sync0 = parseSnapshot(sync.snapshot());
      const free = simulate(compileBook(sync0), shock);
      expect(against(free, "WETH").length).toBeGreaterThan(0);
      expect(free.totals.blocked).toBeUndefined();

      const contracts = await compileAaveV36();
      const configurator = {
        address: market.poolConfigurator,
        abi: artifactOf(contracts, AAVE_V36_ARTIFACTS.configurator).abi,
      };
      await sendAndWait(d.clients, { ...configurator, functionName: "setReservePause", args: [weth, true] });
      await sync.step();
      const paused = parseSnapshot(sync.snapshot());
      expect(marketOf(paused, d).reserves.WETH?.paused).toBe(true);
      const held = simulate(compileBook(paused), shock);
      expect(against(held, "WETH")).toEqual([]);
      expect(held.totals.blocked).toBeGreaterThan(0);
      expect(held.totals.blockedDebtUsd).toBeGreaterThan(0);

      // Unpaused with a grace period: still held until it ends.
      await sendAndWait(d.clients, {
        ...configurator,
        functionName: "setReservePause",
        args: [weth, false, 3600],
      });
      await sync.step();
      const grace = parseSnapshot(sync.snapshot());
      const reserve = marketOf(grace, d).reserves.WETH!;
      expect(reserve.paused).toBeUndefined();
      const block = await d.clients.public.getBlock();
      expect(reserve.liquidationGraceUntil).toBe(Number(block.timestamp) + 3600);
      expect(against(simulate(compileBook(grace), shock), "WETH")).toEqual([]);
    } finally {
      await sync.close();
    }
  });
});
