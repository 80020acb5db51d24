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
    const liquidity = asset.liquidity;
    if (liquidity.kind === "uniswap-v3" && liquidity.pool === undefined && liquidity.factory === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["assets", i, "liquidity", "pool"],
        message: "needs pool, or factory to find the pool of the pair",
      });
    if (
      liquidity.quote !== undefined &&
      liquidity.kind !== "uniswap-v2" &&
      liquidity.kind !== "uniswap-v3" &&
      !assetIds.has(liquidity.quote)
    )
      ctx.addIssue({
        code: "custom",
        path: ["assets", i, "liquidity", "quote"],
        message: `unknown asset ${liquidity.quote}`,
      });
    if (liquidity.kind === "uniswap-v2" || liquidity.kind === "uniswap-v3") {
      if (!chainIds.has(liquidity.chain))
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "liquidity", "chain"],
          message: `chain ${liquidity.chain} is not in chains`,
        });
      if (!assetIds.has(liquidity.quote))
        ctx.addIssue({
          code: "custom",
          path: ["assets", i, "liquidity", "quote"],
          message: `unknown asset ${liquidity.quote}`,
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
  checkScenarioReferences(config, assetIds, ctx);
}

/**
 * What the daemon computes and alerts on names configured things: a shock, curve or critical-shock
 * asset is in `assets`, a rule's scenario is in `scenarios.list`, a criticalShock rule's asset is
 * searched. Otherwise the name would be skipped silently every cycle.
 */
function checkScenarioReferences(config: CascadeConfig, assetIds: Set<string>, ctx: z.RefinementCtx): void {
  const known = [...assetIds].join(", ") || "none configured";
  const unknownAsset = (path: PropertyKey[], asset: string) =>
    ctx.addIssue({ code: "custom", path, message: `unknown asset "${asset}"; assets are: ${known}` });
  config.scenarios.list.forEach((scenario, i) => {
    for (const asset of Object.keys(scenario.shock))
      if (!assetIds.has(asset)) unknownAsset(["scenarios", "list", i, "shock", asset], asset);
  });
  config.scenarios.curves.assets.forEach((asset, i) => {
    if (!assetIds.has(asset)) unknownAsset(["scenarios", "curves", "assets", i], asset);
  });
  config.scenarios.criticalShockAssets.forEach((asset, i) => {
    if (!assetIds.has(asset)) unknownAsset(["scenarios", "criticalShockAssets", i], asset);
  });
  const scenarioNames = new Set(config.scenarios.list.map((s) => s.name));
  const criticalAssets = new Set(config.scenarios.criticalShockAssets);
  config.alerts.rules.forEach((rule, i) => {
    if ("scenario" in rule && rule.scenario !== "*" && !scenarioNames.has(rule.scenario))
      ctx.addIssue({
        code: "custom",
        path: ["alerts", "rules", i, "scenario"],
        message: `unknown scenario "${rule.scenario}"; scenarios are: ${[...scenarioNames].join(", ") || "none"} (or "*")`,
      });
    if (rule.kind === "criticalShock" && rule.asset !== "*" && !criticalAssets.has(rule.asset))
      ctx.addIssue({
        code: "custom",
        path: ["alerts", "rules", i, "asset"],
        message: `"${rule.asset}" is not in scenarios.criticalShockAssets, so its critical shock is never searched`,
      });
  });
  config.risk.drivers.scenarios.forEach((name, i) => {
    if (!scenarioNames.has(name))
      ctx.addIssue({
        code: "custom",
        path: ["risk", "drivers", "scenarios", i],
        message: `scenario "${name}" is not in scenarios.list (${[...scenarioNames].join(", ") || "none"})`,
      });
  });
}
