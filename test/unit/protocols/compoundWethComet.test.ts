/**
 * A WETH-base Comet (cWETHv3) at the ABI level: its prices are in ETH (the base feed is a
 * constant 1 ETH per ETH, wstETH's feed answers wstETH/ETH), and its reserves are above target
 * so `buyCollateral` is closed. Read as USD, wstETH would be worth $1.18; read relative to the
 * base, it is worth 1.18 WETH at WETH's USD price.
 */
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { compoundV3CometAbi } from "../../../abis/compoundV3Comet.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { toOracleSpecs } from "../../../src/adapters/oracles/toOracleSpecs.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import { createCompoundV3Indexer } from "../../../src/adapters/protocols/compound-v3/createCompoundV3Indexer.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { compoundMarketConfigSchema } from "../../../src/config/schema/markets.js";
import { REVERT, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const COMET: Address = "0xA17581A9E3356d9A858b789D68B4d866e593aE94";
const WETH: Address = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const WSTETH: Address = "0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0";
const BASE_FEED: Address = "0x0000000000000000000000000000000000000ba5";
const WSTETH_FEED: Address = "0x0000000000000000000000000000000000000057";
const e18 = 10n ** 18n;

const rpc = scriptedRpc({
  [COMET]: {
    abi: compoundV3CometAbi,
    answer: (name: string, args: readonly unknown[]) => {
      switch (name) {
        case "baseToken":
          return WETH;
        case "baseTokenPriceFeed":
          return BASE_FEED;
        case "decimals":
          return 18;
        case "numAssets":
          return 1;
        case "getAssetInfo":
          return {
            offset: 0,
            asset: WSTETH,
            priceFeed: WSTETH_FEED,
            scale: e18,
            borrowCollateralFactor: (90n * e18) / 100n,
            liquidateCollateralFactor: (93n * e18) / 100n,
            liquidationFactor: (97n * e18) / 100n,
            supplyCap: 10n ** 24n,
          };
        case "getPrice":
          return (args[0] as string).toLowerCase() === BASE_FEED.toLowerCase() ? 100_000_000n : 118_000_000n;
        // Reserves above target: buyCollateral is closed.
        case "getReserves":
          return 6_000n * e18;
        case "targetReserves":
          return 5_000n * e18;
        default:
          return REVERT;
      }
    },
  },
});

describe("compound-v3 with a non-USD base (ABI level)", () => {
  const assets = new AssetRegistry(
    [
      { id: "WETH", tokens: { "1": WETH } },
      { id: "wstETH", tokens: { "1": WSTETH } },
    ].map((a) => assetSchema.parse(a)),
  );
  const indexer = createCompoundV3Indexer({
    client: scriptedClient(rpc),
    config: compoundMarketConfigSchema.parse({ protocol: "compound-v3", chain: 1, comet: COMET }),
    assets,
    batchBytes: 4096,
    multicallAddress: MULTICALL3_ADDRESS,
  });

  it("prices collateral relative to the base and says the comet keeps what it absorbs", async () => {
    const reading = await indexer.readMarkets(100n);
    const marketId = `compound-v3:1:${COMET.toLowerCase()}`;
    expect(reading.sellsAbsorbed?.get(marketId)).toBe(false);
    // No USD price is taken from a comet whose base feed is the constant 1.
    expect(reading.prices).toEqual([
      { asset: "wstETH", kind: "relative", ratio: 1.18, quoteAsset: "WETH", source: marketId },
    ]);
    const market: Record<string, number> = { WETH: 3000, wstETH: 3550 };
    const { oracles, reportedUsdOf } = toOracleSpecs(reading.oracles ?? [], (asset) => market[asset]);
    const byAsset = reading.marketOracles?.get(marketId);
    expect(byAsset?.kind).toBe("per-asset");
    const ids = byAsset?.kind === "per-asset" ? byAsset.byAsset : {};
    // The base is judged at WETH's market price, not at $1.
    expect(oracles[ids.WETH!]).toEqual({ kind: "market", asset: "WETH" });
    expect(reportedUsdOf(ids.WETH!)).toBe(3000);
    // wstETH: 1.18 WETH, moving with wstETH's own market.
    expect(oracles[ids.wstETH!]).toMatchObject({ kind: "rate", oracle: "wstETH" });
    expect(reportedUsdOf(ids.wstETH!)).toBeCloseTo(1.18 * 3000, 9);
  });
});
