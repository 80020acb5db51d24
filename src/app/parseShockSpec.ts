import { SHOCK_MAX } from "../config/schema/scenarios.js";
import { UserInputError } from "../core/errors.js";

const EXAMPLE = "e.g. WETH=-0.2 or WETH=-20%,WBTC=-0.1";

/**
 * Parses `WETH=-0.2,WBTC=-10%` (one or several texts, each comma-separated) into a shock
 * `{WETH: -0.2, WBTC: -0.1}`. A value is a fraction above -1, or a percent above -100%.
 * When `knownAssets` is given, every asset must be one of them.
 * @throws UserInputError naming the bad part and what would be right.
 */
export function parseShockSpec(
  texts: readonly string[],
  knownAssets?: readonly string[],
): Record<string, number> {
  const shock: Record<string, number> = {};
  const parts = texts.flatMap((text) => text.split(",")).map((part) => part.trim());
  if (parts.length === 0 || parts.every((p) => p === "")) {
    throw new UserInputError(`--shock is empty; expected ASSET=FRACTION, ${EXAMPLE}`);
  }
  for (const part of parts) {
    const match = /^([^=\s]+)\s*=\s*(.*)$/.exec(part);
    if (match === null) throw new UserInputError(`--shock "${part}": expected ASSET=FRACTION, ${EXAMPLE}`);
    const asset = match[1] ?? "";
    const raw = (match[2] ?? "").trim();
    const percent = raw.endsWith("%");
    const numberText = percent ? raw.slice(0, -1).trim() : raw;
    const value = numberText === "" ? Number.NaN : Number(numberText) / (percent ? 100 : 1);
    if (!Number.isFinite(value)) {
      throw new UserInputError(
        `--shock ${asset}=${raw}: "${raw}" is not a number; expected a fraction above -1, ${EXAMPLE}`,
      );
    }
    if (value <= -1) {
      throw new UserInputError(
        `--shock ${asset}=${raw}: a price cannot fall 100% or more; expected a fraction above -1 (-0.2 = a 20% drop)`,
      );
    }
    if (value > SHOCK_MAX) {
      throw new UserInputError(
        `--shock ${asset}=${raw}: at most +${SHOCK_MAX * 100}% (a doubling); expected a fraction in (-1, ${SHOCK_MAX}]`,
      );
    }
    if (asset in shock) throw new UserInputError(`--shock names ${asset} twice; give each asset once`);
    if (knownAssets !== undefined && !knownAssets.includes(asset)) {
      const list = knownAssets.slice(0, 20).join(", ");
      throw new UserInputError(
        `--shock ${asset}=${raw}: unknown asset "${asset}"; assets in the snapshot: ${list}`,
      );
    }
    shock[asset] = value;
  }
  return shock;
}

/** @throws UserInputError when the shock names an asset the snapshot does not list. */
export function requireKnownShockAssets(
  shock: Readonly<Record<string, number>>,
  knownAssets: readonly string[],
): void {
  for (const asset of Object.keys(shock)) {
    if (!knownAssets.includes(asset)) {
      throw new UserInputError(
        `--shock ${asset}: unknown asset "${asset}"; assets in the snapshot: ${knownAssets.slice(0, 20).join(", ")}`,
      );
    }
  }
}
