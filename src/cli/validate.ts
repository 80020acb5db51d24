/**
 * `cascade-monitor validate`: the model's prediction against the cascade the real contracts
 * produce on a devnet, round by round (exit 1 when they disagree).
 */
import type { Command } from "commander";
import { parseShockSpec } from "../app/parseShockSpec.js";
import { measureModelV1 } from "../app/validate/measureModelV1.js";
import { runValidation } from "../app/validate/runValidation.js";
import { FatalError, UserInputError } from "../core/errors.js";
import { DEFAULT_DEVNET_PROFILE, parseDevnetProfile } from "../devnet/devnetProfile.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatModelV1 } from "./format/formatModelV1.js";
import { formatValidation } from "./format/formatValidation.js";
import { parseIntegerOption, parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";
import { createProgress } from "./progress.js";

interface ValidateOptions {
  profile: string;
  seed: string;
  positions: string;
  shock: string[];
  edgeCases: string;
  maxRounds?: string;
  gasUsd: string;
  assume: string;
  json?: boolean;
}

export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command("validate")
    .description(
      "Start a devnet, move a price on chain, index it, predict the cascade, run the real liquidations, and compare round by round.",
    )
    .option(
      "--profile <name>",
      "the devnet's market: mainnet (Uniswap V3 pools, deviation feeds, exchange-rate and composed oracles, a mainnet-shaped book) or spot (every asset in a V2 pair, oracles its spot price)",
      DEFAULT_DEVNET_PROFILE,
    )
    .option("--seed <s>", "seed of the devnet's book", "1")
    .option("--positions <n>", "positions to seed across Aave V3.0, Aave V3.6 and Morpho Blue", "400")
    .option(
      "--shock <ASSET=FRACTION,...>",
      "on-chain price move, e.g. WETH=-0.25 (repeatable; default WETH=-0.25)",
      collect,
    )
    .option(
      "--edge-cases <share>",
      "share of Aave positions seeded as v3.3 full-close / dust-rule cases (0-1)",
      "0",
    )
    .option("--max-rounds <n>", "stop both sides after this many rounds (default 50)")
    .option(
      "--gas-usd <G>",
      "gas of one liquidation in USD: both the model and the liquidator skip what does not pay after it",
      "0",
    )
    .option(
      "--assume <model>",
      "v2 (the comparison above), or v1: also predict from the same snapshot under model v1's assumptions (oracles at market prices, pools against USD, no gas) and report how far that is from the chain",
      "v2",
    )
    .option("--json", "print the comparison as one JSON document (reports, rounds, differences)")
    .showHelpAfterError(false)
    .action(async (options: ValidateOptions) => {
      const profile = parseDevnetProfile(options.profile);
      const shock = parseShockSpec(options.shock ?? ["WETH=-0.25"]);
      const seed = parseIntegerOption("--seed", options.seed, 0);
      const positions = parseIntegerOption("--positions", options.positions, 1);
      const edgeCases = parseNumberOption("--edge-cases", options.edgeCases);
      if (edgeCases < 0 || edgeCases > 1) {
        throw new UserInputError(`--edge-cases ${options.edgeCases}: expected a share between 0 and 1`);
      }
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const gasUsd = parseNumberOption("--gas-usd", options.gasUsd);
      if (gasUsd < 0)
        throw new UserInputError(`--gas-usd ${options.gasUsd}: expected a USD amount of at least 0`);
      if (options.assume !== "v1" && options.assume !== "v2")
        throw new UserInputError(`--assume ${options.assume}: expected v1 or v2`);
      // Milestones: devnet deployed, seeded, shock applied, chain indexed, liquidator done.
      const progress = createProgress(io.stderr, "validate", 5);
      const result = await runValidation({
        profile,
        seed,
        positions,
        shock,
        edgeCases,
        gasUsd,
        ...(maxRounds === undefined ? {} : { maxRounds }),
        log: (line) => progress.tick(line),
      }).finally(() => progress.done());
      const modelV1 =
        options.assume === "v1"
          ? measureModelV1(result, maxRounds === undefined ? {} : { maxRounds })
          : undefined;
      if (options.json === true) {
        writeJson(io, {
          schema: "cascade-validation/1",
          profile: result.profile,
          seed: result.seed,
          positions: result.positions,
          shock: result.shock,
          gasUsd,
          agree: result.comparison.agree && result.reverted.length === 0,
          comparison: result.comparison,
          closeRules: result.closeRules,
          reverted: result.reverted,
          timingsMs: result.timingsMs,
          predicted: result.predicted,
          realized: result.realized,
          ...(modelV1 === undefined ? {} : { modelV1 }),
        });
      } else {
        writeLines(io, [
          ...formatValidation(result),
          ...(modelV1 === undefined ? [] : formatModelV1(modelV1)),
        ]);
      }
      if (!result.comparison.agree || result.reverted.length > 0) {
        throw new FatalError(
          `validate: the prediction and the chain disagree (${result.comparison.diffs.length} differences, ${result.reverted.length} reverted liquidations)`,
        );
      }
    });
}
