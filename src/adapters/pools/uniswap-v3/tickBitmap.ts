/**
 * Uniswap V3 tick bitmap addressing: a tick `t` of a pool with spacing `s` is bit
 * `(t / s) mod 256` of word `floor((t / s) / 256)` (division rounding towards minus infinity,
 * as the pool's `position` helper does with an arithmetic shift).
 */

/** The word position holding `tick`'s bit. */
export function wordOfTick(tick: number, tickSpacing: number): number {
  return Math.floor(Math.floor(tick / tickSpacing) / 256);
}

/** Every word position from the one holding `fromTick` to the one holding `toTick`, ascending. */
export function wordsBetween(fromTick: number, toTick: number, tickSpacing: number): number[] {
  const words: number[] = [];
  for (let w = wordOfTick(fromTick, tickSpacing); w <= wordOfTick(toTick, tickSpacing); w++) words.push(w);
  return words;
}

/** The initialized ticks a bitmap word marks, ascending. */
export function ticksOfWord(word: number, bitmap: bigint, tickSpacing: number): number[] {
  const ticks: number[] = [];
  for (let bit = 0; bitmap >> BigInt(bit) !== 0n; bit++)
    if (((bitmap >> BigInt(bit)) & 1n) === 1n) ticks.push((word * 256 + bit) * tickSpacing);
  return ticks;
}
