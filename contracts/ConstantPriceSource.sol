// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// @notice A constant USD price with 8 decimals that answers only `latestAnswer()` and `decimals()`,
/// as fixed-price oracles on Aave do (no rounds: it is no feed). The mainnet profile prices USDC
/// with it in Aave V3.0 (answer = 1e8, $1).
contract ConstantPriceSource {
    int256 public immutable answer;

    constructor(int256 answer_) {
        answer = answer_;
    }

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestAnswer() external view returns (int256) {
        return answer;
    }
}
