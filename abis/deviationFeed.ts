/**
 * The devnet's deviation-threshold feed (contracts/DeviationFeed.sol): Chainlink-style views plus
 * the threshold, the keeper, the check `transmit` enforces, and `transmit` itself.
 */
import { parseAbi } from "viem";

export const deviationFeedAbi = parseAbi([
  "function decimals() view returns (uint8)",
  "function description() view returns (string)",
  "function latestAnswer() view returns (int256)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
  "function keeper() view returns (address)",
  "function deviationThresholdBps() view returns (uint256)",
  "function deviationReached(int256 candidate) view returns (bool)",
  "function transmit(int256 candidate)",
  "event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)",
]);
