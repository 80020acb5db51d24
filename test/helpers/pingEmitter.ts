/**
 * A tiny contract written as raw EVM bytecode so chain tests need no compiler:
 * `spin()` loops until out of gas, `answer()` returns 42, any other call emits `Ping(uint256 0)`.
 */
import { concatHex, encodeFunctionData, type Hex, keccak256, parseAbi, toHex } from "viem";

export const pingEmitterAbi = parseAbi([
  "event Ping(uint256 value)",
  "function ping()",
  "function spin() view returns (uint256)",
  "function answer() view returns (uint256)",
]);

const hexByte = (n: number): string => n.toString(16).padStart(2, "0");

export function pingEmitterCreationCode(): Hex {
  const spin = encodeFunctionData({ abi: pingEmitterAbi, functionName: "spin" }).slice(2);
  const answer = encodeFunctionData({ abi: pingEmitterAbi, functionName: "answer" }).slice(2);
  const topic = keccak256(toHex("Ping(uint256)")).slice(2);
  const build = (loopAt: number, answerAt: number): string =>
    [
      "60003560e01c", // selector = calldata[0..4]
      "80", // DUP1
      `63${spin}14`, // == spin ?
      `60${hexByte(loopAt)}57`, // JUMPI loop
      `63${answer}14`, // == answer ?
      `60${hexByte(answerAt)}57`, // JUMPI answer
      `7f${topic}60206000a100`, // LOG1(0, 32, topic) STOP
      `5b60${hexByte(loopAt)}56`, // loop: JUMPDEST JUMP loop
      "5b602a60005260206000f3", // answer: JUMPDEST MSTORE(0, 42) RETURN(0, 32)
    ].join("");
  // Offsets depend only on lengths, so one pass with placeholders measures them.
  const probe = build(0, 0);
  const loopAt = probe.indexOf(`5b6000` + "56") / 2;
  const answerAt = loopAt + 4;
  const runtime = build(loopAt, answerAt);
  const creation = `60${hexByte(runtime.length / 2)}80600b6000396000f3`;
  return concatHex([`0x${creation}`, `0x${runtime}`]);
}
