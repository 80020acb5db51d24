import { TransientError } from "../../core/errors.js";

/** One batched read's outcome as `readContractsBatched` returns it (undefined when missing). */
type ReadOutcome = { status: string; result?: unknown; error?: unknown } | undefined;

/**
 * The result reader of `protocol`'s batched reads: a call's value, or a TransientError
 * (`<protocol>: <what> failed`, cause the call's error) since the next block may read it fine.
 */
export function mustSucceedFor(protocol: string): (result: ReadOutcome, what: string) => unknown {
  return (result, what) => {
    if (result?.status !== "success")
      throw new TransientError(`${protocol}: ${what} failed`, { cause: result?.error });
    return result.result;
  };
}
