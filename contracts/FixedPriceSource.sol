// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {PriceSourceBase} from "./PriceSourceBase.sol";

/// @notice A constant USD price with 8 decimals (the devnet's USDC is worth exactly $1: answer = 1e8).
contract FixedPriceSource is PriceSourceBase {
    int256 public immutable answer;

    constructor(int256 answer_) {
        answer = answer_;
    }

    function latestAnswer() public view override returns (int256) {
        return answer;
    }
}
