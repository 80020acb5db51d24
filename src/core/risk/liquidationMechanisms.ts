/**
 * The liquidation mechanisms the model knows, as rewrites of a snapshot's lending markets, so
 * that one book and one shock can be run under each of them on the same positions:
 *
 * - `aave-v3.0`: Aave V3.0's close factor (half the debt while HF > closeFactorHfThreshold).
 * - `aave-v3.3`: Aave V3.3's full close of small positions and its dust rule.
 * - `aave-v4`: Aave V4's liquidation to a target health factor with a Dutch-auction bonus.
 * - `morpho-blue`: Morpho Blue's full liquidation at `LIF = min(1.15, 1 / (0.3 lt + 0.7))`.
 *
 * What carries over: every market keeps its id, oracles and gas; a threshold is a threshold
 * (Aave's liquidationThreshold, V4's collateralFactor, Morpho's lltv) and a bonus a bonus
 * (Aave's liquidationBonus, V4's maxLiquidationBonus, Morpho's LIF - 1), with the protocol's
 * share of it. A Morpho market becomes a two-reserve market (its collateral at lltv and its
 * loan asset). An Aave V3 eMode becomes, under V4, each member's `dynamicConfig` for the
 * category's assets. Under the other mechanisms, a V4 spoke is first split by its positions'
 * `dynamicConfig`: the positions sharing one configuration move to a spoke of their own (id
 * `<spoke>#<k>`, k = 1, 2, … in order of first appearance) whose reserves carry that
 * configuration's values, so each position keeps the factors and bonuses it was judged with; the
 * totals a comparison reports do not depend on that split. Under V4, markets that are not V4 use
 * the engine parameters the caller gives, field by field, else those of the snapshot's first V4 market, else
 * `AAVE_V4_DEFAULTS`; a bonus that would break V4's
 * solvency rule `(1 + bonus) cf < 1` is lowered to just under it. Compound V3 markets keep
 * their absorb: a protocol that takes the position over is not a rule one can swap.
 */
