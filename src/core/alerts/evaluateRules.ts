/**
 * Applies the configured alert rules to one monitoring cycle's results. Pure: the same view and
 * rules give the same observations, in a stable order. Firing and resolving (with hysteresis)
 * are decided later by `stepAlertBook`, which remembers what was firing.
 */
import type { AlertRule } from "./alertRule.js";
import type { MonitorView, ScenarioOutcome } from "./monitorView.js";
import type { AlertObservation, ThresholdDirection } from "./observation.js";

const usd = (value: number): string => `$${value.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;
const shockText = (shock: Readonly<Record<string, number>>): string =>
  Object.entries(shock)
    .map(([asset, s]) => `${asset} ${s >= 0 ? "+" : ""}${pct(s)}`)
    .join(", ");

function observation(
  rule: AlertRule,
  instance: Readonly<Record<string, string>>,
  value: number,
  threshold: number,
  direction: ThresholdDirection,
  summary: string,
): AlertObservation {
  return {
    labels: { alertname: rule.name, severity: rule.severity, kind: rule.kind, ...instance },
    severity: rule.severity,
    value,
    threshold,
    direction,
    hysteresis: rule.hysteresis,
    summary,
  };
}

function scenariosOf(view: MonitorView, name: string): readonly ScenarioOutcome[] {
  return name === "*" ? view.scenarios : view.scenarios.filter((s) => s.name === name);
}

/** Observations of one rule on one view. */
export function evaluateRule(rule: AlertRule, view: MonitorView): AlertObservation[] {
  switch (rule.kind) {
    case "scenarioLiquidations":
      return scenariosOf(view, rule.scenario).map((s) =>
        observation(
          rule,
          { scenario: s.name },
          s.repaidUsd,
          rule.thresholdUsd,
          "above",
          `${s.name} (${shockText(s.shock)}): ${s.liquidations} liquidations repay ${usd(s.repaidUsd)} (threshold ${usd(rule.thresholdUsd)}), ${s.rounds} rounds`,
        ),
      );
    case "scenarioBadDebt":
      return scenariosOf(view, rule.scenario).map((s) =>
        observation(
          rule,
          { scenario: s.name },
          s.badDebtUsd,
          rule.thresholdUsd,
          "above",
          `${s.name} (${shockText(s.shock)}): bad debt ${usd(s.badDebtUsd)} (threshold ${usd(rule.thresholdUsd)})`,
        ),
      );
    case "amplification":
      return scenariosOf(view, rule.scenario).map((s) => {
        const worst = Object.entries(s.amplification).reduce<[string, number]>(
          (best, [asset, ratio]) => (ratio > best[1] ? [asset, ratio] : best),
          ["", 1],
        );
        return observation(
          rule,
          { scenario: s.name },
          worst[1],
          rule.ratio,
          "above",
          `${s.name} (${shockText(s.shock)}): amplification ${worst[1].toFixed(3)}${worst[0] === "" ? "" : ` on ${worst[0]}`} (threshold ${rule.ratio})`,
        );
      });
    case "crossProtocolCascade":
      return scenariosOf(view, rule.scenario).map((s) =>
        observation(
          rule,
          { scenario: s.name },
          s.crossProtocolLiquidations,
          rule.minLiquidations,
          "atLeast",
          `${s.name} (${shockText(s.shock)}): ${s.crossProtocolLiquidations} cross-protocol liquidations over ${s.rounds} rounds`,
        ),
      );
    case "criticalShock":
      return view.criticalShocks
        .filter((c) => rule.asset === "*" || c.asset === rule.asset)
        .map((c) => {
          // No cascade anywhere in [-0.99, 0] counts as the largest possible magnitude.
          const magnitude = c.cascadeShock === null ? 1 : Math.abs(c.cascadeShock);
          return observation(
            rule,
            { asset: c.asset },
            magnitude,
            rule.belowMagnitude,
            "below",
            `${c.asset}: a ${pct(magnitude)} drop starts a cascade (threshold ${pct(rule.belowMagnitude)})${c.badDebtShock === null ? "" : `; bad debt from ${pct(Math.abs(c.badDebtShock))}`}`,
          );
        });
    case "positionAtRisk":
      return view.positionsAtRisk
        .filter((p) => p.debtUsd >= rule.minDebtUsd)
        .map((p) =>
          observation(
            rule,
            { market: p.market, account: p.account, protocol: p.protocol },
            p.healthFactor,
            rule.maxHealthFactor,
            "below",
            `${p.protocol} ${p.account}: debt ${usd(p.debtUsd)}, collateral ${usd(p.collateralUsd)}, health factor ${p.healthFactor.toFixed(4)} (bound ${rule.maxHealthFactor})`,
          ),
        );
    case "dataStale":
      return [
        observation(
          rule,
          {},
          view.snapshotAgeSeconds,
          rule.maxAgeSeconds,
          "above",
          `snapshot is ${Math.round(view.snapshotAgeSeconds)} s old (limit ${rule.maxAgeSeconds} s)`,
        ),
      ];
  }
}

/** Observations of every rule, in rule order then instance order. */
export function evaluateRules(rules: readonly AlertRule[], view: MonitorView): AlertObservation[] {
  return rules.flatMap((rule) => evaluateRule(rule, view));
}
