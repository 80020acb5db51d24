// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";

/// @notice Shared Chainlink-compatible views; a derived source only defines `latestAnswer()`.
/// The answer is live (read from chain state each call), so the "round" is always the current block.
abstract contract PriceSourceBase is IPriceSource {
    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestAnswer() public view virtual returns (int256);

    function latestTimestamp() external view returns (uint256) {
        return block.timestamp;
    }

    function latestRound() external view returns (uint256) {
        return block.number;
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        roundId = uint80(block.number);
        answer = latestAnswer();
        startedAt = block.timestamp;
        updatedAt = block.timestamp;
        answeredInRound = roundId;
    }
}
