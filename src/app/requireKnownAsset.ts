import { UserInputError } from "../core/errors.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

/**
 * The snapshot's entry for `asset`.
 * @throws UserInputError naming the flag when `asset` is not listed in the snapshot.
 */
export function requireKnownAsset(
  flag: string,
  asset: string,
  snapshot: Snapshot,
): Snapshot["assets"][number] {
  const known = snapshot.assets.find((a) => a.id === asset);
  if (known !== undefined) return known;
  const listed = snapshot.assets
    .map((a) => a.id)
    .slice(0, 20)
    .join(", ");
  throw new UserInputError(`${flag} ${asset}: unknown asset; assets in the snapshot: ${listed}`);
}
