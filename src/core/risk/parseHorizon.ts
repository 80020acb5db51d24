import { UserInputError } from "../errors.js";

const UNIT_HOURS: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 24 * 7, y: 24 * 365 };

/**
 * `24h`, `90m`, `7d`, `2w`, `1y` (a bare number is hours) → hours.
 * @throws UserInputError naming `what` when the text is not a positive duration.
 */
export function parseHorizonHours(text: string, what = "--horizon"): number {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([mhdwy]?)\s*$/i.exec(text);
  const hours =
    match === null
      ? Number.NaN
      : Number(match[1]) * (UNIT_HOURS[(match[2] || "h").toLowerCase()] ?? Number.NaN);
  if (!(Number.isFinite(hours) && hours > 0))
    throw new UserInputError(`${what} ${text}: expected a duration above 0 such as 24h, 90m, 7d or 1y`);
  return hours;
}
