/**
 * One small error hierarchy for the whole project.
 *
 * Every error has a short message that says what is wrong and what to do, optional
 * structured details, and a cause chain. `retryable` tells the job layer whether
 * trying again can help (an RPC timeout) or cannot (a malformed snapshot).
 */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface CascadeErrorOptions {
  readonly details?: ErrorDetails;
  readonly cause?: unknown;
}

export abstract class CascadeError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  readonly details: ErrorDetails;

  constructor(message: string, options: CascadeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

/** Bad input from a user: a flag, a config key, a snapshot field. Never retried; the CLI exits 2. */
export class UserInputError extends CascadeError {
  readonly code: string = "USER_INPUT";
  readonly retryable = false;
}

/** A snapshot that breaks `cascade-snapshot/1`; `path` names the first bad field (e.g. `positions[3].debt.USDC`). */
export class SnapshotError extends UserInputError {
  override readonly code = "SNAPSHOT_INVALID";
  readonly path: string;

  constructor(path: string, problem: string, options: CascadeErrorOptions = {}) {
    super(path === "" ? problem : `${path}: ${problem}`, options);
    this.path = path;
  }
}

/** A failure outside the process that may pass on its own (RPC timeout, 429, Redis reconnecting). */
export class TransientError extends CascadeError {
  readonly code: string = "TRANSIENT";
  readonly retryable = true;
}

/** A failure that retrying cannot fix (wrong chain id, a revert, a deep reorg). */
export class FatalError extends CascadeError {
  readonly code: string = "FATAL";
  readonly retryable = false;
}

export function isCascadeError(error: unknown): error is CascadeError {
  return error instanceof CascadeError;
}
