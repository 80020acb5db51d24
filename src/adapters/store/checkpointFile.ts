/**
 * The single-process daemon's checkpoint: newest results, alert book, cycle number and the
 * deliveries still pending, in one JSON file written atomically (temporary file, then rename) so
 * a crash never leaves half a file. Writes are serialised: the last state asked for is on disk
 * once `write` resolves.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import { UserInputError } from "../../core/errors.js";
import { formatPath } from "../../core/snapshot/schema.js";
import type { PendingDelivery } from "../sinks/pendingDelivery.js";
import type { MonitorResults } from "./monitorResults.js";

export const CHECKPOINT_SCHEMA = "cascade-monitor-checkpoint/1";

export interface DaemonCheckpoint {
  readonly schema: typeof CHECKPOINT_SCHEMA;
  readonly version: number;
  readonly results?: MonitorResults;
  readonly alertBook?: AlertBookState;
  /** Deliveries dispatched but not yet delivered or given up: sent again after a restart. */
  readonly pending?: readonly PendingDelivery[];
}

const record = z.record(z.string(), z.unknown());
/** The parts the daemon reads before trusting the rest: a file that is JSON but not a checkpoint is refused. */
const checkpointShape = z.object({
  schema: z.literal(CHECKPOINT_SCHEMA),
  version: z.int().min(0),
  results: z
    .looseObject({
      version: z.int().min(0),
      snapshotTakenAtMs: z.number(),
      computedAtMs: z.number(),
      blocks: z.record(z.string(), z.number()),
      heads: z.record(z.string(), z.number()),
      book: z.looseObject({ markets: z.array(record), exposures: z.array(record) }),
      scenarios: z.array(record),
      curves: z.array(record),
      criticalShocks: z.array(record),
      positionsAtRisk: z.array(record),
    })
    .optional(),
  alertBook: z.looseObject({ alerts: z.array(record), groups: z.array(record) }).optional(),
  pending: z
    .array(
      z.object({
        sink: z.string(),
        notification: z.looseObject({ id: z.string(), status: z.enum(["firing", "resolved"]) }),
      }),
    )
    .optional(),
});

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
  const c = parsed as { schema?: unknown } | null;
  if (c === null || typeof c !== "object" || c.schema !== CHECKPOINT_SCHEMA) {
    throw new UserInputError(
      `checkpoint ${file}: schema must be "${CHECKPOINT_SCHEMA}"; delete it for a cold start`,
    );
  }
  const checked = checkpointShape.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UserInputError(
      `checkpoint ${file}: ${formatPath(issue?.path ?? [])}: ${issue?.message ?? "malformed"}; delete it for a cold start`,
    );
  }
  return parsed as DaemonCheckpoint;
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

/** Serialised writes of one checkpoint file: concurrent callers never race on the temporary file. */
export function checkpointWriter(file: string) {
  let chain: Promise<void> = Promise.resolve();
  return {
    write(checkpoint: Omit<DaemonCheckpoint, "schema">): Promise<void> {
      const next = chain.then(() => writeCheckpoint(file, checkpoint));
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
