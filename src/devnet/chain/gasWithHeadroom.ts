/**
 * The gas limit the devnet sends with a transaction it estimated: the estimate plus half again.
 *
 * Anvil estimates against the pending block, and the transaction is mined in a block whose timestamp
 * may be a second later. A protocol that accrues by time writes more in that block than in the
 * estimate's (an Aave reserve's `updateState` returns early when its last update has the block's
 * timestamp, and writes its indexes and timestamp otherwise; a Uniswap pool writes a new oracle
 * observation), so an exact estimate can run out of gas and revert on a loaded machine. Devnet gas
 * costs nothing, so the margin is generous.
 */
export function gasWithHeadroom(estimate: bigint): bigint {
  return estimate + estimate / 2n;
}
