/**
 * Applies risk-parameter overrides to a snapshot: returns a new snapshot (the input is not
 * changed) whose assets, oracles and markets are validated again. Positions are shared with the
 * input: an override only changes a number of an existing market or oracle entry; the one
 * position rule that reads market numbers (Aave V4's solvency constraint on a position's
 * dynamic configuration) is checked again too.
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
  "liquidationGasUsd",
];
const AAVE_RESERVE_FIELDS = ["liquidationThreshold", "liquidationBonus", "protocolFee"];
const AAVE_EMODE_FIELDS = ["liquidationThreshold", "liquidationBonus"];
const AAVE_V4_MARKET_FIELDS = [
  "targetHealthFactor",
  "healthFactorForMaxBonus",
  "liquidationBonusFactor",
  "dustUsd",
  "liquidationGasUsd",
];
const AAVE_V4_RESERVE_FIELDS = ["collateralFactor", "maxLiquidationBonus", "liquidationFee"];
const MORPHO_MARKET_FIELDS = ["lltv", "liquidationGasUsd"];
const COMPOUND_MARKET_FIELDS = ["sellsAbsorbed", "liquidationGasUsd"];
const COMPOUND_COLLATERAL_FIELDS = ["liquidateCollateralFactor", "liquidationFactor"];
const ORACLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  market: ["scale", "deviation", "reportedUsd"],
  rate: ["scale"],
  fixed: ["priceUsd"],
};
/** An override target that is an oracle: `oracle:<id>`. */
const ORACLE_PREFIX = "oracle:";

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

/** A reserve (or collateral) entry of a market by asset id, or a failure listing what exists. */
function entryOf(entries: Record<string, Mutable>, asset: string, override: Override, what: string): Mutable {
  const entry = Object.hasOwn(entries, asset) ? entries[asset] : undefined;
  if (entry === undefined) {
    fail(override, `market has no ${what} "${asset}" (${what}s: ${Object.keys(entries).join(", ")})`);
  }
  return entry;
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
    case "aave-v4": {
      if (second === undefined) {
        setField(market, first, AAVE_V4_MARKET_FIELDS, override, "the market");
        return;
      }
      const reserve = entryOf(market.reserves as Record<string, Mutable>, first, override, "reserve");
      if (third !== undefined) fail(override, `expected <asset>.<field>, got "${path}"`);
      setField(reserve, second, AAVE_V4_RESERVE_FIELDS, override, `reserve ${first}`);
      return;
    }
    case "morpho-blue":
      if (second !== undefined) fail(override, `expected lltv or liquidationGasUsd, got "${path}"`);
      setField(market, first, MORPHO_MARKET_FIELDS, override, "the market");
      return;
    case "compound-v3": {
      if (second === undefined && COMPOUND_MARKET_FIELDS.includes(first)) {
        setField(market, first, COMPOUND_MARKET_FIELDS, override, "the market");
        return;
      }
      const collateral = entryOf(
        market.collaterals as Record<string, Mutable>,
        first,
        override,
        "collateral",
      );
      if (second === undefined || third !== undefined)
        fail(override, `expected <asset>.<field>, got "${path}"`);
      setField(collateral, second, COMPOUND_COLLATERAL_FIELDS, override, `collateral ${first}`);
      return;
    }
  }
}

/** `oracle:<id>:<field>=<value>`: an entry of `oracles`, or the implicit market oracle of an asset. */
function applyOracle(snapshot: Snapshot, oracles: Record<string, Mutable>, override: Override): void {
  const id = override.market.slice(ORACLE_PREFIX.length);
  if (!Object.hasOwn(oracles, id)) {
    if (!snapshot.assets.some((a) => a.id === id)) {
      const known = [...new Set([...Object.keys(oracles), ...snapshot.assets.map((a) => a.id)])];
      fail(override, `unknown oracle "${id}" (oracles: ${known.slice(0, 20).join(", ")})`);
    }
    oracles[id] = { kind: "market", asset: id };
  }
  const oracle = oracles[id]!;
  const [field = "", ...rest] = override.path;
  if (rest.length > 0) fail(override, `expected <field>, got "${override.path.join(".")}"`);
  setField(oracle, field, ORACLE_FIELDS[String(oracle.kind)] ?? [], override, `oracle ${id}`);
}

/**
 * @throws UserInputError naming the override and the unknown market, asset or field, or the
 * value the snapshot rules refuse (e.g. an lltv of 1.2).
 */
export function applyOverrides(snapshot: Snapshot, overrides: readonly Override[]): Snapshot {
  const markets = structuredClone(snapshot.markets) as Array<Mutable & MarketData>;
  const oracles = structuredClone(snapshot.oracles) as Record<string, Mutable>;
  const byId = new Map(markets.map((m) => [m.id, m] as const));
  for (const override of overrides) {
    if (override.market.startsWith(ORACLE_PREFIX)) {
      applyOracle(snapshot, oracles, override);
      continue;
    }
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
  const parsed = snapshotSchema.safeParse({ ...snapshot, markets, oracles, positions: [] });
  // Positions with a dynamic configuration are checked again against the changed reserves.
  const configured = snapshot.positions.filter((p) => p.dynamicConfig !== undefined);
  const problem = parsed.success
    ? checkCrossFields({ ...parsed.data, positions: configured })
    : snapshotErrorFromZod(parsed.error);
  if (problem instanceof SnapshotError) {
    throw new UserInputError(`overrides make the snapshot invalid: ${problem.message}`, { cause: problem });
  }
  if (!parsed.success) throw new UserInputError("overrides make the snapshot invalid");
  return { ...snapshot, markets: parsed.data.markets, oracles: parsed.data.oracles };
}
