import { readFile } from "node:fs/promises";
import {
  type Address,
  createPublicClient,
  getAddress,
  http,
  keccak256,
  type PublicClient,
  stringToHex,
} from "viem";
import type { ChainClient } from "../adapters/chain/createChainClient.js";
import { UserInputError } from "../core/errors.js";
import { devnetChain } from "./chain/devnetChain.js";
import type { CascadeTarget, TargetMainnet } from "./liquidator/cascadeTarget.js";
import { moveFollowers, readPairSpots } from "./liquidator/moveFollowers.js";
import { readPrices } from "./liquidator/readPrices.js";
import { type LiquidatorRun, type RunLiquidatorOptions, runLiquidator } from "./liquidator/runLiquidator.js";
import { prepareDevnetActor } from "./liquidator/sendCallsInOneBlock.js";
import { targetFromDeploymentFile } from "./liquidator/targetFromDeploymentFile.js";
import { movePairsByRatios } from "./liquidator/tradeRound.js";
import { crashMainnetPrices } from "./oracles/crashMainnetPrices.js";
import type { QuoteTreeOrder } from "./uniswap/tradeNetAlongQuoteTree.js";

/** The address that makes the shock sale (impersonated on anvil; it mints what it sells). */
export const DEVNET_SHOCK_TRADER: Address = getAddress(
  `0x${keccak256(stringToHex("cascade-monitor devnet shock trader")).slice(-40)}`,
);

/**
 * Parses `ASSET=FRACTION` specs (`WETH=-0.3` = WETH down 30%).
 * @throws UserInputError naming the spec that is malformed or out of range.
 */
