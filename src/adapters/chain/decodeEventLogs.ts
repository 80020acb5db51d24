/**
 * Decodes raw `eth_getLogs` results against events, with the results of viem's strict
 * `parseEventLogs`. An event whose every parameter is a named one-word static type (address,
 * bool, intN, uintN, bytesN) is read word by word, each distinct address checksummed once per
 * call: viem checksums every address of every log behind a cache of 8,192 entries, and a scan of
 * 10k borrowers repeats each address in several logs. Every other event, and every log that does
 * not fit its event's shape exactly (topic count, data length, a bool that is not 0 or 1), goes
 * to viem as it is.
 */
import {
  type AbiEvent,
  type AbiParameter,
  type Address,
  formatLog,
  getAddress,
  type Hex,
  type Log,
  parseEventLogs,
  type RpcLog,
  toEventSelector,
} from "viem";

type WordDecoder = (word: string) => unknown;

interface WordPlan {
  readonly eventName: string;
  readonly indexed: ReadonlyArray<{ readonly name: string; readonly decode: WordDecoder }>;
  readonly data: ReadonlyArray<{ readonly name: string; readonly decode: WordDecoder }>;
}

/** Thrown by a word decoder for a word viem would refuse: the log goes to viem. */
class NotPlain extends Error {}

/** Logs in input order, each with `eventName` and `args`; logs no event decodes are dropped (strict). */
export function decodeEventLogs(rawLogs: readonly RpcLog[], events: readonly AbiEvent[]): Log[] {
  const checksummed = new Map<string, Address>();
  // A word's last 20 bytes, checksummed (EIP-55) once per distinct address.
  const address: WordDecoder = (word) => {
    const lower = `0x${word.slice(-40)}`;
    let out = checksummed.get(lower);
    if (out === undefined) {
      out = getAddress(lower);
      checksummed.set(lower, out);
    }
    return out;
  };
  const plans = new Map<Hex, WordPlan | null>();
  for (const event of events) {
    if (event.anonymous === true) continue;
    const selector = toEventSelector(event);
    // Two events with one selector (ERC-20 vs ERC-721 `Transfer`) are told apart by viem.
    plans.set(selector, plans.has(selector) ? null : planOf(event, address));
  }
  const out: Log[] = [];
  for (const raw of rawLogs) {
    const plan = plans.get(raw.topics[0] as Hex);
    const decoded = plan === undefined || plan === null ? undefined : decodeWords(plan, raw);
    if (decoded !== undefined) {
      out.push(decoded);
      continue;
    }
    const [viemLog] = parseEventLogs({ abi: events as AbiEvent[], logs: [raw], strict: true });
    if (viemLog !== undefined) out.push(viemLog as Log);
  }
  return out;
}

function decodeWords(plan: WordPlan, raw: RpcLog): Log | undefined {
  const topics = raw.topics;
  const data = raw.data;
  if (topics.length !== plan.indexed.length + 1 || data.length !== 2 + 64 * plan.data.length)
    return undefined;
  const args: Record<string, unknown> = {};
  try {
    plan.indexed.forEach((input, i) => {
      args[input.name] = input.decode(topics[i + 1]!.slice(2));
    });
    plan.data.forEach((input, i) => {
      args[input.name] = input.decode(data.slice(2 + 64 * i, 2 + 64 * (i + 1)));
    });
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
  const entries = plan.indexed.length + plan.data.length;
  return { ...formatLog(raw), eventName: plan.eventName, args: entries > 0 ? args : undefined } as Log;
}

/** Null when a parameter is unnamed or not a one-word static type. */
function planOf(event: AbiEvent, address: WordDecoder): WordPlan | null {
  const indexed: Array<{ name: string; decode: WordDecoder }> = [];
  const data: Array<{ name: string; decode: WordDecoder }> = [];
  for (const input of event.inputs) {
    const decode = wordDecoderOf(input, address);
    if (decode === undefined || input.name === undefined || input.name === "") return null;
    (input.indexed === true ? indexed : data).push({ name: input.name, decode });
  }
  return { eventName: event.name, indexed, data };
}

/** viem's decoding of one 32-byte word (64 hex digits, no 0x): numbers of 48 bits or less as `number`. */
function wordDecoderOf(input: AbiParameter, address: WordDecoder): WordDecoder | undefined {
  const type = input.type;
  if (type === "address") return address;
  if (type === "bool")
    return (word) => {
      const value = BigInt(`0x${word}`);
      if (value > 1n) throw new NotPlain();
      return value === 1n;
    };
  const number = /^(u?)int(\d*)$/.exec(type);
  if (number !== null) {
    const signed = number[1] === "";
    const bits = Number(number[2] === "" ? "256" : number[2]);
    return (word) => {
      const raw = BigInt(`0x${word}`);
      const value = signed ? BigInt.asIntN(256, raw) : raw;
      return bits > 48 ? value : Number(value);
    };
  }
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed !== null) {
    const size = Number(fixed[1]);
    return (word) => `0x${word.slice(0, 2 * size)}`;
  }
  return undefined;
}
