/**
 * Parses a risk-parameter override: `<marketId>:<field path>=<value>`, e.g.
 * `aave-v3:1:0x8787…:WETH.liquidationThreshold=0.8`, `morpho-blue:1:0xb323…:lltv=0.9`,
 * `aave-v3:1:0x8787…:emode.1.liquidationBonus=0.02`, `compound-v3:1:0xc3d6…:sellsAbsorbed=false`;
 * an oracle is named `oracle:<id>`, e.g. `oracle:wstETH:scale=1.19`. Market ids contain colons,
 * so the field path is what follows the last colon before `=`.
 */
import { UserInputError } from "../errors.js";
import { asMarketId, type MarketId } from "../ids.js";

export interface Override {
  /** The text it was parsed from, for messages. */
  readonly text: string;
  readonly market: MarketId;
  /** Dot-separated path inside the market, e.g. `["WETH", "liquidationThreshold"]`. */
  readonly path: readonly string[];
  /** A number; a string for `liquidationLogic`; true or false for `sellsAbsorbed`. */
  readonly value: number | string | boolean;
}

/** @throws UserInputError when the text is not `<marketId>:<field>=<value>`. */
export function parseOverride(text: string): Override {
  const expected = "expected <marketId>:<field>=<value>, e.g. morpho-blue:1:0xb323…:lltv=0.9";
  const eq = text.indexOf("=");
  if (eq < 0) throw new UserInputError(`override "${text}" has no "=": ${expected}`);
  const left = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const colon = left.lastIndexOf(":");
  if (colon <= 0 || colon === left.length - 1) {
    throw new UserInputError(`override "${text}" names no market or no field: ${expected}`);
  }
  const market = left.slice(0, colon);
  const path = left.slice(colon + 1).split(".");
  if (path.some((p) => p === ""))
    throw new UserInputError(`override "${text}" has an empty field name: ${expected}`);
  if (raw === "") throw new UserInputError(`override "${text}" has no value: ${expected}`);
  const field = path[path.length - 1];
  if (field === "sellsAbsorbed") {
    if (raw !== "true" && raw !== "false") {
      throw new UserInputError(`override "${text}": sellsAbsorbed takes true or false, got "${raw}"`);
    }
    return { text, market: asMarketId(market), path, value: raw === "true" };
  }
  const value = field === "liquidationLogic" ? raw : Number(raw);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new UserInputError(`override "${text}": value "${raw}" is not a number`);
  }
  return { text, market: asMarketId(market), path, value };
}
