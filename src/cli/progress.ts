/**
 * Progress of long work on stderr, for people: a bar redrawn in place (cli-progress) when stderr
 * is a terminal, nothing at all otherwise, so pipes and CI logs carry only results and errors.
 */
import { SingleBar } from "cli-progress";
import { isTerminal } from "./cliLogger.js";

export interface Progress {
  /** Moves the bar to `value` of `total` (unchanged when omitted) with a line of detail. */
  update(detail: string, value?: number, total?: number): void;
  /** One more step done. */
  tick(detail: string): void;
  /** Removes the bar; what follows starts on a clean line. */
  done(): void;
}

const QUIET: Progress = { update: () => undefined, tick: () => undefined, done: () => undefined };

export function createProgress(stderr: NodeJS.WritableStream, label: string, total: number): Progress {
  if (!isTerminal(stderr)) return QUIET;
  const bar = new SingleBar({
    stream: stderr as NodeJS.WriteStream,
    format: `${label} [{bar}] {value}/{total} {detail}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    linewrap: false,
    fps: 10,
    barCompleteChar: "#",
    barIncompleteChar: "-",
  });
  let value = 0;
  let max = Math.max(1, total);
  let started = false;
  const render = (detail: string) => {
    if (!started) {
      bar.start(max, value, { detail });
      started = true;
    } else {
      bar.setTotal(max);
      bar.update(value, { detail });
    }
  };
  return {
    update(detail, nextValue, nextTotal) {
      if (nextTotal !== undefined) max = Math.max(1, nextTotal);
      if (nextValue !== undefined) value = Math.min(nextValue, max);
      render(detail);
    },
    tick(detail) {
      value = Math.min(value + 1, max);
      render(detail);
    },
    done() {
      if (started) bar.stop();
      started = false;
    },
  };
}
