// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// @notice An LST's exchange rate in ERC-4626 form: `convertToAssets(shares)` = shares * rate / 1e18
/// (wstETH: stETH per wstETH, rounded down). The owner may set the rate (staking rewards accrue);
/// nothing on the devnet moves it otherwise, so selling the LST in a pool does not change it.
contract LstExchangeRate {
    address public immutable owner;
    uint256 public rate;

    event RateUpdated(uint256 rate);

    constructor(uint256 rate_) {
        owner = msg.sender;
        rate = rate_;
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function convertToAssets(uint256 shares) external view returns (uint256) {
        return (shares * rate) / 1e18;
    }

    function setRate(uint256 rate_) external {
        require(msg.sender == owner, "LstExchangeRate: only the owner");
        rate = rate_;
        emit RateUpdated(rate_);
    }
}
