// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// @notice The Chainlink-style aggregator surface that AaveOracle and UiPoolDataProviderV3 read.
/// Every devnet price source answers in USD with 8 decimals.
interface IPriceSource {
    function decimals() external view returns (uint8);
    function latestAnswer() external view returns (int256);
    function latestTimestamp() external view returns (uint256);
    function latestRound() external view returns (uint256);
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