import { UserInputError } from "../errors.js";
import { morphoLiquidationIncentiveFactor } from "../rules/morphoBlue.js";
import { reserveUnderDynamicConfig } from "../snapshot/aaveV4DynamicConfig.js";
import { parseSnapshot } from "../snapshot/parseSnapshot.js";
import type { AaveMarketData, AaveV4MarketData, MarketData, PositionData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";

export const MECHANISMS = ["aave-v3.0", "aave-v3.3", "aave-v4", "morpho-blue"] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export const MECHANISM_DESCRIPTIONS: Readonly<Record<Mechanism, string>> = {
  "aave-v3.0": "Aave V3.0: close factor 50% above HF 0.95, 100% below",
  "aave-v3.3": "Aave V3.3: close factor, full close below $2,000, dust rule",
  "aave-v4": "Aave V4: repay to the target health factor, bonus rising as HF falls (Dutch auction)",
  "morpho-blue": "Morpho Blue: full liquidation at LIF = min(1.15, 1 / (0.3 lt + 0.7))",
};

/** Aave V4's engine parameters where the snapshot has no V4 market (the model's example spoke). */
export const AAVE_V4_DEFAULTS = {
  targetHealthFactor: 1.05,
  healthFactorForMaxBonus: 0.85,
  liquidationBonusFactor: 0.8,
};

interface Reserve {
  readonly threshold: number;
  readonly bonus: number;
  readonly fee: number;
  readonly oracle?: string | undefined;
}

/** A lending market as reserves of threshold, bonus, protocol share and oracle. */
function reservesOf(market: MarketData): Record<string, Reserve> {
  switch (market.protocol) {
    case "aave-v3":
      return Object.fromEntries(
        Object.entries(market.reserves).map(([a, r]) => [
          a,
          {
            threshold: r.liquidationThreshold,
            bonus: r.liquidationBonus,
            fee: r.protocolFee,
            oracle: r.oracle,
          },
        ]),
      );
    case "aave-v4":
      return Object.fromEntries(
        Object.entries(market.reserves).map(([a, r]) => [
          a,
          {
            threshold: r.collateralFactor,
            bonus: r.maxLiquidationBonus,
            fee: r.liquidationFee,
            oracle: r.oracle,
          },
        ]),
      );
    case "morpho-blue": {
      const bonus = morphoLiquidationIncentiveFactor(market.lltv) - 1;
      return {
        [market.loan]: { threshold: 0, bonus, fee: 0, oracle: market.loanOracle },
        [market.collateral]: { threshold: market.lltv, bonus, fee: 0, oracle: market.collateralOracle },
      };
    }
    case "compound-v3":
      return {};
  }
}

const withOracle = <T extends object>(entry: T, oracle: string | undefined): T =>
  oracle === undefined ? entry : { ...entry, oracle };

function asAaveV3(market: MarketData, logic: "v3.0" | "v3.3"): AaveMarketData {
  if (market.protocol === "aave-v3") return { ...market, liquidationLogic: logic };
  return {
    id: market.id,
    protocol: "aave-v3",
    liquidationLogic: logic,
    closeFactor: 0.5,
    closeFactorHfThreshold: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
    liquidationGasUsd: market.liquidationGasUsd,
    reserves: Object.fromEntries(
      Object.entries(reservesOf(market)).map(([a, r]) => [
        a,
        withOracle(
          { liquidationThreshold: r.threshold, liquidationBonus: r.bonus, protocolFee: r.fee },
          r.oracle,
        ),
      ]),
    ),
    emodes: {},
  };
}

/** The largest bonus V4 accepts with this collateral factor, a hair under `1 / cf - 1`. */
const solventBonus = (cf: number, bonus: number): number =>
  cf > 0 ? Math.min(bonus, (1 / cf - 1) * (1 - 1e-9)) : bonus;

function asAaveV4(market: MarketData, engine: typeof AAVE_V4_DEFAULTS): AaveV4MarketData {
  if (market.protocol === "aave-v4") return market;
  return {
    id: market.id,
    protocol: "aave-v4",
    ...engine,
    dustUsd: 1000,
    liquidationGasUsd: market.liquidationGasUsd,
    reserves: Object.fromEntries(
      Object.entries(reservesOf(market)).map(([a, r]) => {
        const cf = Math.min(r.threshold, 0.9999);
        return [
          a,
          withOracle(
            { collateralFactor: cf, maxLiquidationBonus: solventBonus(cf, r.bonus), liquidationFee: r.fee },
            r.oracle,
          ),
        ];
      }),
    ),
  };
}

function fullCloseAtLif(market: AaveMarketData): AaveMarketData {
  const atLif = (threshold: number) => morphoLiquidationIncentiveFactor(threshold) - 1;
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
export function marketUnderMechanism(
  market: MarketData,
  mechanism: Mechanism,
  v4Engine: typeof AAVE_V4_DEFAULTS = AAVE_V4_DEFAULTS,
): MarketData {
  if (market.protocol === "compound-v3") return market;
  switch (mechanism) {
    case "aave-v3.0":
      return asAaveV3(market, "v3.0");
    case "aave-v3.3":
      return asAaveV3(market, "v3.3");
    case "aave-v4":
      return asAaveV4(market, v4Engine);
    case "morpho-blue":
      return market.protocol === "morpho-blue" ? market : fullCloseAtLif(asAaveV3(market, "v3.0"));
  }
}

/** A position moved to its market's new protocol: eMode ↔ dynamicConfig. */
function positionUnder(position: PositionData, before: MarketData, after: MarketData): PositionData {
  if (before.protocol === after.protocol) return position;
  const { emode, dynamicConfig: _dynamic, ...rest } = position;
  if (after.protocol !== "aave-v4" || before.protocol !== "aave-v3" || emode === undefined || emode === 0)
    return rest;
  const category = before.emodes[String(emode)];
  if (category === undefined) return rest;
  const cf = Math.min(category.liquidationThreshold, 0.9999);
  const entry = { collateralFactor: cf, maxLiquidationBonus: solventBonus(cf, category.liquidationBonus) };
  const dynamicConfig = Object.fromEntries(
    category.assets.filter((a) => Object.hasOwn(after.reserves, a)).map((a) => [a, entry]),
  );
  return Object.keys(dynamicConfig).length === 0 ? rest : { ...rest, dynamicConfig };
}

/**
 * A V4 spoke's positions with a `dynamicConfig` moved to one spoke per distinct configuration,
 * its reserves overwritten by that configuration's entries (what a field leaves out stays the
 * reserve's), so a mechanism without per-position configurations can carry them.
 */
function splitByDynamicConfig(
  markets: readonly MarketData[],
  positions: readonly PositionData[],
): { markets: MarketData[]; positions: PositionData[] } {
  const byId = new Map(markets.map((m) => [m.id, m] as const));
  const derived = new Map<string, AaveV4MarketData>();
  const derivedOf = new Map<string, AaveV4MarketData[]>();
  const moved = positions.map((p): PositionData => {
    const market = byId.get(p.market);
    if (market?.protocol !== "aave-v4" || p.dynamicConfig === undefined) return p;
    const { dynamicConfig, ...rest } = p;
    const entries = Object.entries(dynamicConfig).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = `${market.id}\u0000${JSON.stringify(entries)}`;
    let spoke = derived.get(key);
    if (spoke === undefined) {
      const siblings = derivedOf.get(market.id) ?? [];
      const reserves = Object.fromEntries(
        Object.entries(market.reserves).map(([asset, r]) => [
          asset,
          reserveUnderDynamicConfig(r, dynamicConfig[asset]),
        ]),
      );
      let k = siblings.length + 1;
      while (byId.has(`${market.id}#${k}`)) k++;
      spoke = { ...market, id: `${market.id}#${k}`, reserves };
      siblings.push(spoke);
      derivedOf.set(market.id, siblings);
      derived.set(key, spoke);
    }
    return { ...rest, market: spoke.id };
  });
  const out: MarketData[] = [];
  for (const m of markets) out.push(m, ...(derivedOf.get(m.id) ?? []));
  return { markets: out, positions: moved };
}

/** Aave V4's engine parameters (a spoke's, applied to markets that are not V4 under `aave-v4`). */
export type AaveV4Engine = typeof AAVE_V4_DEFAULTS;

/**
 * The snapshot with every lending market under `mechanism` (validated again). Under `aave-v4`,
 * markets that are not V4 get the fields `v4Engine` gives and, for the others, the snapshot's
 * first V4 spoke's (else `AAVE_V4_DEFAULTS`).
 * @throws UserInputError for an unknown mechanism; SnapshotError (the rewritten market's path) for
 *   engine parameters an `aave-v4` market may not have.
 */
export function snapshotUnderMechanism(
  snapshot: Snapshot,
  mechanism: Mechanism,
  v4Engine: Partial<AaveV4Engine> = {},
): Snapshot {
  if (!MECHANISMS.includes(mechanism))
    throw new UserInputError(
      `unknown mechanism "${String(mechanism)}" (mechanisms: ${MECHANISMS.join(", ")})`,
    );
  const v4 = snapshot.markets.find((m): m is AaveV4MarketData => m.protocol === "aave-v4");
  const base =
    v4 === undefined
      ? AAVE_V4_DEFAULTS
      : {
          targetHealthFactor: v4.targetHealthFactor,
          healthFactorForMaxBonus: v4.healthFactorForMaxBonus,
          liquidationBonusFactor: v4.liquidationBonusFactor,
        };
  const engine: AaveV4Engine = {
    targetHealthFactor: v4Engine.targetHealthFactor ?? base.targetHealthFactor,
    healthFactorForMaxBonus: v4Engine.healthFactorForMaxBonus ?? base.healthFactorForMaxBonus,
    liquidationBonusFactor: v4Engine.liquidationBonusFactor ?? base.liquidationBonusFactor,
  };
  const split =
    mechanism === "aave-v4"
      ? { markets: [...snapshot.markets], positions: [...snapshot.positions] }
      : splitByDynamicConfig(snapshot.markets, snapshot.positions);
  const before = new Map(split.markets.map((m) => [m.id, m] as const));
  const markets = split.markets.map((m) => marketUnderMechanism(m, mechanism, engine));
  const after = new Map(markets.map((m) => [m.id, m] as const));
  const positions = split.positions.map((p) => positionUnder(p, before.get(p.market)!, after.get(p.market)!));
  return parseSnapshot({ ...snapshot, markets, positions });
}
