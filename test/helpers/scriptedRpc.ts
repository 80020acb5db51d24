/**
 * A scripted JSON-RPC node at the ABI level: each contract is an ABI and a function that answers
 * its calls (decoded arguments in, a value out, or `REVERT`). eth_call is decoded with the ABI,
 * directly or through Multicall3's aggregate3 as on mainnet, and the answer is encoded back with
 * the same ABI, so a reader under test sees exactly the bytes a deployed contract would return.
 * A call to an address that is not scripted, or to a function its script does not answer,
 * reverts, as a call to a contract without that function does on chain. An eth_call without
 * `to` (creation code run as a call, as the indexers' read-only contracts are) is answered by the
 * first `creations` entry whose bytecode starts the data, from its decoded constructor arguments
 * and the scripted contracts (`call`); anything else reverts.
 */
import {
  type Abi,
  type Address,
  custom,
  decodeDeployData,
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionData,
  encodeFunctionResult,
  type Hex,
  multicall3Abi,
  type Transport,
} from "viem";
import { createChainClient } from "../../src/adapters/chain/createChainClient.js";
import { MULTICALL3_ADDRESS } from "../../src/adapters/chain/detectMulticall3.js";
import { chainSchema } from "../../src/config/schema/chains.js";

/** Returned by a script: the call reverts. */
export const REVERT: unique symbol = Symbol("revert");

export interface ScriptedContract {
  readonly abi: Abi;
  readonly answer: (functionName: string, args: readonly unknown[]) => unknown;
}

/** A read-only contract run as creation code: its constructor's answer, modelled on the scripts. */
export interface ScriptedCreation {
  readonly abi: Abi;
  readonly bytecode: Hex;
  readonly run: (
    args: readonly unknown[],
    call: (to: Address, abi: Abi, functionName: string, args: readonly unknown[]) => unknown,
  ) => Hex;
}

export interface ScriptedRpc {
  readonly transport: Transport;
  /** eth_call count, each aggregate3 counted once (what a node would see as requests). */
  readonly requests: () => number;
  /** Every decoded call, in order (inside aggregate3 too). */
  readonly calls: Array<{ address: Address; functionName: string }>;
}

class Reverted extends Error {}

export function scriptedRpc(
  contracts: Record<string, ScriptedContract | ScriptedContract[]>,
  extra: (method: string, params: unknown[]) => unknown = () => undefined,
  creations: readonly ScriptedCreation[] = [],
): ScriptedRpc {
  const byAddress = new Map<string, ScriptedContract[]>();
  for (const [address, script] of Object.entries(contracts))
    byAddress.set(address.toLowerCase(), Array.isArray(script) ? script : [script]);
  let requests = 0;
  const calls: ScriptedRpc["calls"] = [];

  const answer = (to: Address, data: Hex): Hex => {
    const scripts = byAddress.get(to.toLowerCase());
    if (scripts === undefined) throw new Reverted(`no contract at ${to}`);
    for (const script of scripts) {
      let decoded: { functionName: string; args?: readonly unknown[] | undefined };
      try {
        decoded = decodeFunctionData({ abi: script.abi, data }) as typeof decoded;
      } catch {
        continue;
      }
      calls.push({ address: to, functionName: decoded.functionName });
      const value = script.answer(decoded.functionName, decoded.args ?? []);
      if (value === REVERT || value === undefined) throw new Reverted(`${decoded.functionName} reverted`);
      return encodeFunctionResult({
        abi: script.abi,
        functionName: decoded.functionName,
        result: value,
      } as never);
    }
    throw new Reverted(`${to} has no function for ${data.slice(0, 10)}`);
  };

  const callScripted = (to: Address, abi: Abi, functionName: string, args: readonly unknown[]): unknown => {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    return decodeFunctionResult({ abi, functionName, data: answer(to, data) } as never);
  };
  const runCreation = (data: Hex): Hex => {
    const creation = creations.find((c) => data.toLowerCase().startsWith(c.bytecode.toLowerCase()));
    if (creation === undefined) throw Object.assign(new Error("execution reverted"), { code: 3, data: "0x" });
    const { args } = decodeDeployData({ abi: creation.abi, bytecode: creation.bytecode, data });
    try {
      return creation.run(args ?? [], callScripted);
    } catch (error) {
      if (error instanceof Reverted)
        throw Object.assign(new Error("execution reverted"), { code: 3, data: "0x" });
      throw error;
    }
  };

  const transport = custom({
    async request({ method, params }: { method: string; params?: unknown }) {
      const p = (params ?? []) as unknown[];
      const other = extra(method, p);
      if (other !== undefined) return other;
      switch (method) {
        case "eth_chainId":
          return "0x1";
        case "eth_blockNumber":
          return "0x64";
        case "eth_getCode":
          return (p[0] as string).toLowerCase() === MULTICALL3_ADDRESS.toLowerCase() ? "0x6080" : "0x";
        case "eth_call": {
          requests++;
          const call = p[0] as { to?: Address; data: Hex };
          if (call.to === undefined) return runCreation(call.data);
          if (call.to.toLowerCase() !== MULTICALL3_ADDRESS.toLowerCase()) {
            try {
              return answer(call.to, call.data);
            } catch (error) {
              if (error instanceof Reverted)
                throw Object.assign(new Error("execution reverted"), { code: 3, data: "0x" });
              throw error;
            }
          }
          const { args } = decodeFunctionData({ abi: multicall3Abi, data: call.data });
          const inner = args[0] as ReadonlyArray<{ target: Address; callData: Hex }>;
          return encodeFunctionResult({
            abi: multicall3Abi,
            functionName: "aggregate3",
            result: inner.map((c) => {
              try {
                return { success: true, returnData: answer(c.target, c.callData) };
              } catch (error) {
                if (error instanceof Reverted) return { success: false, returnData: "0x" as Hex };
                throw error;
              }
            }),
          });
        }
        default:
          throw new Error(`unexpected ${method}`);
      }
    },
  });
  return { transport, requests: () => requests, calls };
}

/** A chain client on a scripted node (chain id 1). */
export function scriptedClient(rpc: ScriptedRpc) {
  const chain = chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"], retries: 0 });
  return createChainClient(chain, { transport: rpc.transport, rank: false });
}
