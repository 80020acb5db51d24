import { type Address, getAddress, keccak256, stringToHex, zeroAddress } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { deployContract } from "../deploy/deployContract.js";
import type { DevnetAssetSpec } from "../devnetAssets.js";
import type { MorphoMarketSpec } from "../morpho/deployMorphoBlue.js";
import type { DevnetAaveMarketName } from "../seed/positionPlan.js";
import type { CompiledContracts } from "../solidity/solcTypes.js";
import type { DevnetTokens } from "../tokens/deployTestTokens.js";
import { compiledArtifact } from "./compiledArtifact.js";
import { feedAnswerOf } from "./feedKeeper.js";

/** The devnet's feed keeper (impersonated on anvil; nobody holds its key). */
export const DEVNET_FEED_KEEPER: Address = getAddress(
  `0x${keccak256(stringToHex("cascade-monitor devnet feed keeper")).slice(-40)}`,
);

/** One deviation-threshold feed: which asset's USD price it answers and its threshold. */
export interface DeviationFeedSpec {
  readonly asset: DevnetAssetId;
  readonly description: string;
  /** 50 = 0.5%. */
  readonly deviationThresholdBps: number;
}

/** ETH/USD and BTC/USD at mainnet's 0.5%, USDC/USD at 0.25%. */
export const MAINNET_DEVIATION_FEEDS: readonly DeviationFeedSpec[] = [
  { asset: "WETH", description: "ETH / USD", deviationThresholdBps: 50 },
  { asset: "WBTC", description: "BTC / USD", deviationThresholdBps: 50 },
  { asset: "USDC", description: "USDC / USD", deviationThresholdBps: 25 },
];

/** The LST priced by an exchange rate over its base asset's feed (wstETH: stETH per wstETH × ETH/USD). */
export interface ExchangeRateSpec {
  readonly asset: DevnetAssetId;
  readonly base: DevnetAssetId;
  readonly rate: number;
  /** The CAPO-style cap's growth, a fraction of the starting ratio per year. */
  readonly maxYearlyGrowth: number;
}

export const MAINNET_EXCHANGE_RATE: ExchangeRateSpec = {
  asset: "wstETH",
  base: "WETH",
  rate: 1.2,
  maxYearlyGrowth: 0.1,
};

export interface MainnetOracles {
  readonly keeper: Address;
  /** Deviation feed per asset it answers. */
  readonly feeds: Record<
    DevnetAssetId,
    { address: Address; deviationThresholdBps: number; description: string }
  >;
  /** The LST's exchange rate (ERC-4626 `convertToAssets`), the adapter's ratio provider and Morpho's base vault. */
  readonly lstRate: Address;
  readonly exchangeRateAdapter: Address;
  /** A constant $1 (the quote asset's source in Aave V3.0). */
  readonly fixedQuote: Address;
  /** The price source of each asset in each Aave market (`getSourceOfAsset`). */
  readonly aaveSources: Record<DevnetAaveMarketName, Record<DevnetAssetId, Address>>;
}

const SECONDS_PER_YEAR = 365n * 24n * 3600n;
const WAD = 10n ** 18n;

/**
 * Deploys oracles as mainnet has them: a `DeviationFeed` per feed spec (started at the asset's
 * price, pushed only by `DEVNET_FEED_KEEPER`), the LST's `LstExchangeRate` and an
 * `ExchangeRateAdapter` over the base asset's feed, and a `ConstantPriceSource` at $1. Aave V3.0 prices
 * the quote asset with the fixed $1, Aave V3.6 with its feed; every other asset reads its feed
 * (the LST its adapter) in both.
 */
