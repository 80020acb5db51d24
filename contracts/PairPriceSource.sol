// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

import {PriceSourceBase} from "./PriceSourceBase.sol";

interface IUniswapV2PairReserves {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @notice USD price (8 decimals) of `asset` = spot price of its Uniswap V2 pair against a $1 quote token.
/// answer = reserveQuote * 10^assetDecimals * 1e8 / (reserveAsset * 10^quoteDecimals), rounded down.
/// A sale on the pair moves this price in the same block: no delay, no averaging (the model has none).
contract PairPriceSource is PriceSourceBase {
    IUniswapV2PairReserves public immutable pair;
    address public immutable asset;
    bool private immutable assetIsToken0;
    uint256 private immutable numeratorScale;
    uint256 private immutable denominatorScale;

    constructor(address pair_, address asset_, uint8 assetDecimals, uint8 quoteDecimals) {
        pair = IUniswapV2PairReserves(pair_);
        asset = asset_;
        assetIsToken0 = IUniswapV2PairReserves(pair_).token0() == asset_;
        numeratorScale = 10 ** uint256(assetDecimals) * 1e8;
        denominatorScale = 10 ** uint256(quoteDecimals);
    }

    function latestAnswer() public view override returns (int256) {
        (uint112 reserve0, uint112 reserve1,) = pair.getReserves();
        (uint256 reserveAsset, uint256 reserveQuote) =
            assetIsToken0 ? (uint256(reserve0), uint256(reserve1)) : (uint256(reserve1), uint256(reserve0));
        if (reserveAsset == 0) return 0;
        return int256((reserveQuote * numeratorScale) / (reserveAsset * denominatorScale));
    }
}
