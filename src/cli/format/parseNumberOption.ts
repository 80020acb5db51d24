import { UserInputError } from "../../core/errors.js";

/** A finite number given to `flag`. @throws UserInputError naming the flag and the value. */
export function parseNumberOption(flag: string, text: string): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new UserInputError(`${flag} ${text}: not a number`);
  return value;
}

/** An integer of at least `min` given to `flag`. */
export function parseIntegerOption(flag: string, text: string, min: number): number {
  const value = parseNumberOption(flag, text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UserInputError(`${flag} ${text}: expected an integer of at least ${min}`);
  }
  return value;
}

/** `--max-rounds`: absent (the simulation's default) or an integer of at least 1. */
export function parseMaxRoundsOption(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseIntegerOption("--max-rounds", text, 1);
}
