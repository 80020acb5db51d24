import { type Address, type Hex, parseUnits, zeroAddress } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { decimalString } from "../decimalString.js";
import { deployContract } from "../deploy/deployContract.js";
import { compiledArtifact } from "../oracles/compiledArtifact.js";
import { sendAndWait } from "../solidity/deployArtifact.js";
import type { CompiledContract, CompiledContracts } from "../solidity/solcTypes.js";
import type { DevnetTokens } from "../tokens/deployTestTokens.js";
import { type MorphoMarketParams, morphoMarketId } from "./morphoMarketId.js";

/** A Morpho Blue market to create: collateral, loan and liquidation LTV (0.86 = 86%). */
export interface MorphoMarketSpec {
  collateral: DevnetAssetId;
  loan: DevnetAssetId;
  lltv: number;
}

export interface MorphoMarketDeployment extends MorphoMarketSpec {
  id: Hex;
  params: MorphoMarketParams;
}

export interface MorphoBlueDeployment {
  morpho: Address;
  markets: MorphoMarketDeployment[];
  deployBlock: bigint;
}

/** Default markets: several on the same collateral, LLTVs from Morpho's governance-enabled set. */
export const DEFAULT_MORPHO_MARKETS: readonly MorphoMarketSpec[] = [
  { collateral: "WETH", loan: "USDC", lltv: 0.86 },
  { collateral: "WETH", loan: "USDC", lltv: 0.915 },
  { collateral: "WBTC", loan: "USDC", lltv: 0.86 },
  { collateral: "wstETH", loan: "USDC", lltv: 0.86 },
  { collateral: "wstETH", loan: "WETH", lltv: 0.945 },
];

/**
 * Deploys Morpho Blue (owner: the deployer), enables the zero-rate IRM `address(0)` and each LLTV,
 * and creates one market per spec with a `MorphoPriceOracle` over the Aave price sources (so both
 * protocols see the same price). Expects automine.
 */
export async function deployMorphoBlue(
  clients: DevnetClients,
  morphoArtifact: CompiledContract,
  contracts: CompiledContracts,
  tokens: DevnetTokens,
  priceSources: Record<DevnetAssetId, Address>,
  markets: readonly MorphoMarketSpec[],
  /** Deploys a market's oracle instead of a `MorphoPriceOracle` over `priceSources` (the mainnet profile's composed oracles). */
  deployOracle?: (spec: MorphoMarketSpec) => Promise<Address>,
): Promise<MorphoBlueDeployment> {
  const deployBlock = (await clients.public.getBlockNumber()) + 1n;
  const deployer = clients.wallet.account.address;
  const morpho = await deployContract(clients, morphoArtifact, [deployer], "Morpho Blue");
  const send = (functionName: string, args: readonly unknown[]) =>
    sendAndWait(clients, { address: morpho, abi: morphoArtifact.abi, functionName, args });
  await send("enableIrm", [zeroAddress]);
  const lltvs = [...new Set(markets.map((market) => lltvWad(market.lltv)))];
  for (const lltv of lltvs) await send("enableLltv", [lltv]);

  const oracleArtifact = compiledArtifact(contracts, "MorphoPriceOracle");
  const deployed: MorphoMarketDeployment[] = [];
  for (const spec of markets) {
    const collateral = need(tokens[spec.collateral], spec.collateral);
    const loan = need(tokens[spec.loan], spec.loan);
    const oracle =
      deployOracle !== undefined
        ? await deployOracle(spec)
        : await deployContract(
            clients,
            oracleArtifact,
            [
              need(priceSources[spec.collateral], spec.collateral),
              need(priceSources[spec.loan], spec.loan),
              collateral.decimals,
              loan.decimals,
            ],
            `Morpho oracle ${spec.collateral}/${spec.loan}`,
          );
    const params: MorphoMarketParams = {
      loanToken: loan.address,
      collateralToken: collateral.address,
      oracle,
      irm: zeroAddress,
      lltv: lltvWad(spec.lltv),
    };
    await send("createMarket", [params]);
    deployed.push({ ...spec, id: morphoMarketId(params), params });
  }
  return { morpho, markets: deployed, deployBlock };
}

/** LLTV as Morpho stores it (WAD). */
export function lltvWad(lltv: number): bigint {
  return parseUnits(decimalString(lltv), 18);
}

function need<T>(value: T | undefined, asset: DevnetAssetId): T {
  if (value === undefined) throw new FatalError(`Morpho Blue: no token or price source for ${asset}`);
  return value;
}
