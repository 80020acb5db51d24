import { type Chain, defineChain } from "viem";

/** Multicall3's canonical address (the same on every chain it is deployed to). */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;

export const DEVNET_CHAIN_ID = 31337;

/** The devnet as a viem chain; Multicall3 lives at its canonical address from block 0 (set by `installMulticall3`). */
export function devnetChain(rpcUrl: string): Chain {
  return defineChain({
    id: DEVNET_CHAIN_ID,
    name: "devnet",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS, blockCreated: 0 } },
    testnet: true,
  });
}