export async function deployMainnetOracles(
  clients: DevnetClients,
  contracts: CompiledContracts,
  assets: readonly DevnetAssetSpec[],
  quote: DevnetAssetId,
  feeds: readonly DeviationFeedSpec[] = MAINNET_DEVIATION_FEEDS,
  exchangeRate: ExchangeRateSpec = MAINNET_EXCHANGE_RATE,
): Promise<MainnetOracles> {
  const priceOf = (id: DevnetAssetId): number => {
    const asset = assets.find((a) => a.id === id);
    if (asset === undefined) throw new FatalError(`devnet: oracle for unknown asset ${id}`);
    return asset.priceUsd;
  };
  const deployed: MainnetOracles["feeds"] = {};
  for (const feed of feeds) {
    const address = await deployContract(
      clients,
      compiledArtifact(contracts, "DeviationFeed"),
      [
        DEVNET_FEED_KEEPER,
        BigInt(feed.deviationThresholdBps),
        feedAnswerOf(priceOf(feed.asset)),
        feed.description,
      ],
      `${feed.description} feed`,
    );
    deployed[feed.asset] = {
      address,
      deviationThresholdBps: feed.deviationThresholdBps,
      description: feed.description,
    };
  }
  const baseFeed = deployed[exchangeRate.base];
  if (baseFeed === undefined)
    throw new FatalError(
      `devnet: ${exchangeRate.asset}'s exchange rate needs a feed for ${exchangeRate.base}`,
    );
  const rateWad = BigInt(Math.round(exchangeRate.rate * 1e6)) * 10n ** 12n;
  const lstRate = await deployContract(
    clients,
    compiledArtifact(contracts, "LstExchangeRate"),
    [rateWad],
    `${exchangeRate.asset} exchange rate`,
  );
  const growthPerSecond =
    (rateWad * BigInt(Math.round(exchangeRate.maxYearlyGrowth * 1e6))) / 10n ** 6n / SECONDS_PER_YEAR;
  const exchangeRateAdapter = await deployContract(
    clients,
    compiledArtifact(contracts, "ExchangeRateAdapter"),
    [
      baseFeed.address,
      lstRate,
      18,
      growthPerSecond,
      `${exchangeRate.asset} / ${exchangeRate.base} exchange rate x ${baseFeed.description}`,
    ],
    `${exchangeRate.asset} exchange-rate adapter`,
  );
  const fixedQuote = await deployContract(
    clients,
    compiledArtifact(contracts, "ConstantPriceSource"),
    [feedAnswerOf(1)],
    `${quote} fixed $1`,
  );
  const sourceOf = (asset: DevnetAssetId, market: DevnetAaveMarketName): Address => {
    if (asset === exchangeRate.asset) return exchangeRateAdapter;
    if (asset === quote && market === "aave-v3.0") return fixedQuote;
    const feed = deployed[asset];
    if (feed === undefined) throw new FatalError(`devnet: no feed prices ${asset}`);
    return feed.address;
  };
  const markets: DevnetAaveMarketName[] = ["aave-v3.0", "aave-v3.6"];
  const aaveSources = Object.fromEntries(
    markets.map((market) => [market, Object.fromEntries(assets.map((a) => [a.id, sourceOf(a.id, market)]))]),
  ) as MainnetOracles["aaveSources"];
  return {
    keeper: DEVNET_FEED_KEEPER,
    feeds: deployed,
    lstRate,
    exchangeRateAdapter,
    fixedQuote,
    aaveSources,
  };
}

/**
 * Deploys a Morpho market's `ComposedMorphoOracle` the way Morpho's deployments compose
 * `MorphoChainlinkOracleV2`: the collateral's feed over the loan's; the LST as its exchange rate
 * (the base vault, sample 1e18) times its base asset's feed, or, against that base asset itself,
 * as the exchange rate alone (no feeds: an ETH crash does not move it).
 */
export async function deployComposedMorphoOracle(
  clients: DevnetClients,
  contracts: CompiledContracts,
  tokens: DevnetTokens,
  oracles: MainnetOracles,
  exchangeRate: ExchangeRateSpec,
  spec: MorphoMarketSpec,
): Promise<Address> {
  const collateral = tokens[spec.collateral];
  const loan = tokens[spec.loan];
  if (collateral === undefined || loan === undefined)
    throw new FatalError(`devnet: Morpho market ${spec.collateral}/${spec.loan} needs both tokens`);
  const feed = (asset: DevnetAssetId): Address => {
    const f = oracles.feeds[asset];
    if (f === undefined) throw new FatalError(`devnet: no feed prices ${asset}`);
    return f.address;
  };
  const isLst = spec.collateral === exchangeRate.asset;
  const againstBase = isLst && spec.loan === exchangeRate.base;
  const baseVault = isLst ? oracles.lstRate : zeroAddress;
  const baseSample = isLst ? WAD : 1n;
  const baseFeed1 = againstBase ? zeroAddress : feed(isLst ? exchangeRate.base : spec.collateral);
  const quoteFeed1 = againstBase ? zeroAddress : feed(spec.loan);
  return deployContract(
    clients,
    compiledArtifact(contracts, "ComposedMorphoOracle"),
    [
      baseVault,
      baseSample,
      baseFeed1,
      zeroAddress,
      collateral.decimals,
      zeroAddress,
      1n,
      quoteFeed1,
      zeroAddress,
      loan.decimals,
    ],
    `Morpho oracle ${spec.collateral}/${spec.loan}`,
  );
}
