import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHECKPOINT_SCHEMA,
  checkpointWriter,
  readCheckpoint,
} from "../../../src/adapters/store/checkpointFile.js";
import { UserInputError } from "../../../src/core/errors.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cm-checkpoint-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkpoint file", () => {
  it("refuses a file that is JSON but malformed inside, naming the field and the way out", async () => {
    const file = join(dir, "bad.json");
    await writeFile(
      file,
      JSON.stringify({ schema: CHECKPOINT_SCHEMA, version: 3, results: { version: "three" }, pending: [{}] }),
    );
    const error = await readCheckpoint(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(
      `checkpoint ${file}: results.version: Invalid input: expected number, received string; delete it for a cold start`,
    );
    await writeFile(file, JSON.stringify({ schema: CHECKPOINT_SCHEMA, version: -1 }));
    await expect(readCheckpoint(file)).rejects.toThrow(/version: .*delete it for a cold start/);
  });

  it("writes one state at a time: the last write asked for is what a reader finds", async () => {
    const file = join(dir, "serial.json");
    const writer = checkpointWriter(file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write({ version: i, pending: [] })));
    expect((await readCheckpoint(file))?.version).toBe(19);
  });
});
