/**
 * Reads a price path CSV: a header `timestamp,<asset>,<asset>…`, then one row per step with a
 * timestamp (any text, e.g. ISO 8601) and each asset's USD price. `#` starts a comment line.
 */
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { UserInputError } from "../../core/errors.js";
import type { PricePath } from "../../core/risk/replayPricePath.js";

/** @throws UserInputError naming the line and column of the first bad cell. */
export function parsePricePathCsv(text: string, name = "price path"): PricePath {
  let rows: string[][];
  try {
    rows = parse(text, { comment: "#", skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new UserInputError(
      `${name}: not a CSV file (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const [header, ...body] = rows;
  if (header === undefined || header[0] !== "timestamp" || header.length < 2)
    throw new UserInputError(
      `${name}: the first line must be "timestamp,<asset>,…", e.g. timestamp,WETH,WBTC`,
    );
  const assets = header.slice(1);
  if (new Set(assets).size !== assets.length)
    throw new UserInputError(`${name}: an asset is listed twice in the header`);
  if (body.length < 2)
    throw new UserInputError(`${name}: needs at least two rows of prices (a start and one step)`);
  const steps = body.map((row, r) => {
    if (row.length !== header.length)
      throw new UserInputError(`${name}: row ${r + 2} has ${row.length} cells, the header ${header.length}`);
    const pricesUsd = row.slice(1).map((cell, i) => {
      const price = Number(cell);
      if (cell === "" || !Number.isFinite(price) || price <= 0)
        throw new UserInputError(`${name}: row ${r + 2}, ${assets[i]}: "${cell}" is not a price above 0`);
      return price;
    });
    return { timestamp: row[0] ?? "", pricesUsd };
  });
  return { assets, steps };
}

export async function loadPricePathCsv(path: string): Promise<PricePath> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read price path ${path}`, { cause: error });
  }
  return parsePricePathCsv(text, path);
}
