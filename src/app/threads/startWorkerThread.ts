/**
 * Starts a worker thread on a module next to the caller: the compiled `.js` in production, the
 * `.ts` source through the tsx loader in development and tests.
 */
import { Worker } from "node:worker_threads";

/** @param moduleName the worker module's file name without extension, e.g. `./simulationThread`. */
export function startWorkerThread(moduleName: string, callerUrl: string): Worker {
  const fromSources = callerUrl.endsWith(".ts");
  const url = new URL(`${moduleName}${fromSources ? ".ts" : ".js"}`, callerUrl);
  if (!fromSources) return new Worker(url);
  // Running from TypeScript sources: the thread needs the TS loader too.
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}
