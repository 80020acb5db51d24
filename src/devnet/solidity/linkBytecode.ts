import type { Address, Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import type { LinkReferences } from "./solcTypes.js";

/**
 * Writes library addresses into creation bytecode at the offsets solc reported.
 * `libraries` is keyed `"<source unit>:<library>"`; every placeholder must be covered.
 */
export function linkBytecode(
  bytecode: Hex,
  linkReferences: LinkReferences,
  libraries: Record<string, Address>,
): Hex {
  let code = bytecode.slice(2);
  for (const [file, byName] of Object.entries(linkReferences)) {
    for (const [name, offsets] of Object.entries(byName)) {
      const address = libraries[`${file}:${name}`];
      if (address === undefined) {
        throw new FatalError(`library ${file}:${name} has no address to link`, {
          details: { library: name },
        });
      }
      const hex = address.slice(2).toLowerCase();
      for (const { start, length } of offsets) {
        code = code.slice(0, start * 2) + hex.padStart(length * 2, "0") + code.slice((start + length) * 2);
      }
    }
  }
  return `0x${code}`;
}

/** The `"<source unit>:<library>"` names a bytecode still needs linked. */
export function librariesNeeded(linkReferences: LinkReferences): string[] {
  return Object.entries(linkReferences).flatMap(([file, byName]) =>
    Object.keys(byName).map((name) => `${file}:${name}`),
  );
}
