/**
 * config/devnet.example.yaml names the devnet's contracts by address: they must be the ones a
 * fresh devnet of the default profile deploys (with its feeds' deviation thresholds), or the
 * example monitors nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/loadConfig.js";
import type { CascadeConfig } from "../../../src/config/schema/configSchema.js";
import { useDevnet } from "../../helpers/devnet.js";

const devnet = useDevnet({ positions: 10 });

/** What identifies the watched contracts, without the RPC port and deployment blocks of one run. */
function contracts(config: CascadeConfig): unknown {
  return {
    chains: config.chains.map((c) => c.id),
    assets: config.assets.map((a) => ({
      id: a.id,
      tokens: a.tokens,
      oracleDeviation: a.oracleDeviation,
      liquidity: a.liquidity,
      follows: a.follows,
    })),
    markets: config.markets.map((m) => {
      const { fromBlock: _block, ...rest } = m;
      if (rest.protocol !== "morpho-blue") return rest;
      const { marketIds: _ids, ...morpho } = rest;
      return morpho;
    }),
  };
}

describe("config/devnet.example.yaml", () => {
  it("names the contracts a fresh devnet deploys", () => {
    const example = parseConfig(
      parse(readFileSync(new URL("../../../config/devnet.example.yaml", import.meta.url), "utf8")),
      {},
    );
    const deployed = parseConfig(devnet().config, {});
    expect(contracts(example)).toEqual(contracts(deployed));
  });
});
