/**
 * Use case: what model version 1's assumptions (spot oracles, USD-quoted pools, no gas) predict for
 * the chain a validation ran against, and how far that is from what the chain did.
 */
import { compileBook } from "../../core/book/compileBook.js";
import { simulate } from "../../core/propagator/simulate.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import { parseSnapshot } from "../../core/snapshot/parseSnapshot.js";
import { restateAsModelV1 } from "../../core/validation/restateAsModelV1.js";
import {
  type CascadeDifference,
  summarizeCascadeDifference,
} from "../../core/validation/summarizeCascadeDifference.js";
import type { ValidationResult } from "./runValidation.js";

export interface ModelV1Measurement {
  /** Model v1's prediction from the indexers' snapshot restated under its assumptions. */
  readonly predicted: CascadeReport;
  /** That prediction against the chain's cascade. */
  readonly difference: CascadeDifference;
}

/**
 * Restates the validation's snapshot under version 1's assumptions (`restateAsModelV1`, checked
 * again by `parseSnapshot`), simulates it with no further shock, and sets it beside the realized
 * cascade.
 */
export function measureModelV1(
  validation: Pick<ValidationResult, "snapshot" | "realized">,
  options: { readonly maxRounds?: number } = {},
): ModelV1Measurement {
  const snapshot = parseSnapshot(restateAsModelV1(validation.snapshot));
  const predicted = simulate(
    compileBook(snapshot),
    {},
    options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds },
  );
  return { predicted, difference: summarizeCascadeDifference(predicted, validation.realized) };
}
