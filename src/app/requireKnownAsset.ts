import { UserInputError } from "../core/errors.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

/** @throws UserInputError naming the flag when `asset` is not listed in the snapshot. */
export function requireKnownAsset(flag: string, asset: string, snapshot: Snapshot): void {
  if (snapshot.assets.some((a) => a.id === asset)) return;
  const known = snapshot.assets
    .map((a) => a.id)
    .slice(0, 20)
    .join(", ");
  throw new UserInputError(`${flag} ${asset}: unknown asset; assets in the snapshot: ${known}`);
}
