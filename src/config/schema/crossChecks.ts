/** Rules that span sections: ids are unique and every reference points at something configured. */
import type { z } from "zod";
import type { CascadeConfig } from "./configSchema.js";

export function checkConfigReferences(config: CascadeConfig, ctx: z.RefinementCtx): void {
  const chainIds = new Set<number>();
  config.chains.forEach((chain, i) => {
    if (chainIds.has(chain.id))
      ctx.addIssue({
        code: "custom",
        path: ["chains", i, "id"],
        message: `chain ${chain.id} is listed twice`,
      });
    chainIds.add(chain.id);
  });
  const assetIds = new Set<string>();
  config.assets.forEach((asset, i) => {
    if (assetIds.has(asset.id))
      ctx.addIssue({
        code: "custom",
        path: ["assets", i, "id"],
        message: `asset ${asset.id} is listed twice`,
      });
    assetIds.add(asset.id);
  });
  const tokenOwner = new Map<string, string>();
  config.assets.forEach((asset, i) => {
    for (const [chainId, token] of Object.entries(asset.tokens)) {
      const key = `${chainId}:${token.toLowerCase()}`;
      const owner = tokenOwner.get(key);
      if (owner !== undefined && owner !== asset.id)
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "tokens", chainId],
          message: `token already belongs to asset ${owner}`,
        });
      tokenOwner.set(key, asset.id);
    }
    if (asset.follows !== undefined && !assetIds.has(asset.follows.asset))
      ctx.addIssue({
        code: "custom",
        path: ["assets", i, "follows", "asset"],
        message: `unknown asset ${asset.follows.asset}`,
      });
    if (asset.liquidity.kind === "uniswap-v2") {
      if (!chainIds.has(asset.liquidity.chain))
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "liquidity", "chain"],
          message: `chain ${asset.liquidity.chain} is not in chains`,
        });
      if (!assetIds.has(asset.liquidity.quote))
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "liquidity", "quote"],
          message: `unknown asset ${asset.liquidity.quote}`,
        });
    }
  });
  const follows = new Map(config.assets.map((a) => [a.id, a.follows?.asset]));
  config.assets.forEach((asset, i) => {
    const seen = new Set<string>([asset.id]);
    let next = follows.get(asset.id);
    while (next !== undefined) {
      if (seen.has(next)) {
        ctx.addIssue({ code: "custom", path: ["assets", i, "follows"], message: "follows forms a cycle" });
        return;
      }
      seen.add(next);
      next = follows.get(next);
    }
  });
  config.markets.forEach((market, i) => {
    if (!chainIds.has(market.chain))
      ctx.addIssue({
        code: "custom",
        path: ["markets", i, "chain"],
        message: `chain ${market.chain} is not in chains`,
      });
  });
  const scenarioNames = new Set(config.scenarios.list.map((s) => s.name));
  config.risk.drivers.scenarios.forEach((name, i) => {
    if (!scenarioNames.has(name))
      ctx.addIssue({
        code: "custom",
        path: ["risk", "drivers", "scenarios", i],
        message: `scenario "${name}" is not in scenarios.list (${[...scenarioNames].join(", ") || "none"})`,
      });
  });
}
