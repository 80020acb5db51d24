import type { Abi, Hex } from "viem";

/** Compiler builds shipped as npm aliases of `solc` (`solc-0.8.27`, `solc-0.8.19`). */
export type SolcVersion = "0.8.27" | "0.8.19";

/** Byte offsets (into the bytecode, without `0x`) where a library address must be written. */
export type LinkReferences = Record<string, Record<string, ReadonlyArray<{ start: number; length: number }>>>;

/** One compiled contract, keyed elsewhere as `"<source unit>:<contract>"`. */
export interface CompiledContract {
  readonly abi: Abi;
  /** Creation bytecode; may still hold `__$…$__` placeholders when `linkReferences` is not empty. */
  readonly bytecode: Hex;
  readonly linkReferences: LinkReferences;
}

export type CompiledContracts = Record<string, CompiledContract>;

export interface SolcSettings {
  readonly optimizer: { readonly enabled: boolean; readonly runs?: number };
  readonly viaIR?: boolean;
  readonly evmVersion?: string;
}

/** The part of the solc-js module this project uses. */
export interface SolcModule {
  compile(
    input: string,
    callbacks?: { import: (path: string) => { contents: string } | { error: string } },
  ): string;
  version(): string;
}
