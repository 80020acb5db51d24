/** Every benchmark suite, in the order `npm run bench` runs them. Add a suite with one line. */
import type { BenchSuite } from "../benchSuite.js";
import { bookSuite } from "./book.js";
import { cycleSuite } from "./cycle.js";
import { daemonSuite } from "./daemon.js";
import { devnetSuite } from "./devnet.js";
import { engineSuite } from "./engine.js";
import { groundTruthSuite } from "./groundTruth.js";
import { incrementalSuite } from "./incremental.js";
import { indexerSuite } from "./indexer.js";
import { indexerSpeedSuite } from "./indexerSpeed.js";
import { modelV2Suite } from "./modelV2.js";
import { snapshotFormatSuite } from "./snapshotFormat.js";
import { varSuite } from "./var.js";

export const SUITES: readonly BenchSuite[] = [
  bookSuite,
  engineSuite,
  modelV2Suite,
  incrementalSuite,
  snapshotFormatSuite,
  indexerSuite,
  indexerSpeedSuite,
  daemonSuite,
  devnetSuite,
  groundTruthSuite,
  cycleSuite,
  varSuite,
];
