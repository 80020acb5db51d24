/**
 * A worker thread spoken to by request and answer: each request carries an id, the thread answers
 * it with the same id, `ok: true` and its fields, or with a failure that says whether the input
 * was at fault. A thread that fails or stops answers every pending request with a failure, and
 * any later request at once.
 */
import type { Worker } from "node:worker_threads";
import { TransientError, UserInputError } from "../../core/errors.js";
import { startWorkerThread } from "./startWorkerThread.js";

/** A request the thread could not serve. */
export interface ThreadFailure {
  readonly id: number;
  readonly ok: false;
  readonly message: string;
  /** True when the request itself was wrong (not retryable). */
  readonly userError: boolean;
}

export interface RequestThread<
  Request extends { readonly id: number },
  Answer extends { readonly ok: true },
> {
  /**
   * Posts `request` and resolves with its answer.
   * @throws UserInputError when the request was wrong; TransientError when the thread failed or stopped.
   */
  call(request: Request): Promise<Answer>;
  terminate(): Promise<number>;
}

/**
 * Starts `moduleName` (next to `callerUrl`, see `startWorkerThread`); `label` names it in failure
 * messages; `onStop` runs once the thread failed or exited (a pool drops it there).
 */
export function startRequestThread<
  Request extends { readonly id: number },
  Answer extends { readonly id: number; readonly ok: true },
>(moduleName: string, callerUrl: string, label: string, onStop: () => void): RequestThread<Request, Answer> {
  const worker: Worker = startWorkerThread(moduleName, callerUrl);
  const pending = new Map<number, (response: Answer | ThreadFailure) => void>();
  let stopped: string | undefined;
  worker.on("message", (response: Answer | ThreadFailure) => {
    pending.get(response.id)?.(response);
    pending.delete(response.id);
  });
  const stop = (message: string) => {
    if (stopped !== undefined) return;
    stopped = message;
    for (const [id, resolve] of pending) resolve({ id, ok: false, message, userError: false });
    pending.clear();
    onStop();
  };
  worker.on("error", (error) => stop(`${label} failed: ${error.message}`));
  worker.on("exit", () => stop(`${label} stopped`));
  return {
    async call(request) {
      if (stopped !== undefined) throw new TransientError(stopped);
      const response = await new Promise<Answer | ThreadFailure>((resolve) => {
        pending.set(request.id, resolve);
        worker.postMessage(request);
      });
      if (response.ok) return response;
      if (response.userError) throw new UserInputError(response.message);
      throw new TransientError(response.message);
    },
    terminate: () => worker.terminate(),
  };
}
