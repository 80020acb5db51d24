/**
 * A process that owns an anvil, for the lifecycle tests: prints `<anvil pid> <rpc url>` and then
 * either waits to be killed (`wait`) or exits at once through `process.exit` (`exit`).
 */
import { startAnvil } from "../../src/devnet/anvil/startAnvil.js";

const mode = process.argv[2] ?? "wait";
const anvil = await startAnvil();
process.stdout.write(`${anvil.pid} ${anvil.rpcUrl}\n`);
if (mode === "exit") process.exit(0);
setInterval(() => {}, 60_000);
