import type { Address } from "viem";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { FatalError } from "../../core/errors.js";
import type { DevnetClients } from "../aave/AaveDeployment.js";
import type { PositionPlan } from "./positionPlan.js";
import type { SeedTargets } from "./seedPositions.js";

/** Calldata bytes per multicall: ~1,500 reads, well under anvil's 30M call gas cap. */
const MULTICALL_BATCH_BYTES = 100_000;

/**
 * Reads every seeded position back (Aave: aToken and variable debt token balances; Morpho:
 * `position`) and throws if any differs from its plan. Rates are zero, so amounts match to the wei
 * (Aave's ray math may round a scaled balance by 1 wei; that is tolerated).
 */
export async function verifySeededPositions(
  clients: DevnetClients,
  plans: readonly PositionPlan[],
  targets: SeedTargets,
): Promise<void> {
  type Read = { address: Address; abi: typeof mintableErc20Abi; functionName: "balanceOf"; args: [Address] };
  type MorphoRead = {
    address: Address;
    abi: typeof morphoBlueAbi;
    functionName: "position";
    args: [`0x${string}`, Address];
  };
  const reads: Array<Read | MorphoRead> = [];
  const expected: Array<{
    plan: PositionPlan;
    kind: "collateral" | "debt" | "morpho";
    amount: bigint;
    debt?: bigint;
  }> = [];
  for (const plan of plans) {
    if (plan.protocol === "aave-v3") {
      const reserves = targets.aave[plan.market]?.reserves ?? {};
      for (const { asset, amountWei } of plan.collateral) {
        const aToken = reserves[asset]?.aToken;
        if (aToken === undefined) throw new FatalError(`devnet seeding: no aToken for ${asset}`);
        reads.push({
          address: aToken,
          abi: mintableErc20Abi,
          functionName: "balanceOf",
          args: [plan.account],
        });
        expected.push({ plan, kind: "collateral", amount: amountWei });
      }
      const debtToken = reserves[plan.debt.asset]?.variableDebtToken;
      if (debtToken === undefined)
        throw new FatalError(`devnet seeding: no debt token for ${plan.debt.asset}`);
      reads.push({
        address: debtToken,
        abi: mintableErc20Abi,
        functionName: "balanceOf",
        args: [plan.account],
      });
      expected.push({ plan, kind: "debt", amount: plan.debt.amountWei });
    } else {
      const market = targets.morpho?.markets[plan.marketIndex];
      if (targets.morpho === undefined || market === undefined) {
        throw new FatalError(`devnet seeding: Morpho market #${plan.marketIndex} is not deployed`);
      }
      reads.push({
        address: targets.morpho.address,
        abi: morphoBlueAbi,
        functionName: "position",
        args: [market.id, plan.account],
      });
      expected.push({ plan, kind: "morpho", amount: plan.collateralWei, debt: plan.debtWei });
    }
  }
  const results = await clients.public.multicall({
    contracts: reads,
    allowFailure: false,
    batchSize: MULTICALL_BATCH_BYTES,
  });
  let failures = 0;
  let first = "";
  results.forEach((result, index) => {
    const want = expected[index];
    if (want === undefined) return;
    let ok: boolean;
    if (want.kind === "morpho") {
      const [, borrowShares, collateral] = result as readonly [bigint, bigint, bigint];
      ok = collateral === want.amount && borrowShares > 0n;
    } else {
      const diff = (result as bigint) - want.amount;
      ok = diff >= -1n && diff <= 1n;
    }
    if (!ok) {
      failures += 1;
      if (first === "") first = `${want.plan.protocol} ${want.plan.account} ${want.kind}`;
    }
  });
  if (failures > 0) {
    throw new FatalError(`devnet seeding: ${failures} position reads differ from the plan (first: ${first})`);
  }
}
