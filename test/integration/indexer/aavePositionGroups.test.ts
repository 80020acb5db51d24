/**
 * The Aave position reader pipelines accounts in groups (each group's balances are read as soon as
 * its own bitmaps are in): on the devnet, small groups read exactly what one group reads.
 */
import { describe, expect, it } from "vitest";
import { readAaveMarket } from "../../../src/adapters/protocols/aave-v3/readAaveMarket.js";
import { readAavePositions } from "../../../src/adapters/protocols/aave-v3/readAavePositions.js";
import { useDevnet } from "../../helpers/devnet.js";

const devnet = useDevnet({ positions: 200 });

describe("Aave position reads in groups (devnet)", () => {
  it("reads the same positions in groups of 7 accounts as in one group", async () => {
    const d = devnet();
    const market = d.deployment.aave["aave-v3.6"]!;
    const client = d.clients.public;
    const blockNumber = await client.getBlockNumber();
    const common = {
      client,
      pool: market.pool,
      blockNumber,
      batchBytes: 4096,
      multicallAddress: d.deployment.multicall3,
    };
    const state = await readAaveMarket({
      ...common,
      addressesProvider: market.addressesProvider,
      assetOf: () => undefined,
    });
    const accounts = [
      ...new Set(
        d.positions.filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.6").map((p) => p.account),
      ),
    ];
    expect(accounts.length).toBeGreaterThan(20);
    const read = (groupAccounts: number) =>
      readAavePositions({ ...common, marketId: "m", state, accounts, groupAccounts });
    const whole = await read(accounts.length);
    const grouped = await read(7);
    expect(grouped).toEqual(whole);
    expect([...whole.values()].filter((p) => p !== null).length).toBe(accounts.length);
  });
});
