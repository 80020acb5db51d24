/**
 * The snapshot against totals read independently on the devnet: per Aave reserve, the positions'
 * debt sums to the variable-debt token's `totalSupply`; per Morpho market, to
 * `market().totalBorrowAssets`; every oracle the snapshot names for a reserve reports, at snapshot
 * prices, what the Aave oracle contract answers (`getAssetsPrices`), and every Morpho market's
 * collateral/loan oracle ratio is the market oracle's `price()`.
 */
import { formatUnits, parseAbi } from "viem";
import { describe, expect, it } from "vitest";
import { createSync } from "../../../src/app/sync/createSync.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { OracleData, SnapshotData } from "../../../src/core/snapshot/schema.js";
import { useDevnet } from "../../helpers/devnet.js";

const erc20 = parseAbi(["function totalSupply() view returns (uint256)"]);
const oracleAbi = parseAbi(["function getAssetsPrices(address[] assets) view returns (uint256[])"]);
const morphoAbi = parseAbi([
  "function market(bytes32 id) view returns (uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets, uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee)",
]);
const morphoOracleAbi = parseAbi(["function price() view returns (uint256)"]);

/** What oracle `id` reports at snapshot prices (cascade-model section 3). */
function report(snapshot: SnapshotData, id: string): number {
  const oracle: OracleData | undefined = snapshot.oracles[id];
  const price = (asset: string) => snapshot.assets.find((a) => a.id === asset)!.priceUsd;
  if (oracle === undefined) return price(id);
  if (oracle.kind === "fixed") return oracle.priceUsd;
  if (oracle.kind === "rate") return oracle.scale * report(snapshot, oracle.oracle);
  return oracle.deviation > 0 && oracle.reportedUsd !== undefined
    ? oracle.reportedUsd
    : oracle.scale * price(oracle.asset);
}

describe("snapshot against chain totals (devnet)", () => {
  const devnet = useDevnet({ profile: "spot", positions: 150 });

  it("sums debt per reserve and per market to the chain's totals, and reports the oracles' answers", async () => {
    const d = devnet();
    const sync = await createSync(parseConfig(d.config), {});
    await sync.start();
    const snapshot = parseSnapshot(sync.snapshot());
    const block = BigInt(snapshot.source.blocks[String(d.chainId)]!);
    const client = d.clients.public;
    let checked = 0;
    for (const aave of Object.values(d.deployment.aave)) {
      if (aave === undefined) continue;
      const marketId = `aave-v3:${d.chainId}:${aave.pool.toLowerCase()}`;
      const market = snapshot.markets.find((m) => m.id === marketId);
      if (market?.protocol !== "aave-v3") throw new Error(`no market ${marketId}`);
      const assets = Object.keys(aave.reserves);
      const answers = await client.readContract({
        address: aave.oracle,
        abi: oracleAbi,
        functionName: "getAssetsPrices",
        args: [assets.map((a) => aave.reserves[a]!.underlying)],
        blockNumber: block,
      });
      for (const [i, asset] of assets.entries()) {
        const reserve = aave.reserves[asset]!;
        const total = await client.readContract({
          address: reserve.variableDebtToken,
          abi: erc20,
          functionName: "totalSupply",
          blockNumber: block,
        });
        const summed = snapshot.positions
          .filter((p) => p.market === marketId)
          .reduce((sum, p) => sum + (p.debt[asset] ?? 0), 0);
        // Each balance rounds once (rayMul) against the scaled total: a few wei per borrower.
        expect(Math.abs(summed - Number(formatUnits(total, reserve.decimals)))).toBeLessThan(
          1e-9 * Math.max(1, summed) + 200 / 10 ** reserve.decimals,
        );
        const oracle = market.reserves[asset]!.oracle;
        expect(oracle, `${marketId} ${asset} names its oracle`).toBeDefined();
        expect(report(snapshot, oracle!)).toBeCloseTo(Number(answers[i]) / 1e8, 9);
        checked++;
      }
    }
    for (const m of d.deployment.morpho?.markets ?? []) {
      const marketId = `morpho-blue:${d.chainId}:${m.id.toLowerCase()}`;
      const market = snapshot.markets.find((x) => x.id === marketId);
      if (market?.protocol !== "morpho-blue") throw new Error(`no market ${marketId}`);
      const [, , totalBorrowAssets] = await client.readContract({
        address: d.deployment.morpho!.morpho,
        abi: morphoAbi,
        functionName: "market",
        args: [m.id],
        blockNumber: block,
      });
      const loanDecimals = d.deployment.tokens[m.loan]!.decimals;
      const summed = snapshot.positions
        .filter((p) => p.market === marketId)
        .reduce((sum, p) => sum + (p.debt[m.loan] ?? 0), 0);
      // The snapshot accrues interest to the block (the contract's totals are as of the last update)
      // and rounds each position's shares up: within a basis point of the stored total.
      const stored = Number(formatUnits(totalBorrowAssets, loanDecimals));
      expect(Math.abs(summed - stored)).toBeLessThanOrEqual(1e-4 * stored + 1e-6);
      const price = await client.readContract({
        address: m.params.oracle,
        abi: morphoOracleAbi,
        functionName: "price",
        blockNumber: block,
      });
      const collateralDecimals = d.deployment.tokens[m.collateral]!.decimals;
      const ratio = (Number(price) / 1e36) * 10 ** (collateralDecimals - loanDecimals);
      const collateralReport = report(snapshot, market.collateralOracle ?? market.collateral);
      const loanReport = report(snapshot, market.loanOracle ?? market.loan);
      expect(collateralReport / loanReport).toBeCloseTo(ratio, 6);
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
    await sync.close();
  });
});
