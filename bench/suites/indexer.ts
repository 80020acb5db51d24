/**
 * Suite `indexer`: the indexers against the real devnet. Cold index rate (positions per second,
 * from an empty sync to a validated snapshot) for 1k and 10k seeded positions, and the time from
 * a new block that touches 100 Aave accounts to the updated snapshot.
 */
import { createChainClient } from "../../src/adapters/chain/createChainClient.js";
import { AssetRegistry } from "../../src/adapters/protocols/AssetRegistry.js";
import { createAaveV3Indexer } from "../../src/adapters/protocols/aave-v3/createAaveV3Indexer.js";
import { readAaveUserReservesWithHelpers } from "../../src/adapters/protocols/aave-v3/readAaveUserReservesWithHelpers.js";
import { createSync } from "../../src/app/sync/createSync.js";
import { parseConfig } from "../../src/config/loadConfig.js";
import { parseSnapshot } from "../../src/core/snapshot/parseSnapshot.js";
import { startDevnet } from "../../src/devnet/startDevnet.js";
import type { BenchSuite } from "../benchSuite.js";
import { touchAaveBorrowers } from "../touchAaveBorrowers.js";

const SIZES = [1_000, 10_000] as const;
const TOUCHED = 100;

export const indexerSuite: BenchSuite = {
  name: "indexer",
  description:
    "devnet: cold index rate (1k, 10k positions), new block touching 100 accounts → updated snapshot",
  async run(context, emit) {
    for (const positions of SIZES) {
      context.log(`indexer: starting a devnet with ${positions} positions`);
      const devnet = await startDevnet({ profile: "spot", seed: context.seed, positions });
      try {
        const config = parseConfig(devnet.config);
        const started = performance.now();
        // Retries and stale markets are worth seeing next to the figures.
        const sync = await createSync(config, {
          log: (line) => /stale|retry/.test(line) && context.log(line),
        });
        await sync.start();
        const snapshot = parseSnapshot(sync.snapshot());
        const coldMs = performance.now() - started;
        const row = { suite: "indexer", positions } as const;
        emit({ ...row, measure: "cold index (logs, reads, snapshot)", value: coldMs, unit: "ms", runs: 1 });
        emit({
          ...row,
          measure: "cold index rate",
          value: snapshot.positions.length / (coldMs / 1000),
          unit: "per s",
          runs: 1,
        });

        // The two Aave readers on the same V3.6 accounts: multicall balanceOf vs UiPoolDataProvider via contract-helpers.
        {
          const market = devnet.deployment.aave["aave-v3.6"]!;
          const marketConfig = config.markets.find((m) => m.protocol === "aave-v3" && m.pool === market.pool);
          const chain = config.chains[0]!;
          const client = createChainClient(chain, { rank: false });
          const accounts = [
            ...new Set(
              devnet.positions
                .filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.6")
                .map((p) => p.account),
            ),
          ];
          if (marketConfig?.protocol === "aave-v3") {
            const indexer = createAaveV3Indexer({
              client,
              config: marketConfig,
              assets: new AssetRegistry(config.assets),
              batchBytes: chain.multicallBatchBytes,
              multicallAddress: devnet.deployment.multicall3,
            });
            const block = await client.getBlockNumber();
            await indexer.readMarkets(block);
            const t0 = performance.now();
            await indexer.readPositions(accounts, block);
            const multicallMs = performance.now() - t0;
            const reserves = Object.values(market.reserves).map((r) => r.underlying);
            const t1 = performance.now();
            await readAaveUserReservesWithHelpers({
              rpcUrl: devnet.rpcUrl,
              chainId: devnet.chainId,
              uiPoolDataProvider: market.uiPoolDataProvider,
              addressesProvider: market.addressesProvider,
              accounts,
              reserves,
            });
            const helperMs = performance.now() - t1;
            emit({
              ...row,
              measure: `aave-v3.6 ${accounts.length} accounts: own reader`,
              value: multicallMs,
              unit: "ms",
              runs: 1,
            });
            emit({
              ...row,
              measure: `aave-v3.6 ${accounts.length} accounts: UiPoolDataProvider (contract-helpers)`,
              value: helperMs,
              unit: "ms",
              runs: 1,
              note: "16 calls in flight",
            });
          }
        }

        // One block in which 100 Aave USDC borrowers each borrow one more unit.
        await touchAaveBorrowers(devnet, TOUCHED);
        const t0 = performance.now();
        const [step] = await sync.step();
        parseSnapshot(sync.snapshot());
        const blockMs = performance.now() - t0;
        emit({
          ...row,
          measure: `new block touching ${TOUCHED} accounts → snapshot`,
          value: blockMs,
          unit: "ms",
          runs: 1,
          note: `${step?.newBlocks ?? 0} block, ${step?.touched ?? 0} positions re-read${step?.stale.length ? `, stale: ${step.stale.join(" ")}` : ""}`,
        });
      } finally {
        await devnet.stop();
      }
    }
  },
};
