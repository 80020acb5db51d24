import { UserInputError } from "../core/errors.js";

/**
 * What the devnet's market looks like.
 * - `mainnet`: Uniswap V3 pools shaped like mainnet's (WETH/USDC 5 bp, wstETH/WETH 1 bp) and one
 *   Uniswap V2 pair (WBTC/USDC); Chainlink-style deviation feeds pushed by a keeper, wstETH priced
 *   by an exchange-rate adapter over ETH/USD, USDC fixed at $1 in Aave V3.0 and fed in V3.6, Morpho
 *   oracles composed like MorphoChainlinkOracleV2.
 * - `spot`: version 1's market: every asset in a V2 pair against USDC, every oracle its own pair's
 *   spot price (wstETH's too), followers moved with their leader by the devnet's arbitrageur.
 */
export const DEVNET_PROFILES = ["mainnet", "spot"] as const;
export type DevnetProfile = (typeof DEVNET_PROFILES)[number];

/** The profile of `devnet`, `validate`, `start` without a config, and `startDevnet` when none is named. */
export const DEFAULT_DEVNET_PROFILE: DevnetProfile = "mainnet";

/** Assets that keep a Uniswap V2 pair against the quote asset in the mainnet profile. */
export const MAINNET_V2_ASSETS: readonly string[] = ["WBTC"];

/**
 * The profile a `--profile` flag names.
 * @throws UserInputError naming the flag's value and the profiles there are.
 */
export function parseDevnetProfile(text: string): DevnetProfile {
  const profile = DEVNET_PROFILES.find((name) => name === text);
  if (profile === undefined)
    throw new UserInputError(`--profile ${text}: expected one of ${DEVNET_PROFILES.join(", ")}`);
  return profile;
}
