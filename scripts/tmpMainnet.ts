import { createSync } from "../src/app/sync/createSync.js";
import { parseConfig } from "../src/config/loadConfig.js";
import { startDevnet } from "../src/devnet/startDevnet.js";
const t = performance.now();
const devnet = await startDevnet({ profile: "mainnet", positions: 200, log: console.log });
console.log("start", Math.round(performance.now() - t));
try {
  const config = parseConfig(devnet.config);
  const sync = await createSync(config, {});
  await sync.start();
  const snap = sync.snapshot() as Record<string, unknown>;
  console.log(JSON.stringify(snap.oracles, null, 1));
  console.log(JSON.stringify((snap.assets as unknown[]).map((a) => a), null, 0).slice(0, 3000));
  console.log(JSON.stringify((snap.markets as Array<Record<string, unknown>>).map((m) => ({ id: m.id, o: m.oracle, c: m.collateralOracle, l: m.loanOracle, reserves: m.reserves })), null, 0).slice(0, 3000));
  await sync.close();
} finally {
  await devnet.stop();
}
