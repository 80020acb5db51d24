import {
  type Account,
  type Chain,
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type PublicClient,
  type TestClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { DevnetClients } from "../aave/AaveDeployment.js";
import { devnetChain } from "./devnetChain.js";

/** Public, wallet and anvil test clients on one devnet RPC URL. */
export interface DevnetFullClients extends DevnetClients {
  public: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
  test: TestClient<"anvil", Transport, Chain>;
}

/** Builds the devnet clients; `account` signs the wallet client's transactions (the deployer). */
export function createDevnetClients(rpcUrl: string, account: Account): DevnetFullClients {
  const chain = devnetChain(rpcUrl);
  // Local node: no polling delay worth waiting for, and no retries that would hide a real failure.
  const transport = http(rpcUrl, { retryCount: 0, timeout: 120_000 });
  return {
    public: createPublicClient({ chain, transport, pollingInterval: 50 }),
    wallet: createWalletClient({ chain, transport, account, pollingInterval: 50 }),
    test: createTestClient({ chain, transport, mode: "anvil" }),
  };
}
