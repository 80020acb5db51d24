// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";
import {PriceSourceBase} from "./PriceSourceBase.sol";

/// @notice USD price (8 decimals) of an asset that follows a leader at a fixed exchange rate, as
/// liquid-staking token oracles do: answer = leader.latestAnswer() * rateWad / 1e18, rounded down.
/// On chain the follower therefore moves with beta 1; its own pair does not set its oracle price.
contract FollowerPriceSource is PriceSourceBase {
    IPriceSource public immutable leader;
    /// @notice Units of the leader one unit of the follower is worth, 18 decimals (1.2e18 = 1.2 leader per unit).
    uint256 public immutable rateWad;

    constructor(address leader_, uint256 rateWad_) {
        leader = IPriceSource(leader_);
        rateWad = rateWad_;
    }

    function latestAnswer() public view override returns (int256) {
        int256 leaderAnswer = leader.latestAnswer();
        if (leaderAnswer <= 0) return 0;
        return int256((uint256(leaderAnswer) * rateWad) / 1e18);
    }
}