export function parseShockSpecs(specs: readonly string[]): Record<string, number> {
  const shock: Record<string, number> = {};
  for (const spec of specs) {
    const match = /^([A-Za-z0-9._-]+)=(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(spec.trim());
    const fraction = match === null ? Number.NaN : Number(match[2]);
    if (match === null || !Number.isFinite(fraction)) {
      throw new UserInputError(`--crash ${spec}: expected ASSET=FRACTION, e.g. WETH=-0.3 for a 30% fall`);
    }
    if (!(fraction > -1) || fraction === 0) {
      throw new UserInputError(`--crash ${spec}: the fraction must be above -1 and not 0 (e.g. -0.3)`);
    }
    shock[match[1]!] = fraction;
  }
  if (Object.keys(shock).length === 0) throw new UserInputError("--crash: give at least one ASSET=FRACTION");
  return shock;
}

export interface RunCrashOptions {
  readonly client: PublicClient;
  readonly target: CascadeTarget;
  /** `{ WETH: -0.3 }`: each asset's pair price moves by that fraction. */
  readonly shock: Readonly<Record<string, number>>;
  readonly maxRounds?: number;
  readonly trader?: Address;
  readonly liquidator?: Address;
  readonly beforeRoundSent?: RunLiquidatorOptions["beforeRoundSent"];
  /** Gas of one liquidation in USD (default 0): what does not pay after it is skipped. */
  readonly liquidationGasUsd?: number;
  /** The book's trade order (required on a mainnet-profile devnet; see `runLiquidator`). */
  readonly tradeOrder?: QuoteTreeOrder;
}

export interface ShockPricesOptions {
  readonly client: PublicClient;
  readonly target: CascadeTarget;
  /** `{ WETH: -0.3 }`: each asset's pair price moves by that fraction. */
  readonly shock: Readonly<Record<string, number>>;
  readonly trader?: Address;
}

/**
 * The shock as one price step (docs/cascade-model.md section 2): one block of sales (or buys) that move
 * each shocked asset's pair price by its fraction, exactly (the amount is solved from the reserves
 * and the 0.3% fee); then each follower's pair is moved by its leader's ratio over the step with
 * a fee-free k-preserving move. A shock on a follower is a sale on its own pair like any other,
 * and multiplies with what it inherits. Returns the oracle prices before the shock.
 * @throws UserInputError naming an unknown asset, the quote asset or a fraction out of range.
 */
export async function shockPrices(options: ShockPricesOptions): Promise<Record<string, number>> {
  const { client, target, shock } = options;
  const trader = options.trader ?? DEVNET_SHOCK_TRADER;
  for (const [asset, fraction] of Object.entries(shock)) {
    const spec = target.assets.find((candidate) => candidate.id === asset);
    if (spec === undefined) {
      throw new UserInputError(
        `--crash ${asset}: unknown asset (assets are ${target.assets.map((a) => a.id).join(", ")})`,
      );
    }
    if (spec.pair === undefined)
      throw new UserInputError(`--crash ${asset}: it has no pair to sell into (the quote asset)`);
    if (!(fraction > -1))
      throw new UserInputError(`--crash ${asset}=${fraction}: the fraction must be above -1`);
  }
  await prepareDevnetActor(target.rpcUrl, trader);
  const initialPrices = await readPrices(client, target);
  const spotsBefore = await readPairSpots(client, target);
  await movePairsByRatios(
    client,
    target,
    trader,
    new Map(Object.entries(shock).map(([asset, s]) => [asset, 1 + s])),
  );
  await moveFollowers(client, target, spotsBefore);
  return initialPrices;
}

/**
 * The shock, then the cascade: the liquidator runs until nothing is liquidatable. Spot: the shock
 * is `shockPrices` on the pairs. Mainnet: `crashMainnetPrices`, one swap per shocked asset to its
 * target price in its Uniswap V3 pool (or its V2 pair, WBTC's), then the keeper's pushes.
 */
export async function runCrash(options: RunCrashOptions): Promise<LiquidatorRun> {
  const { client, target, shock } = options;
  const initialPrices =
    target.mainnet === undefined
      ? await shockPrices({
          client,
          target,
          shock,
          ...(options.trader === undefined ? {} : { trader: options.trader }),
        })
      : await shockMainnet(client, target, target.mainnet, shock);
  return runLiquidator({
    client,
    target,
    shock,
    initialPrices,
    ...(options.liquidationGasUsd === undefined ? {} : { liquidationGasUsd: options.liquidationGasUsd }),
    ...(options.tradeOrder === undefined ? {} : { tradeOrder: options.tradeOrder }),
    ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
    ...(options.liquidator === undefined ? {} : { liquidator: options.liquidator }),
    ...(options.beforeRoundSent === undefined ? {} : { beforeRoundSent: options.beforeRoundSent }),
  });
}

/** `crashMainnetPrices` on the target's pools, tokens and feeds; returns the market prices before it. */
export async function shockMainnet(
  client: PublicClient,
  target: CascadeTarget,
  mainnet: TargetMainnet,
  shock: Readonly<Record<string, number>>,
): Promise<Record<string, number>> {
  for (const asset of Object.keys(shock))
    if (!target.assets.some((candidate) => candidate.id === asset))
      throw new UserInputError(
        `--crash ${asset}: unknown asset (assets are ${target.assets.map((a) => a.id).join(", ")})`,
      );
  const crash = await crashMainnetPrices({
    rpcUrl: target.rpcUrl,
    client: client as ChainClient,
    chainId: target.chainId,
    deployment: {
      uniswapV3: {
        swapRouter: mainnet.swapRouter,
        pools: Object.fromEntries(mainnet.pools.map((pool) => [pool.address, pool])),
      },
      uniswap: {
        pairs: Object.fromEntries(
          target.assets.flatMap((asset) => (asset.pair === undefined ? [] : [[asset.id, asset.pair]])),
        ),
      },
      tokens: Object.fromEntries(
        target.assets.map((asset) => [asset.id, { address: asset.token, decimals: asset.decimals }]),
      ),
      oracles: {
        feeds: Object.fromEntries(mainnet.feeds.map((feed) => [feed.asset, { address: feed.address }])),
      },
    },
    assets: mainnet.config.assets,
    shock,
  });
  return crash.before;
}

export interface CrashFromFileOptions {
  /** Path of the deployment file written by `cascade-monitor devnet --out FILE`. */
  readonly deploymentFile: string;
  /** `ASSET=FRACTION` specs, e.g. `["WETH=-0.3"]`. */
  readonly specs: readonly string[];
  /** RPC URL to use instead of the file's. */
  readonly rpcUrl?: string;
  readonly maxRounds?: number;
  /**
   * How to get the book's trade order of a mainnet-profile file (the caller indexes it: the
   * devnet does not reach into the app's indexers).
   */
  readonly tradeOrderOf?: (
    target: CascadeTarget & { readonly mainnet: TargetMainnet },
  ) => Promise<QuoteTreeOrder>;
}

/**
 * `cascade-monitor devnet --crash …`: reads the deployment file of a running devnet, runs the
 * shock and the liquidator against it, and returns what happened.
 * @throws UserInputError when the file is unreadable or malformed or a spec is wrong.
 */
export async function crashFromDeploymentFile(options: CrashFromFileOptions): Promise<LiquidatorRun> {
  const shock = parseShockSpecs(options.specs);
  let file: unknown;
  try {
    file = JSON.parse(await readFile(options.deploymentFile, "utf8"));
  } catch (error) {
    throw new UserInputError(
      `${options.deploymentFile}: cannot read the deployment file as JSON (write it with devnet --out)`,
      {
        cause: error,
      },
    );
  }
  const firstRpc = (file as { chains?: Array<{ rpc?: string[] }> }).chains?.[0]?.rpc?.[0];
  const rpcUrl = options.rpcUrl ?? firstRpc;
  if (rpcUrl === undefined)
    throw new UserInputError(`${options.deploymentFile}: chains[0].rpc[0] is missing`);
  const client = createPublicClient({
    chain: devnetChain(rpcUrl),
    transport: http(rpcUrl, { retryCount: 0, timeout: 120_000 }),
  });
  try {
    await client.getChainId();
  } catch (error) {
    throw new UserInputError(
      `${options.deploymentFile}: its devnet does not answer; start it with cascade-monitor devnet --out FILE and keep it running`,
      { cause: error },
    );
  }
  const target = await targetFromDeploymentFile(client, file, rpcUrl);
  let tradeOrder: QuoteTreeOrder | undefined;
  if (target.mainnet !== undefined) {
    if (options.tradeOrderOf === undefined)
      throw new UserInputError(
        `${options.deploymentFile}: a mainnet-profile devnet's crash needs the book's trade order (tradeOrderOf)`,
      );
    tradeOrder = await options.tradeOrderOf({ ...target, mainnet: target.mainnet });
  }
  return runCrash({
    client,
    target,
    shock,
    ...(tradeOrder === undefined ? {} : { tradeOrder }),
    ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
  });
}
