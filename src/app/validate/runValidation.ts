/**
 * Use case: the model's prediction against the cascade the real contracts produce. On a devnet:
 * move a price on chain, index the chain into a snapshot with the real indexers, simulate that
 * snapshot with no further shock, run the devnet's liquidator until nothing is liquidatable, and
 * compare the two reports round by round.
 */

import { parseConfig } from "../../config/loadConfig.js";
import { compileAssets } from "../../core/book/compileAssets.js";
import { compileBook } from "../../core/book/compileBook.js";
import { simulate } from "../../core/propagator/simulate.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import { parseSnapshot } from "../../core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { type CascadeComparison, compareCascades } from "../../core/validation/compareCascades.js";
import { type CloseRuleCounts, countCloseRules } from "../../core/validation/countCloseRules.js";
import { shockMainnet, shockPrices } from "../../devnet/crash.js";
import type { DevnetProfile } from "../../devnet/devnetProfile.js";
import { runLiquidator } from "../../devnet/liquidator/runLiquidator.js";
import { targetFromDeploymentFile } from "../../devnet/liquidator/targetFromDeploymentFile.js";
import { type Devnet, startDevnet } from "../../devnet/startDevnet.js";
import { createSync } from "../sync/createSync.js";

export interface RunValidationOptions {
  /** `{ WETH: -0.25 }`: the on-chain price move (a sale on each asset's pair). */
  readonly shock: Readonly<Record<string, number>>;
  /**
   * The devnet's market when this call starts its own devnet (default spot). On mainnet the shock
   * is a swap to the target price in each asset's Uniswap V3 pool followed by the keeper.
   */
  readonly profile?: DevnetProfile;
  /** Seed and size of the book when this call starts its own devnet. */
  readonly seed?: number;
  readonly positions?: number;
  /** Share of Aave positions seeded as v3.3 close-rule edge cases (default 0). */
  readonly edgeCases?: number;
  /** A running devnet to use (its state is changed; the caller reverts or stops it). */
  readonly devnet?: Devnet;
  readonly maxRounds?: number;
  /**
   * Gas of one liquidation in USD (default 0), on both sides: every market of the snapshot gets it
   * as `liquidationGasUsd` and the liquidator skips what does not pay after it.
   */
  readonly gasUsd?: number;
  readonly log?: (line: string) => void;
}

export interface ValidationResult {
  /** The devnet's profile (`spot` or `mainnet`). */
  readonly profile: string;
  readonly shock: Readonly<Record<string, number>>;
  readonly seed: number;
  readonly positions: number;
  /** The indexers' snapshot of the chain after the price move. */
  readonly snapshot: Snapshot;
  readonly predicted: CascadeReport;
  readonly realized: CascadeReport;
  readonly comparison: CascadeComparison;
  /** Which v3.3 rules decided amounts, on each side. */
  readonly closeRules: { readonly predicted: CloseRuleCounts; readonly realized: CloseRuleCounts };
  /** Liquidations the chain refused (reverted): each one is a disagreement too. */
  readonly reverted: ReadonlyArray<{ round: number; market: string; account: string }>;
  readonly timingsMs: {
    readonly devnet: number;
    readonly index: number;
    readonly simulate: number;
    readonly liquidate: number;
  };
}

/**
 * Runs one prediction-vs-chain comparison. Starts (and stops) a devnet unless one is given.
 * @throws UserInputError for a bad shock (unknown asset, the quote asset, a fraction out of range).
 */
export async function runValidation(options: RunValidationOptions): Promise<ValidationResult> {
  const log = options.log ?? (() => {});
  let started = Date.now();
  const devnet =
    options.devnet ??
    (await startDevnet({
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.positions === undefined ? {} : { positions: options.positions }),
      ...(options.edgeCases === undefined ? {} : { edgeCases: options.edgeCases }),
    }));
  try {
    const devnetMs = Date.now() - started;
    const client = devnet.clients.public;
    const target = await targetFromDeploymentFile(client, devnet.config, devnet.rpcUrl);
    const initialPrices =
      target.mainnet === undefined
        ? await shockPrices({ client, target, shock: options.shock })
        : await shockMainnet(client, target, target.mainnet, options.shock);
    log(`shock applied on chain: ${JSON.stringify(options.shock)}`);

    started = Date.now();
    const sync = await createSync(parseConfig(devnet.config), {});
    await sync.start();
    const indexed = sync.snapshot();
    const gasUsd = options.gasUsd ?? 0;
    const snapshot = parseSnapshot(
      gasUsd === 0
        ? indexed
        : {
            ...indexed,
            markets: indexed.markets.map((market) => ({ ...market, liquidationGasUsd: gasUsd })),
          },
    );
    const indexMs = Date.now() - started;
    log(`indexed ${snapshot.positions.length} positions in ${indexMs} ms`);

    started = Date.now();
    const maxRounds = options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds };
    const predicted = simulate(compileBook(snapshot), {}, maxRounds);
    const simulateMs = Date.now() - started;

    started = Date.now();
    const run = await runLiquidator({
      client,
      target,
      shock: options.shock,
      initialPrices,
      liquidationGasUsd: gasUsd,
      // The book's trade order, from the snapshot both sides start from (used on the mainnet profile).
      tradeOrder: compileAssets(snapshot),
      ...maxRounds,
    });
    const liquidateMs = Date.now() - started;
    log(`liquidator: ${run.report.totals.liquidations} liquidations in ${run.report.rounds.length} rounds`);

    return {
      profile: devnet.config.devnet.profile,
      shock: options.shock,
      seed: devnet.config.devnet.seed,
      positions: devnet.positions.length,
      snapshot,
      predicted,
      realized: run.report,
      comparison: compareCascades(predicted, run.report, {
        decimals: Object.fromEntries(
          snapshot.assets.flatMap((a) => (a.decimals === undefined ? [] : [[a.id, a.decimals]])),
        ),
      }),
      closeRules: {
        predicted: countCloseRules(snapshot, predicted),
        realized: countCloseRules(snapshot, run.report),
      },
      reverted: run.failed.map((f) => ({
        round: f.round,
        market: f.market,
        account: f.account.toLowerCase(),
      })),
      timingsMs: { devnet: devnetMs, index: indexMs, simulate: simulateMs, liquidate: liquidateMs },
    };
  } finally {
    if (options.devnet === undefined) await devnet.stop();
  }
}
