/**
 * The liquidation mechanisms the model knows, as rewrites of a snapshot's lending markets, so
 * that one book and one shock can be run under each of them on the same positions:
 *
 * - `aave-v3.0`: Aave V3.0's close factor (half the debt while HF > closeFactorHfThreshold).
 * - `aave-v3.3`: Aave V3.3's full close of small positions and its dust rule.
 * - `morpho-blue`: Morpho Blue's full liquidation at `LIF = min(1.15, 1 / (0.3 lt + 0.7))`.
 *
 * Aave markets keep their reserves, eModes and close-factor parameters; under `morpho-blue`
 * they close in full (close factor 1) at the LIF of each threshold, with no protocol fee.
 * A Morpho market becomes, under an Aave mechanism, an Aave market of two reserves: its
 * collateral at threshold lltv with the bonus `LIF - 1` (the incentive the market offers), and
 * its loan asset. Compound V3 markets keep their absorb: a protocol that takes the position
 * over is not a liquidation rule one can swap.
 */
import { UserInputError } from "../errors.js";
import { morphoLiquidationIncentiveFactor } from "../rules/morphoBlue.js";
import { parseSnapshot } from "../snapshot/parseSnapshot.js";
import type { AaveMarketData, MarketData, MorphoMarketData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";

export const MECHANISMS = ["aave-v3.0", "aave-v3.3", "morpho-blue"] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export const MECHANISM_DESCRIPTIONS: Readonly<Record<Mechanism, string>> = {
  "aave-v3.0": "Aave V3.0: close factor 50% above HF 0.95, 100% below",
  "aave-v3.3": "Aave V3.3: close factor, full close below $2,000, dust rule",
  "morpho-blue": "Morpho Blue: full liquidation at LIF = min(1.15, 1 / (0.3 lt + 0.7))",
};

function aaveFromMorpho(market: MorphoMarketData, logic: "v3.0" | "v3.3"): AaveMarketData {
  const bonus = morphoLiquidationIncentiveFactor(market.lltv) - 1;
  const reserve = { liquidationThreshold: market.lltv, liquidationBonus: bonus, protocolFee: 0 };
  return {
    id: market.id,
    protocol: "aave-v3",
    liquidationLogic: logic,
    closeFactor: 0.5,
    closeFactorHfThreshold: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
    reserves: { [market.collateral]: reserve, [market.loan]: reserve },
    emodes: {},
  };
}

function fullCloseAtLif(market: AaveMarketData): AaveMarketData {
  const atLif = (liquidationThreshold: number) => morphoLiquidationIncentiveFactor(liquidationThreshold) - 1;
  return {
    ...market,
    liquidationLogic: "v3.0",
    closeFactor: 1,
    reserves: Object.fromEntries(
      Object.entries(market.reserves).map(([asset, r]) => [
        asset,
        { ...r, liquidationBonus: atLif(r.liquidationThreshold), protocolFee: 0 },
      ]),
    ),
    emodes: Object.fromEntries(
      Object.entries(market.emodes).map(([id, e]) => [
        id,
        { ...e, liquidationBonus: atLif(e.liquidationThreshold) },
      ]),
    ),
  };
}

/** One market under `mechanism`. */
export function marketUnderMechanism(market: MarketData, mechanism: Mechanism): MarketData {
  switch (mechanism) {
    case "aave-v3.0":
    case "aave-v3.3": {
      const logic = mechanism === "aave-v3.0" ? "v3.0" : "v3.3";
      if (market.protocol === "aave-v3") return { ...market, liquidationLogic: logic };
      if (market.protocol === "morpho-blue") return aaveFromMorpho(market, logic);
      return market;
    }
    case "morpho-blue":
      return market.protocol === "aave-v3" ? fullCloseAtLif(market) : market;
  }
}

/** The snapshot with every lending market under `mechanism` (validated again). */
export function snapshotUnderMechanism(snapshot: Snapshot, mechanism: Mechanism): Snapshot {
  if (!MECHANISMS.includes(mechanism))
    throw new UserInputError(
      `unknown mechanism "${String(mechanism)}" (mechanisms: ${MECHANISMS.join(", ")})`,
    );
  return parseSnapshot({
    ...snapshot,
    markets: snapshot.markets.map((m) => marketUnderMechanism(m, mechanism)),
  });
}
