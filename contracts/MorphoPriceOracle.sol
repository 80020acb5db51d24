// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {IPriceSource} from "./IPriceSource.sol";

/// @notice Morpho Blue `IOracle` built from two USD price sources (the same ones Aave reads):
/// price() = collateralUsd * 10^(36 + loanDecimals - collateralDecimals) / loanUsd, rounded down,
/// i.e. loan-token wei per collateral wei scaled by 1e36, as Morpho Blue requires.
contract MorphoPriceOracle {
    IPriceSource public immutable collateralSource;
    IPriceSource public immutable loanSource;
    uint256 public immutable scale;

    constructor(address collateralSource_, address loanSource_, uint8 collateralDecimals, uint8 loanDecimals) {
        collateralSource = IPriceSource(collateralSource_);
        loanSource = IPriceSource(loanSource_);
        scale = 10 ** (36 + uint256(loanDecimals) - uint256(collateralDecimals));
    }

    function price() external view returns (uint256) {
        int256 collateralUsd = collateralSource.latestAnswer();
        int256 loanUsd = loanSource.latestAnswer();
        if (collateralUsd <= 0 || loanUsd <= 0) return 0;
        return (uint256(collateralUsd) * scale) / uint256(loanUsd);
    }
}
