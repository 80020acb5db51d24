/**
 * The single-process daemon's checkpoint: newest results, alert book and cycle number in one JSON
 * file, written atomically (temporary file, then rename) so a crash never leaves half a file.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import { UserInputError } from "../../core/errors.js";
import type { MonitorResults } from "./monitorResults.js";

export const CHECKPOINT_SCHEMA = "cascade-monitor-checkpoint/1";

export interface DaemonCheckpoint {
  readonly schema: typeof CHECKPOINT_SCHEMA;
  readonly version: number;
  readonly results?: MonitorResults;
  readonly alertBook?: AlertBookState;
}

/** Reads a checkpoint; a missing file is a cold start (undefined), an unreadable one a UserInputError. */
export async function readCheckpoint(file: string): Promise<DaemonCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserInputError(`checkpoint ${file}: cannot read it`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new UserInputError(`checkpoint ${file}: not JSON; delete it for a cold start`, { cause });
  }
  const c = parsed as Partial<DaemonCheckpoint> | null;
  if (c === null || c.schema !== CHECKPOINT_SCHEMA || typeof c.version !== "number") {
    throw new UserInputError(
      `checkpoint ${file}: schema must be "${CHECKPOINT_SCHEMA}"; delete it for a cold start`,
    );
  }
  return c as DaemonCheckpoint;
}

export async function writeCheckpoint(
  file: string,
  checkpoint: Omit<DaemonCheckpoint, "schema">,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ schema: CHECKPOINT_SCHEMA, ...checkpoint }));
  await rename(temporary, file);
}
