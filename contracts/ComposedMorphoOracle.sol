// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";

interface IVaultRate {
    function convertToAssets(uint256 shares) external view returns (uint256);
}

/// @notice A Morpho Blue oracle composed as Morpho's MorphoChainlinkOracleV2 is (same getters):
/// price = SCALE_FACTOR * baseVaultAssets * BASE_FEED_1 * BASE_FEED_2
///         / (quoteVaultAssets * QUOTE_FEED_1 * QUOTE_FEED_2), rounded down,
/// where a vault's assets are `convertToAssets(its conversion sample)` and an absent vault or feed
/// (zero address) counts as 1, and
/// SCALE_FACTOR = 10^(36 + quoteTokenDecimals + quoteFeed1Decimals + quoteFeed2Decimals
///                    - baseTokenDecimals - baseFeed1Decimals - baseFeed2Decimals)
///                * QUOTE_VAULT_CONVERSION_SAMPLE / BASE_VAULT_CONVERSION_SAMPLE:
/// loan wei per collateral wei, scaled by 1e36, as Morpho Blue requires.
contract ComposedMorphoOracle {
    address public immutable BASE_VAULT;
    uint256 public immutable BASE_VAULT_CONVERSION_SAMPLE;
    address public immutable QUOTE_VAULT;
    uint256 public immutable QUOTE_VAULT_CONVERSION_SAMPLE;
    address public immutable BASE_FEED_1;
    address public immutable BASE_FEED_2;
    address public immutable QUOTE_FEED_1;
    address public immutable QUOTE_FEED_2;
    uint256 public immutable SCALE_FACTOR;

    constructor(
        address baseVault,
        uint256 baseVaultConversionSample,
        address baseFeed1,
        address baseFeed2,
        uint256 baseTokenDecimals,
        address quoteVault,
        uint256 quoteVaultConversionSample,
        address quoteFeed1,
        address quoteFeed2,
        uint256 quoteTokenDecimals
    ) {
        require(baseVault != address(0) || baseVaultConversionSample == 1, "ComposedMorphoOracle: sample without vault");
        require(quoteVault != address(0) || quoteVaultConversionSample == 1, "ComposedMorphoOracle: sample without vault");
        BASE_VAULT = baseVault;
        BASE_VAULT_CONVERSION_SAMPLE = baseVaultConversionSample;
        QUOTE_VAULT = quoteVault;
        QUOTE_VAULT_CONVERSION_SAMPLE = quoteVaultConversionSample;
        BASE_FEED_1 = baseFeed1;
        BASE_FEED_2 = baseFeed2;
        QUOTE_FEED_1 = quoteFeed1;
        QUOTE_FEED_2 = quoteFeed2;
        SCALE_FACTOR = (10
            ** (36 + quoteTokenDecimals + feedDecimals(quoteFeed1) + feedDecimals(quoteFeed2) - baseTokenDecimals
                - feedDecimals(baseFeed1) - feedDecimals(baseFeed2)) * quoteVaultConversionSample)
            / baseVaultConversionSample;
    }

    function price() external view returns (uint256) {
        return (SCALE_FACTOR * vaultAssets(BASE_VAULT, BASE_VAULT_CONVERSION_SAMPLE) * feedPrice(BASE_FEED_1)
                * feedPrice(BASE_FEED_2))
            / (vaultAssets(QUOTE_VAULT, QUOTE_VAULT_CONVERSION_SAMPLE) * feedPrice(QUOTE_FEED_1) * feedPrice(QUOTE_FEED_2));
    }

    function feedDecimals(address feed) private view returns (uint256) {
        return feed == address(0) ? 0 : IPriceSource(feed).decimals();
    }

    function feedPrice(address feed) private view returns (uint256) {
        if (feed == address(0)) return 1;
        (, int256 answer,,,) = IPriceSource(feed).latestRoundData();
        require(answer >= 0, "ComposedMorphoOracle: negative answer");
        return uint256(answer);
    }

    function vaultAssets(address vault, uint256 sample) private view returns (uint256) {
        return vault == address(0) ? 1 : IVaultRate(vault).convertToAssets(sample);
    }
}
