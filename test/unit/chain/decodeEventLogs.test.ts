import {
  type AbiEvent,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  type Hex,
  numberToHex,
  parseAbi,
  parseEventLogs,
  type RpcLog,
  toEventSelector,
} from "viem";
import { describe, expect, it } from "vitest";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { decodeEventLogs } from "../../../src/adapters/chain/decodeEventLogs.js";

const POOL = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2";
const USER: Hex = "0x5a52e96bacdabb82fd05763e25335261b270efcb"; // lower case on purpose
const OTHER: Hex = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";

const extra = parseAbi([
  "event Signed(int256 indexed delta, int24 tick, int64 big, bytes32 tag, bytes4 short)",
  "event Flag(bool on)",
  "event Note(string text, address indexed who)",
  "event Unnamed(address indexed, uint256)",
]);

let logIndex = 0;
function rawLog(topics: Hex[], data: Hex, address: string = POOL): RpcLog {
  const index = logIndex++;
  return {
    address: address as Hex,
    topics: topics as [Hex, ...Hex[]],
    data,
    blockHash: `0x${"ab".repeat(32)}`,
    blockNumber: numberToHex(100 + index),
    transactionHash: `0x${"cd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(index),
    removed: false,
  };
}

const events = [
  ...aaveV3PoolAbi.filter((item) => item.type === "event"),
  ...extra.filter((item) => item.type === "event"),
] as AbiEvent[];

function borrow(user: Hex, onBehalfOf: Hex, amount: bigint): RpcLog {
  const topics = encodeEventTopics({
    abi: aaveV3PoolAbi,
    eventName: "Borrow",
    args: { reserve: WETH, onBehalfOf, referralCode: 7 },
  }) as Hex[];
  const data = encodeAbiParameters(
    [{ type: "address" }, { type: "uint256" }, { type: "uint8" }, { type: "uint256" }],
    [user, amount, 2, 123_456_789n * 10n ** 18n],
  );
  return rawLog(topics, data);
}

describe("decodeEventLogs", () => {
  it("gives viem's strict parseEventLogs results, in order, for word-shaped and other events", () => {
    const repay = rawLog(
      encodeEventTopics({
        abi: aaveV3PoolAbi,
        eventName: "Repay",
        args: { reserve: WETH, user: USER, repayer: OTHER },
      }) as Hex[],
      encodeAbiParameters([{ type: "uint256" }, { type: "bool" }], [5n, true]),
    );
    const signed = rawLog(
      encodeEventTopics({ abi: extra, eventName: "Signed", args: { delta: -42n } }) as Hex[],
      encodeAbiParameters(
        [{ type: "int24" }, { type: "int64" }, { type: "bytes32" }, { type: "bytes4" }],
        [-887_272, -(2n ** 62n), `0x${"11".repeat(32)}`, "0xdeadbeef"],
      ),
    );
    const note = rawLog(
      encodeEventTopics({ abi: extra, eventName: "Note", args: { who: OTHER } }) as Hex[],
      encodeAbiParameters([{ type: "string" }], ["a string goes to viem"]),
    );
    const unnamed = rawLog(
      [toEventSelector(extra[3]!), encodeAbiParameters([{ type: "address" }], [OTHER])],
      encodeAbiParameters([{ type: "uint256" }], [9n]),
    );
    const market = rawLog(
      encodeEventTopics({
        abi: morphoBlueAbi,
        eventName: "CreateMarket",
        args: { id: `0x${"22".repeat(32)}` },
      }) as Hex[],
      encodeAbiParameters(
        [
          {
            type: "tuple",
            components: [
              { type: "address" },
              { type: "address" },
              { type: "address" },
              { type: "address" },
              { type: "uint256" },
            ],
          },
        ],
        [[WETH, OTHER, USER as Hex, OTHER, 86n * 10n ** 16n]],
      ),
    );
    const logs = [
      borrow(USER, USER, 10n ** 18n),
      repay,
      signed,
      note,
      unnamed,
      borrow(OTHER, USER, 2n ** 255n),
      market,
    ];
    const all = [...events, ...morphoBlueAbi.filter((item) => item.type === "event")] as AbiEvent[];
    const ours = decodeEventLogs(logs, all);
    const viems = parseEventLogs({ abi: all, logs, strict: true });
    expect(ours).toHaveLength(7);
    expect(ours).toEqual(viems);
    const first = ours[0] as unknown as { args: Record<string, unknown> };
    // Checksummed, as viem writes every decoded address; small integers as numbers.
    expect(first.args.user).toBe(getAddress(USER));
    expect(first.args.user).not.toBe(USER);
    expect(first.args.referralCode).toBe(7);
    expect((ours[2] as unknown as { args: Record<string, unknown> }).args.tick).toBe(-887_272);
  });

  it("leaves to viem, and so drops, a log that does not fit its event (topics, data length, bool)", () => {
    const good = borrow(USER, OTHER, 1n);
    const missingTopic = { ...borrow(USER, OTHER, 1n), topics: good.topics.slice(0, 3) as [Hex, ...Hex[]] };
    const shortData = { ...borrow(USER, OTHER, 1n), data: good.data.slice(0, 130) as Hex };
    const badBool = rawLog([toEventSelector(extra[1]!)], encodeAbiParameters([{ type: "uint256" }], [2n]));
    const unknown = rawLog([`0x${"99".repeat(32)}`], "0x");
    const logs = [missingTopic, shortData, badBool, unknown, good];
    const ours = decodeEventLogs(logs, events);
    expect(ours).toEqual(parseEventLogs({ abi: events, logs, strict: true }));
    expect(ours.map((log) => log.logIndex)).toEqual([Number(good.logIndex)]);
  });
});
