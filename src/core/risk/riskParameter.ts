/**
 * The risk parameters a recommendation can move: which override path sets each, which way is
 * more permissive (to borrowers), its default search range, and whether it weighs collateral in
 * the health factor (so that borrowers who keep their health factor borrow more when it rises).
 *
 * - aave-v3: `liquidationThreshold` and `liquidationBonus` of a reserve (`--asset WETH`) or of
 *   an eMode category (`--asset emode.1`).
 * - aave-v4: `collateralFactor` and `maxLiquidationBonus` of a reserve (a position's
 *   `dynamicConfig` keeps its own values).
 * - morpho-blue: `lltv`.
 * - compound-v3: `liquidateCollateralFactor` and `liquidationFactor` of a collateral.
 *
 * Thresholds and factors are more permissive upwards; a liquidation bonus downwards (a
 * cheaper liquidation for the borrower).
 */
import { UserInputError } from "../errors.js";
import type { MarketData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";

export interface RiskParameter {
  readonly market: string;
  /** Reserve or collateral asset (`emode.<id>` for an Aave eMode category); none for lltv. */
  readonly asset?: string;
  readonly param: string;
}

export interface ResolvedParameter extends RiskParameter {
  /** `<market>:<path>=` prefix of the override that sets it. */
  readonly overridePrefix: string;
  readonly current: number;
  /** The default search range: strict end, permissive end. */
  readonly strict: number;
  readonly permissive: number;
  /** Weighs collateral in the health factor (a threshold, lltv or collateral factor). */
  readonly weighsHealth: boolean;
}

const THRESHOLD_RANGE = { strict: 0.5, permissive: 0.98 };
const BONUS_RANGE = { strict: 0.2, permissive: 0.005 };

function fail(parameter: RiskParameter, problem: string): never {
  throw new UserInputError(
    `parameter ${parameter.param} of ${parameter.market}${parameter.asset === undefined ? "" : ` ${parameter.asset}`}: ${problem}`,
  );
}

function resolveInMarket(
  market: MarketData,
  parameter: RiskParameter,
): { current: number; path: string; weighsHealth: boolean; range: typeof THRESHOLD_RANGE } {
  const { asset, param } = parameter;
  switch (market.protocol) {
    case "aave-v3": {
      if (param !== "liquidationThreshold" && param !== "liquidationBonus")
        fail(parameter, "an Aave V3 market recommends liquidationThreshold or liquidationBonus");
      if (asset === undefined) fail(parameter, "needs --asset (a reserve, or emode.<id>)");
      const emode = /^emode\.([0-9]+)$/.exec(asset);
      const entry = emode === null ? market.reserves[asset] : market.emodes[emode[1]!];
      if (entry === undefined)
        fail(
          parameter,
          `no such ${emode === null ? "reserve" : "eMode category"} (reserves: ${Object.keys(market.reserves).join(", ")}; eModes: ${Object.keys(market.emodes).join(", ") || "none"})`,
        );
      return {
        current: entry[param],
        path: `${asset}.${param}`,
        weighsHealth: param === "liquidationThreshold",
        range: param === "liquidationThreshold" ? THRESHOLD_RANGE : BONUS_RANGE,
      };
    }
    case "aave-v4": {
      if (param !== "collateralFactor" && param !== "maxLiquidationBonus")
        fail(parameter, "an Aave V4 market recommends collateralFactor or maxLiquidationBonus");
      const entry = asset === undefined ? undefined : market.reserves[asset];
      if (entry === undefined)
        fail(parameter, `needs --asset, one of the reserves ${Object.keys(market.reserves).join(", ")}`);
      return {
        current: entry[param],
        path: `${asset}.${param}`,
        weighsHealth: param === "collateralFactor",
        range: param === "collateralFactor" ? { strict: 0.5, permissive: 0.95 } : BONUS_RANGE,
      };
    }
    case "morpho-blue":
      if (param !== "lltv") fail(parameter, "a Morpho Blue market recommends lltv");
      return {
        current: market.lltv,
        path: "lltv",
        weighsHealth: true,
        range: { strict: 0.5, permissive: 0.98 },
      };
    case "compound-v3": {
      if (param !== "liquidateCollateralFactor" && param !== "liquidationFactor")
        fail(parameter, "a Compound V3 market recommends liquidateCollateralFactor or liquidationFactor");
      const entry = asset === undefined ? undefined : market.collaterals[asset];
      if (entry === undefined)
        fail(
          parameter,
          `needs --asset, one of the collaterals ${Object.keys(market.collaterals).join(", ")}`,
        );
      return {
        current: entry[param],
        path: `${asset}.${param}`,
        weighsHealth: param === "liquidateCollateralFactor",
        range: THRESHOLD_RANGE,
      };
    }
  }
}

/** @throws UserInputError naming the unknown market, asset or parameter, and what exists. */
export function resolveRiskParameter(snapshot: Snapshot, parameter: RiskParameter): ResolvedParameter {
  const market = snapshot.markets.find((m) => m.id === parameter.market);
  if (market === undefined)
    fail(
      parameter,
      `unknown market (markets: ${snapshot.markets
        .map((m) => m.id)
        .slice(0, 10)
        .join(", ")})`,
    );
  const found = resolveInMarket(market, parameter);
  return {
    ...parameter,
    overridePrefix: `${market.id}:${found.path}=`,
    current: found.current,
    strict: found.range.strict,
    permissive: found.range.permissive,
    weighsHealth: found.weighsHealth,
  };
}
