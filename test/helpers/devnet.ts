/**
 * Shared devnet for integration tests: one `startDevnet` per test file (deploy + seed take a few
 * seconds), each test starting from the same seeded state (evm_snapshot before, evm_revert after).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type Devnet, type StartDevnetOptions, startDevnet } from "../../src/devnet/startDevnet.js";

/** The seed tests use: `SEED=…` reproduces a failure. */
export function devnetTestSeed(): number {
  const value = Number(process.env.SEED ?? 1);
  return Number.isInteger(value) ? value : 1;
}

/** Registers hooks that start a devnet for this file; call the returned function inside tests. */
export function useDevnet(options: StartDevnetOptions = {}): () => Devnet {
  let devnet: Devnet | undefined;
  let snapshot: `0x${string}` | undefined;
  beforeAll(async () => {
    devnet = await startDevnet({ seed: devnetTestSeed(), ...options });
  });
  afterAll(async () => {
    await devnet?.stop();
  });
  beforeEach(async () => {
    snapshot = await devnet?.clients.test.snapshot();
  });
  afterEach(async () => {
    if (devnet !== undefined && snapshot !== undefined) await devnet.clients.test.revert({ id: snapshot });
  });
  return () => {
    if (devnet === undefined) throw new Error("devnet not started (beforeAll failed)");
    return devnet;
  };
}
