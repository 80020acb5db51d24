import type { AlertSeverity } from "./alertRule.js";
import type { AlertLabels } from "./fingerprint.js";

/**
 * How an observed value is compared with its threshold: `above` fires when value > threshold,
 * `atLeast` when value >= threshold, `below` when value < threshold.
 */
export type ThresholdDirection = "above" | "atLeast" | "below";

/** One rule applied to one instance (a scenario, an asset, a position) in one evaluation. */
export interface AlertObservation {
  /** Always carries `alertname` and `severity`, plus the instance labels (scenario, asset, market, account). */
  readonly labels: AlertLabels;
  readonly severity: AlertSeverity;
  readonly value: number;
  readonly threshold: number;
  readonly direction: ThresholdDirection;
  readonly hysteresis: number;
  /** One readable line with the numbers that matter. */
  readonly summary: string;
}

/** True when the value breaches the threshold (the condition to start firing). */
export function breaches(o: Pick<AlertObservation, "value" | "threshold" | "direction">): boolean {
  switch (o.direction) {
    case "above":
      return o.value > o.threshold;
    case "atLeast":
      return o.value >= o.threshold;
    case "below":
      return o.value < o.threshold;
  }
}

/**
 * True when a firing alert may resolve: the value is back past the threshold by the hysteresis
 * margin (relative to the threshold's magnitude), not merely back across it.
 */
export function clearsWithHysteresis(
  o: Pick<AlertObservation, "value" | "threshold" | "direction" | "hysteresis">,
): boolean {
  const margin = Math.abs(o.threshold) * o.hysteresis;
  switch (o.direction) {
    case "above":
      return o.value <= o.threshold - margin;
    case "atLeast":
      return o.value < o.threshold - margin;
    case "below":
      return o.value >= o.threshold + margin;
  }
}
