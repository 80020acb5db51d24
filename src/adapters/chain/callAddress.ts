import type { Address } from "viem";

/**
 * An address as a call argument, lower case. viem verifies the EIP-55 checksum of every
 * mixed-case address it encodes (a keccak each, behind a cache of 8,192 entries): a batch over
 * 10k accounts would hash every argument of every call. A lower-case address has no checksum.
 */
export function callAddress(address: string): Address {
  return address.toLowerCase() as Address;
}
