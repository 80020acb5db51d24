/**
 * Use case: read a snapshot file, JSON or Arrow (told apart by the Arrow file's magic bytes),
 * decode it, validate it (and compile its book). Every failure is a UserInputError naming the file and what is wrong in it.
 */
import { readFile } from "node:fs/promises";
import { isArrowFile } from "../adapters/snapshot/arrowSnapshotLayout.js";
import { readArrowBook, readArrowSnapshot } from "../adapters/snapshot/decodeArrowSnapshot.js";
import type { Book } from "../core/book/book.js";
import { compileBook } from "../core/book/compileBook.js";
import { SnapshotError, UserInputError } from "../core/errors.js";
import { parseSnapshot } from "../core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";
import { jsonErrorPosition, lineColumn } from "./jsonErrorPosition.js";

const READ_PROBLEMS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, expected a JSON or Arrow file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ERR_STRING_TOO_LONG: "larger than the 512 MB of text Node can decode at once",
};

/** A validated snapshot and its compiled book. */
export interface LoadedBook {
  readonly snapshot: Snapshot;
  /** Equal to `compileBook(snapshot)`. */
  readonly book: Book;
}

/** Reads and validates a snapshot file. @throws UserInputError (SnapshotError for a bad field). */
export async function loadSnapshotFile(path: string): Promise<Snapshot> {
  const bytes = await readSnapshotBytes(path);
  return namingFile(path, () =>
    isArrowFile(bytes) ? readArrowSnapshot(bytes) : parseSnapshot(decodeJson(path, textOf(path, bytes))),
  );
}

/**
 * Reads and validates a snapshot file and compiles its book. An Arrow file is compiled from its
 * columns, with no object per position unless `snapshot.positions` is read.
 * @throws UserInputError (SnapshotError for a bad field), as `loadSnapshotFile`.
 */
export async function loadBookFile(path: string): Promise<LoadedBook> {
  const bytes = await readSnapshotBytes(path);
  return namingFile(path, () => {
    if (isArrowFile(bytes)) return readArrowBook(bytes);
    const snapshot = parseSnapshot(decodeJson(path, textOf(path, bytes)));
    return { snapshot, book: compileBook(snapshot) };
  });
}

/** Runs `read`, putting the file's name into its SnapshotError or UserInputError. */
function namingFile<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SnapshotError) {
      throw new SnapshotError(
        error.path,
        `${error.message.slice(error.path === "" ? 0 : error.path.length + 2)} (in ${path})`,
        { cause: error },
      );
    }
    if (error instanceof UserInputError && !error.message.includes(path)) {
      throw new UserInputError(`snapshot file ${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function readProblem(path: string, error: unknown): UserInputError {
  const code = (error as { code?: unknown }).code;
  const problem = typeof code === "string" ? (READ_PROBLEMS[code] ?? code) : "unreadable";
  return new UserInputError(`cannot read snapshot file ${path}: ${problem}`, { cause: error });
}

async function readSnapshotBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw readProblem(path, error);
  }
}

function textOf(path: string, bytes: Buffer): string {
  try {
    return bytes.toString("utf8");
  } catch (error) {
    throw readProblem(path, error);
  }
}

/** JSON.parse with the position of the first syntax error as line and column. */
export function decodeJson(path: string, text: string): unknown {
  // A byte-order mark is not JSON but editors write one; skip it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Keep V8's reason, drop its quote of the input and its own position wording.
    const short = reason.split(/, "|, \.\.\.| in JSON at position/)[0] ?? reason;
    const position = jsonErrorPosition(body) ?? body.length;
    const { line, column } = lineColumn(body, position);
    throw new UserInputError(
      `snapshot file ${path} is not valid JSON: ${short} at line ${line} column ${column}`,
      {
        cause: error,
        details: { position },
      },
    );
  }
}
