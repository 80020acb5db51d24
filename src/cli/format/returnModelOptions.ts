/**
 * The options shared by the Monte Carlo commands (`var`, `recommend`): the return model
 * (`--config`'s `risk.var` section, then `--vol`, `--corr`, `--student-t` on top), the horizon,
 * the paths, the seed and the threads.
 */
import type { Command } from "commander";
import { returnModelSpecOf } from "../../app/risk/returnModelSpecOf.js";
import { loadConfig } from "../../config/loadConfig.js";
import { DEFAULT_RISK_SECTION } from "../../config/schema/risk.js";
import { UserInputError } from "../../core/errors.js";
import type { ReturnModelSpec } from "../../core/risk/buildReturnModel.js";
import { parseHorizonHours } from "../../core/risk/parseHorizon.js";
import { collect } from "./commandIo.js";
import { parseIntegerOption, parseNumberOption } from "./parseNumberOption.js";

export interface ReturnModelOptions {
  config?: string;
  horizon?: string;
  paths?: string;
  seed?: string;
  vol?: string[];
  corr?: string[];
  defaultVol?: string;
  defaultCorr?: string;
  studentT?: string;
  threads?: string;
}

export interface MonteCarloSettings {
  readonly spec: ReturnModelSpec;
  readonly horizonHours: number;
  readonly pathCount: number;
  readonly seed: number;
  /** Undefined: the config's, else the machine's parallelism. */
  readonly threads: number | undefined;
}

export function addReturnModelOptions(command: Command, defaultPaths: string): Command {
  return command
    .option(
      "--config <file>",
      "monitor config whose risk.var section gives the model (flags below override it)",
    )
    .option(
      "--horizon <duration>",
      "horizon of the price moves: 24h, 7d, 90m … (default 24h or the config's)",
    )
    .option("--paths <n>", `Monte Carlo paths (default ${defaultPaths} or the config's)`)
    .option("--seed <n>", "PRNG seed; the same seed gives the same paths on any machine (default 1)")
    .option("--vol <ASSET=VOL,...>", "annualised volatility, e.g. WETH=0.65,WBTC=0.5 (repeatable)", collect)
    .option("--corr <A/B=RHO,...>", "correlation of two assets, e.g. WETH/WBTC=0.8 (repeatable)", collect)
    .option("--default-vol <vol>", "volatility of an asset given none (default 0.8)")
    .option("--default-corr <rho>", "correlation of two volatile assets given none (default 0.7)")
    .option("--student-t <df>", "fat tails: multivariate Student-t with df degrees of freedom (> 2)")
    .option("--threads <n>", "worker threads for the paths (default: the machine's cores)");
}

function pairs(texts: readonly string[] | undefined, flag: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const part of (texts ?? []).flatMap((t) => t.split(",")).map((p) => p.trim())) {
    if (part === "") continue;
    const eq = part.lastIndexOf("=");
    if (eq <= 0) throw new UserInputError(`${flag} "${part}": expected KEY=NUMBER`);
    out.push([
      part.slice(0, eq).trim(),
      parseNumberOption(`${flag} ${part.slice(0, eq)}`, part.slice(eq + 1)),
    ]);
  }
  return out;
}

export async function monteCarloSettings(
  options: ReturnModelOptions,
  defaultPaths: number,
): Promise<MonteCarloSettings> {
  const section =
    options.config === undefined ? DEFAULT_RISK_SECTION.var : (await loadConfig(options.config)).risk.var;
  const base = returnModelSpecOf(section);
  const volatilities = { ...base.volatilities, ...Object.fromEntries(pairs(options.vol, "--vol")) };
  const correlations = [...(base.correlations ?? [])];
  for (const [key, correlation] of pairs(options.corr, "--corr")) {
    const [a, b, ...rest] = key.split("/");
    if (a === undefined || b === undefined || rest.length > 0 || a === "" || b === "")
      throw new UserInputError(`--corr ${key}: expected two assets as A/B, e.g. WETH/WBTC=0.8`);
    correlations.push({ assets: [a, b], correlation });
  }
  const df = options.studentT === undefined ? undefined : parseNumberOption("--student-t", options.studentT);
  const spec: ReturnModelSpec = {
    ...base,
    volatilities,
    correlations,
    ...(options.defaultVol === undefined
      ? {}
      : { defaultVolatility: parseNumberOption("--default-vol", options.defaultVol) }),
    ...(options.defaultCorr === undefined
      ? {}
      : { defaultCorrelation: parseNumberOption("--default-corr", options.defaultCorr) }),
    ...(df === undefined ? {} : { tails: { kind: "student-t" as const, degreesOfFreedom: df } }),
    correlationSource:
      options.corr === undefined && options.config !== undefined
        ? "risk.var.correlations"
        : "--corr and risk.var.correlations",
  };
  return {
    spec,
    horizonHours:
      options.horizon === undefined
        ? options.config === undefined
          ? 24
          : section.horizon
        : parseHorizonHours(options.horizon),
    pathCount:
      options.paths === undefined
        ? options.config === undefined
          ? defaultPaths
          : section.paths
        : parseIntegerOption("--paths", options.paths, 1),
    seed: options.seed === undefined ? section.seed : parseIntegerOption("--seed", options.seed, 0),
    threads:
      options.threads === undefined ? section.threads : parseIntegerOption("--threads", options.threads, 1),
  };
}
