/**
 * The mainnet profile's book seeded on its devnet: whales of tens of millions, $50-$500 positions,
 * loops and borrow-only borrows are all opened by the real contracts exactly as planned
 * (verifySeededPositions), and the whales' health factors on chain are the planned ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { verifySeededPositions } from "../../../src/devnet/seed/verifySeededPositions.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

/** A book with whales of both kinds on both protocols. */
const SEED = 7;
let devnet: Devnet;

beforeAll(async () => {
  devnet = await startDevnet({ seed: SEED, positions: 300 });
}, 240_000);

afterAll(async () => {
  await devnet?.stop();
});

describe("the mainnet book on the mainnet devnet", () => {
  it("opens every position as planned: whales, small positions, loops and borrow-only borrows", async () => {
    const { deployment, positions } = devnet;
    expect(deployment.profile).toBe("mainnet");
    await verifySeededPositions(devnet.clients, positions, {
      tokens: deployment.tokens,
      aave: deployment.aave,
      ...(deployment.morpho === undefined
        ? {}
        : { morpho: { address: deployment.morpho.morpho, markets: deployment.morpho.markets } }),
    });
    const whales = positions.filter((plan) => plan.whale);
    expect(whales.some((plan) => plan.protocol === "aave-v3")).toBe(true);
    expect(whales.some((plan) => plan.protocol === "morpho-blue")).toBe(true);
    expect(
      positions.some(
        (plan) => plan.protocol === "aave-v3" && plan.market === "aave-v3.0" && plan.debt.asset === "USDC",
      ),
    ).toBe(true);
    expect(positions.some((plan) => plan.protocol === "aave-v3" && plan.emode !== 0)).toBe(true);
    for (const plan of whales) {
      if (plan.protocol !== "aave-v3") continue;
      const [collateralBase, , , , , healthFactor] = await devnet.clients.public.readContract({
        address: deployment.aave[plan.market]!.pool,
        abi: aaveV3PoolAbi,
        functionName: "getUserAccountData",
        args: [plan.account],
      });
      // Tens of millions of USD (8-decimal base currency), at the planned health factor.
      expect(Number(collateralBase) / 1e8).toBeGreaterThan(10_000_000);
      expect(Number(healthFactor) / 1e18 / plan.healthFactor).toBeCloseTo(1, 6);
    }
  });
});
