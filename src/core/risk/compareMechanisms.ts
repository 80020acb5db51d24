/**
 * The same book and shock under each liquidation mechanism (`liquidationMechanisms.ts`), side
 * by side: liquidations, debt repaid, collateral sold, price impact (the report's
 * amplification and the final move of each shocked asset), bad debt, stranded debt, rounds.
 */
import { compileBook } from "../book/compileBook.js";
import { simulate } from "../propagator/simulate.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import {
  type AaveV4Engine,
  MECHANISM_DESCRIPTIONS,
  MECHANISMS,
  type Mechanism,
  snapshotUnderMechanism,
} from "./liquidationMechanisms.js";
import { strandedDebtUsdOf } from "./pathMeasures.js";

export interface MechanismOutcome {
  readonly mechanism: Mechanism;
  readonly description: string;
  readonly liquidations: number;
  readonly positionsLiquidated: number;
  readonly repaidUsd: number;
  /** Collateral sold into the pools, USD at each round's prices. */
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  readonly strandedDebtUsd: number;
  /** Rounds with liquidations. */
  readonly rounds: number;
  readonly converged: boolean;
  /** Per shocked asset that fell: total fall over the shock's own fall (1 = no cascade impact). */
  readonly amplification: Readonly<Record<string, number>>;
  /** Per shocked asset: final price over initial, minus 1. */
  readonly finalPriceChange: Readonly<Record<string, number>>;
}

export interface MechanismComparison {
  readonly shock: Readonly<Record<string, number>>;
  readonly mechanisms: readonly MechanismOutcome[];
}

/** @throws UserInputError for a bad shock or maxRounds. */
export function compareMechanisms(
  snapshot: Snapshot,
  shock: Readonly<Record<string, number>>,
  options: {
    readonly maxRounds?: number;
    readonly mechanisms?: readonly Mechanism[];
    /** What markets that are not V4 get under `aave-v4`, field by field (default: the first V4 spoke's). */
    readonly v4Engine?: Partial<AaveV4Engine>;
  } = {},
): MechanismComparison {
  const mechanisms = (options.mechanisms ?? MECHANISMS).map((mechanism): MechanismOutcome => {
    const book = compileBook(snapshotUnderMechanism(snapshot, mechanism, options.v4Engine));
    const report = simulate(
      book,
      shock,
      options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds },
    );
    const finalPriceChange: Record<string, number> = {};
    for (const asset of Object.keys(shock))
      finalPriceChange[asset] = report.finalPrices[asset]! / report.initialPrices[asset]! - 1;
    return {
      mechanism,
      description: MECHANISM_DESCRIPTIONS[mechanism],
      liquidations: report.totals.liquidations,
      positionsLiquidated: report.totals.positionsLiquidated,
      repaidUsd: report.totals.repaidUsd,
      soldUsd: report.rounds.reduce((sum, r) => sum + r.soldUsd, 0),
      badDebtUsd: report.totals.badDebtUsd,
      strandedDebtUsd: strandedDebtUsdOf(report.totals),
      rounds: report.rounds.filter((r) => r.liquidations > 0).length,
      converged: report.converged,
      amplification: report.amplification,
      finalPriceChange,
    };
  });
  return { shock: { ...shock }, mechanisms };
}
