// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

interface IAavePoolViews {
    function getUserConfiguration(address user) external view returns (uint256);
    function getUserEMode(address user) external view returns (uint256);
}

interface IBalanceOf {
    function balanceOf(address account) external view returns (uint256);
}

/// @notice Reads many Aave V3 positions in one `eth_call` and is never deployed: the call's data is
/// this creation code with its constructor arguments, and the constructor returns the words.
/// The token tables are indexed by reserve id (the zero address where the pool has no such reserve
/// or, for `stableDebtTokens`, no stable debt). Per user, in order: the configuration bitmap, the
/// eMode category, then for each reserve id from 0 up whose table entry is set: if the bitmap marks
/// it borrowed, the variable debt token's `balanceOf` and, where the reserve has one, the stable
/// debt token's; if the bitmap marks it as collateral, the aToken's `balanceOf`. Every amount is
/// the token's own answer.
contract AavePositionsReader {
    constructor(
        address pool,
        address[] memory aTokens,
        address[] memory variableDebtTokens,
        address[] memory stableDebtTokens,
        address[] memory users
    ) {
        uint256 reserves = aTokens.length;
        uint256[] memory words = new uint256[](users.length * (2 + 3 * reserves));
        uint256 n = 0;
        for (uint256 u = 0; u < users.length; u++) {
            address user = users[u];
            uint256 bitmap = IAavePoolViews(pool).getUserConfiguration(user);
            words[n++] = bitmap;
            words[n++] = IAavePoolViews(pool).getUserEMode(user);
            for (uint256 id = 0; id < reserves && (bitmap >> (2 * id)) != 0; id++) {
                if (aTokens[id] == address(0)) continue;
                if ((bitmap >> (2 * id)) & 1 == 1) {
                    words[n++] = IBalanceOf(variableDebtTokens[id]).balanceOf(user);
                    if (stableDebtTokens[id] != address(0)) {
                        words[n++] = IBalanceOf(stableDebtTokens[id]).balanceOf(user);
                    }
                }
                if ((bitmap >> (2 * id + 1)) & 1 == 1) {
                    words[n++] = IBalanceOf(aTokens[id]).balanceOf(user);
                }
            }
        }
        assembly {
            mstore(words, n)
        }
        bytes memory out = abi.encode(words);
        assembly {
            return(add(out, 32), mload(out))
        }
    }
}
