// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";

/// @notice A Chainlink-style push feed (AggregatorV3Interface views, USD with 8 decimals) with a
/// deviation threshold. Its answer changes only when its keeper transmits a new round, and a
/// transmission is accepted only when it moves the answer by at least the threshold:
/// |candidate - answer| * 10000 >= deviationThresholdBps * answer. Each accepted transmission
/// starts a new round (roundId + 1, updatedAt = the block's timestamp).
contract DeviationFeed is IPriceSource {
    address public immutable keeper;
    uint256 public immutable deviationThresholdBps;
    string public description;

    uint80 private roundId_;
    int256 private answer_;
    uint256 private updatedAt_;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(address keeper_, uint256 deviationThresholdBps_, int256 initialAnswer, string memory description_) {
        require(initialAnswer > 0, "DeviationFeed: answer must be positive");
        keeper = keeper_;
        deviationThresholdBps = deviationThresholdBps_;
        description = description_;
        roundId_ = 1;
        answer_ = initialAnswer;
        updatedAt_ = block.timestamp;
    }

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestAnswer() external view returns (int256) {
        return answer_;
    }

    function latestTimestamp() external view returns (uint256) {
        return updatedAt_;
    }

    function latestRound() external view returns (uint256) {
        return roundId_;
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (roundId_, answer_, updatedAt_, updatedAt_, roundId_);
    }

    /// @notice True when `candidate` differs from the answer by at least the threshold.
    function deviationReached(int256 candidate) public view returns (bool) {
        int256 move = candidate > answer_ ? candidate - answer_ : answer_ - candidate;
        return uint256(move) * 10000 >= deviationThresholdBps * uint256(answer_);
    }

    /// @notice Starts a new round at `candidate`; only the keeper, only past the threshold.
    function transmit(int256 candidate) external {
        require(msg.sender == keeper, "DeviationFeed: only the keeper transmits");
        require(candidate > 0, "DeviationFeed: answer must be positive");
        require(deviationReached(candidate), "DeviationFeed: below the deviation threshold");
        roundId_ += 1;
        answer_ = candidate;
        updatedAt_ = block.timestamp;
        emit AnswerUpdated(candidate, roundId_, block.timestamp);
    }
}
