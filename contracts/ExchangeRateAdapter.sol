// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";

interface IRatioProvider {
    function convertToAssets(uint256 shares) external view returns (uint256);
}

/// @notice A USD price for an LST shaped like Aave's CAPO exchange-rate adapters:
/// latestAnswer = BASE_TO_USD_AGGREGATOR.latestAnswer * min(ratio, maxRatio) / 10^RATIO_DECIMALS,
/// where ratio = RATIO_PROVIDER.convertToAssets(10^RATIO_DECIMALS) and the cap grows linearly
/// from the snapshot: maxRatio = snapshotRatio + maxRatioGrowthPerSecond * (now - snapshotTimestamp).
/// It reads no pool: a sale of the LST moves it only through the base feed (ETH/USD).
contract ExchangeRateAdapter {
    IPriceSource public immutable BASE_TO_USD_AGGREGATOR;
    address public immutable RATIO_PROVIDER;
    uint8 public immutable RATIO_DECIMALS;
    uint256 public immutable snapshotRatio;
    uint256 public immutable snapshotTimestamp;
    uint256 public immutable maxRatioGrowthPerSecond;
    string public description;

    constructor(
        address baseToUsd,
        address ratioProvider,
        uint8 ratioDecimals,
        uint256 maxRatioGrowthPerSecond_,
        string memory description_
    ) {
        BASE_TO_USD_AGGREGATOR = IPriceSource(baseToUsd);
        RATIO_PROVIDER = ratioProvider;
        RATIO_DECIMALS = ratioDecimals;
        snapshotRatio = IRatioProvider(ratioProvider).convertToAssets(10 ** ratioDecimals);
        snapshotTimestamp = block.timestamp;
        maxRatioGrowthPerSecond = maxRatioGrowthPerSecond_;
        description = description_;
    }

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function getRatio() public view returns (int256) {
        return int256(IRatioProvider(RATIO_PROVIDER).convertToAssets(10 ** RATIO_DECIMALS));
    }

    function maxRatio() public view returns (uint256) {
        return snapshotRatio + maxRatioGrowthPerSecond * (block.timestamp - snapshotTimestamp);
    }

    function isCapped() public view returns (bool) {
        return uint256(getRatio()) > maxRatio();
    }

    function latestAnswer() external view returns (int256) {
        uint256 ratio = uint256(getRatio());
        uint256 cap = maxRatio();
        if (ratio > cap) ratio = cap;
        return (BASE_TO_USD_AGGREGATOR.latestAnswer() * int256(ratio)) / int256(10 ** RATIO_DECIMALS);
    }
}
