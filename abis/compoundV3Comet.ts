/** Compound V3 (Comet): the published views and events the indexer reads. Factors are 1e18-scaled; prices 1e8 USD. */
import { parseAbi } from "viem";

export const compoundV3CometAbi = parseAbi([
  "struct AssetInfo { uint8 offset; address asset; address priceFeed; uint64 scale; uint64 borrowCollateralFactor; uint64 liquidateCollateralFactor; uint64 liquidationFactor; uint128 supplyCap; }",
  "function baseToken() view returns (address)",
  "function baseTokenPriceFeed() view returns (address)",
  "function decimals() view returns (uint8)",
  "function numAssets() view returns (uint8)",
  "function getAssetInfo(uint8 i) view returns (AssetInfo)",
  "function getPrice(address priceFeed) view returns (uint256)",
  "function getReserves() view returns (int256)",
  "function targetReserves() view returns (uint256)",
  "function borrowBalanceOf(address account) view returns (uint256)",
  "function userCollateral(address account, address asset) view returns (uint128 balance, uint128 _reserved)",
  "event Supply(address indexed from, address indexed dst, uint256 amount)",
  "event Withdraw(address indexed src, address indexed to, uint256 amount)",
  "event SupplyCollateral(address indexed from, address indexed dst, address indexed asset, uint256 amount)",
  "event WithdrawCollateral(address indexed src, address indexed to, address indexed asset, uint256 amount)",
  "event Transfer(address indexed from, address indexed to, uint256 amount)",
  "event TransferCollateral(address indexed from, address indexed to, address indexed asset, uint256 amount)",
  "event AbsorbDebt(address indexed absorber, address indexed borrower, uint256 basePaidOut, uint256 usdValue)",
  "event AbsorbCollateral(address indexed absorber, address indexed borrower, address indexed asset, uint256 collateralAbsorbed, uint256 usdValue)",
]);
