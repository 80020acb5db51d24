/**
 * The monitoring cycle the daemon benchmarks run: 5 scenarios, an 8-point WETH curve and the WETH
 * critical-shock search, no alert rules (each benchmark adds its own).
 */
import { daemonSettings } from "../src/app/daemon/daemonSettings.js";
import { alertsSectionSchema } from "../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../src/config/schema/scenarios.js";

export const benchCycleSettings = () =>
  daemonSettings(
    scenariosSectionSchema.parse({
      list: [
        { name: "eth-10", shock: { WETH: -0.1 } },
        { name: "eth-20", shock: { WETH: -0.2 } },
        { name: "eth-30", shock: { WETH: -0.3 } },
        { name: "btc-15", shock: { WBTC: -0.15 } },
        { name: "lst-depeg-5", shock: { wstETH: -0.05 } },
      ],
      curves: { assets: ["WETH"], shocks: [-0.05, -0.1, -0.15, -0.2, -0.25, -0.3, -0.4, -0.5] },
      criticalShockAssets: ["WETH"],
    }),
    alertsSectionSchema.parse({ rules: [] }),
    120,
  );
