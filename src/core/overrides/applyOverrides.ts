/**
 * Applies risk-parameter overrides to a snapshot: returns a new snapshot (the input is not
 * changed) whose assets and markets are validated again. Positions are shared with the input:
 * an override only changes a number of an existing market entry, which no position rule reads.
 */
import { SnapshotError, UserInputError } from "../errors.js";
import { checkCrossFields } from "../snapshot/checkCrossFields.js";
import { type MarketData, snapshotSchema } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { snapshotErrorFromZod } from "../snapshot/zodIssue.js";
import type { Override } from "./parseOverride.js";

const AAVE_MARKET_FIELDS = [
  "closeFactor",
  "closeFactorHfThreshold",
  "fullCloseBelowUsd",
  "minLeftoverUsd",
  "liquidationLogic",
];
const AAVE_RESERVE_FIELDS = ["liquidationThreshold", "liquidationBonus", "protocolFee"];
const AAVE_EMODE_FIELDS = ["liquidationThreshold", "liquidationBonus"];
const COMPOUND_COLLATERAL_FIELDS = ["liquidateCollateralFactor", "liquidationFactor"];

type Mutable = Record<string, unknown>;

function fail(override: Override, problem: string): never {
  throw new UserInputError(`override "${override.text}": ${problem}`, {
    details: { market: override.market },
  });
}

function setField(
  target: Mutable,
  field: string,
  allowed: readonly string[],
  override: Override,
  where: string,
): void {
  if (!allowed.includes(field)) {
    fail(override, `unknown field "${field}" in ${where} (fields: ${allowed.join(", ")})`);
  }
  target[field] = override.value;
}

function apply(market: Mutable & MarketData, override: Override): void {
  const [first = "", second, third, ...rest] = override.path;
  const path = override.path.join(".");
  switch (market.protocol) {
    case "aave-v3": {
      if (first === "emode" || first === "emodes") {
        const category =
          second === undefined ? undefined : (market.emodes as Record<string, Mutable>)[second];
        if (second === undefined || category === undefined || !Object.hasOwn(market.emodes, second)) {
          fail(
            override,
            `market has no eMode category "${second ?? ""}" (categories: ${Object.keys(market.emodes).join(", ") || "none"})`,
          );
        }
        if (third === undefined || rest.length > 0)
          fail(override, `expected emode.<id>.<field>, got "${path}"`);
        setField(category, third, AAVE_EMODE_FIELDS, override, `eMode ${second}`);
        return;
      }
      if (second === undefined) {
        setField(market, first, AAVE_MARKET_FIELDS, override, "the market");
        return;
      }
      const reserves = market.reserves as Record<string, Mutable>;
      const reserve = Object.hasOwn(reserves, first) ? reserves[first] : undefined;
      if (reserve === undefined)
        fail(override, `market has no reserve "${first}" (reserves: ${Object.keys(reserves).join(", ")})`);
      if (third !== undefined) fail(override, `expected <asset>.<field>, got "${path}"`);
      setField(reserve, second, AAVE_RESERVE_FIELDS, override, `reserve ${first}`);
      return;
    }
    case "morpho-blue":
      if (second !== undefined) fail(override, `expected lltv, got "${path}"`);
      setField(market, first, ["lltv"], override, "the market");
      return;
    case "compound-v3": {
      const collaterals = market.collaterals as Record<string, Mutable>;
      const collateral = Object.hasOwn(collaterals, first) ? collaterals[first] : undefined;
      if (collateral === undefined) {
        fail(
          override,
          `market has no collateral "${first}" (collaterals: ${Object.keys(collaterals).join(", ")})`,
        );
      }
      if (second === undefined || third !== undefined)
        fail(override, `expected <asset>.<field>, got "${path}"`);
      setField(collateral, second, COMPOUND_COLLATERAL_FIELDS, override, `collateral ${first}`);
      return;
    }
  }
}

/**
 * @throws UserInputError naming the override and the unknown market, asset or field, or the
 * value the snapshot rules refuse (e.g. an lltv of 1.2).
 */
export function applyOverrides(snapshot: Snapshot, overrides: readonly Override[]): Snapshot {
  const markets = structuredClone(snapshot.markets) as Array<Mutable & MarketData>;
  const byId = new Map(markets.map((m) => [m.id, m] as const));
  for (const override of overrides) {
    const market = byId.get(override.market);
    if (market === undefined) {
      const known = markets
        .map((m) => m.id)
        .slice(0, 10)
        .join(", ");
      fail(override, `unknown market "${override.market}" (markets: ${known})`);
    }
    apply(market, override);
  }
  const parsed = snapshotSchema.safeParse({ ...snapshot, markets, positions: [] });
  const problem = parsed.success ? checkCrossFields(parsed.data) : snapshotErrorFromZod(parsed.error);
  if (problem instanceof SnapshotError) {
    throw new UserInputError(`overrides make the snapshot invalid: ${problem.message}`, { cause: problem });
  }
  return { ...snapshot, markets: parsed.success ? parsed.data.markets : markets };
}
