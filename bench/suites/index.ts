/** Every benchmark suite, in the order `npm run bench` runs them. Add a suite with one line. */
import type { BenchSuite } from "../benchSuite.js";
import { bookSuite } from "./book.js";
import { daemonSuite } from "./daemon.js";
import { engineSuite } from "./engine.js";
import { indexerSuite } from "./indexer.js";

export const SUITES: readonly BenchSuite[] = [bookSuite, engineSuite, indexerSuite, daemonSuite];
