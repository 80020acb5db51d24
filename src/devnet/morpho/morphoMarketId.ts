import { type Address, encodeAbiParameters, type Hex, keccak256 } from "viem";

/** Morpho Blue's market parameters; `lltv` is WAD-scaled (0.86e18 = 86%). */
export interface MorphoMarketParams {
  loanToken: Address;
  collateralToken: Address;
  oracle: Address;
  irm: Address;
  lltv: bigint;
}

/** A market's id as Morpho computes it: keccak256 of the ABI-encoded parameters. */
export function morphoMarketId(params: MorphoMarketParams): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "address" },
        { type: "address" },
        { type: "address" },
        { type: "address" },
        { type: "uint256" },
      ],
      [params.loanToken, params.collateralToken, params.oracle, params.irm, params.lltv],
    ),
  );
}
