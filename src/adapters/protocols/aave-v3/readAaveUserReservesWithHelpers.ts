/**
 * The other way to read Aave positions: `UiPoolDataProviderV3.getUserReservesData` through
 * `@aave/contract-helpers` (ethers v5, kept inside this adapter), one call per account. Version
 * 1.38 decodes the V3.3+ data provider (the devnet's V3.6) and fails on V3.0-era builds, whose
 * struct layout differs. The multicall reader is the default (see docs/indexers.md for the
 * measurements); this one is kept to measure against and to cross-check amounts.
 */
import "reflect-metadata";
import { UiPoolDataProvider } from "@aave/contract-helpers";
import { providers } from "ethers";
import { type Address, getAddress } from "viem";
import { FatalError } from "../../../core/errors.js";

export interface HelperUserReserves {
  readonly emode: number;
  readonly reserves: ReadonlyArray<{
    readonly underlying: Address;
    readonly scaledATokenBalance: bigint;
    readonly scaledVariableDebt: bigint;
    readonly usageAsCollateral: boolean;
  }>;
}

export interface ReadWithHelpersParameters {
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly uiPoolDataProvider: Address;
  readonly addressesProvider: Address;
  readonly accounts: readonly Address[];
  /** The pool's reserves (`getReservesList`): a decoded underlying outside it means a misread layout. */
  readonly reserves: readonly Address[];
  /** Calls in flight at once. */
  readonly concurrency?: number;
}

export async function readAaveUserReservesWithHelpers(
  parameters: ReadWithHelpersParameters,
): Promise<Map<Address, HelperUserReserves>> {
  const provider = new providers.StaticJsonRpcProvider(parameters.rpcUrl, parameters.chainId);
  const helper = new UiPoolDataProvider({
    uiPoolDataProviderAddress: parameters.uiPoolDataProvider,
    provider,
    chainId: parameters.chainId,
  });
  const out = new Map<Address, HelperUserReserves>();
  const known = new Set(parameters.reserves.map((r) => r.toLowerCase()));
  const queue = [...parameters.accounts];
  const worker = async (): Promise<void> => {
    for (let account = queue.shift(); account !== undefined; account = queue.shift()) {
      let decoded: Awaited<ReturnType<typeof helper.getUserReservesHumanized>>;
      try {
        decoded = await helper.getUserReservesHumanized({
          lendingPoolAddressProvider: parameters.addressesProvider,
          user: account,
        });
      } catch (cause) {
        throw new FatalError(
          `aave-v3: @aave/contract-helpers could not decode UiPoolDataProvider ${parameters.uiPoolDataProvider} (a V3.0-era build?)`,
          { cause },
        );
      }
      const { userReserves, userEmodeCategoryId } = decoded;
      // A V3.0-era provider decodes without an error into garbage: check it against the pool.
      if (userReserves.some((r) => !known.has(r.underlyingAsset.toLowerCase())))
        throw new FatalError(
          `aave-v3: UiPoolDataProvider ${parameters.uiPoolDataProvider} returned reserves the pool does not list; @aave/contract-helpers 1.38 cannot decode this (V3.0-era) build, use the multicall reader`,
        );
      out.set(account, {
        emode: userEmodeCategoryId,
        reserves: userReserves.map((r) => ({
          underlying: getAddress(r.underlyingAsset),
          scaledATokenBalance: BigInt(r.scaledATokenBalance),
          scaledVariableDebt: BigInt(r.scaledVariableDebt),
          usageAsCollateral: r.usageAsCollateralEnabledOnUser,
        })),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parameters.concurrency ?? 16) }, worker));
  return out;
}
