/** Use case: the collateral graph of a validated snapshot. */
import { buildCollateralGraph } from "../core/graph/buildCollateralGraph.js";
import type { CollateralGraph } from "../core/graph/collateralGraph.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

export interface BuildGraphOfSnapshotInput {
  readonly snapshot: Snapshot;
  /** Width of a liquidation-price level, as a fraction of the price (default 0.01). */
  readonly bucketStep?: number;
}

export function buildGraphOfSnapshot(input: BuildGraphOfSnapshotInput): CollateralGraph {
  return buildCollateralGraph(
    input.snapshot,
    input.bucketStep === undefined ? {} : { bucketStep: input.bucketStep },
  );
}
