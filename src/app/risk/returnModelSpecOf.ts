/** The return-model spec of the `risk.var` config section (what `buildReturnModel` takes). */
import type { VarSection } from "../../config/schema/risk.js";
import type { ReturnModelSpec } from "../../core/risk/buildReturnModel.js";

export function returnModelSpecOf(section: VarSection): ReturnModelSpec {
  return {
    volatilities: section.volatilities,
    defaultVolatility: section.defaultVolatility,
    correlations: section.correlations,
    defaultCorrelation: section.defaultCorrelation,
    tails: section.tails,
    correlationSource: "risk.var.correlations",
  };
}
