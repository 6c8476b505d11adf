// Progress lines on stderr for steps a person waits on (loading a catalog, building the index, bench
// replays). A step says nothing unless it is still running after PROGRESS_AFTER_MS, so quick runs stay
// quiet; nothing at all when stderr is not a terminal (a client's log, CI) unless --progress asks.
export const PROGRESS_AFTER_MS = 1_000;

export interface Progress {
  /** Runs `work`; if it takes longer than the threshold, says so when it starts to be long and when it ends. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export const NO_PROGRESS: Progress = { step: (_label, work) => work() };

export interface ProgressOptions {
  /** --progress; otherwise on only when the stream is a terminal. */
  forced?: boolean;
  stream?: { isTTY?: boolean; write(text: string): unknown };
  /** Env TOOLSHED_PROGRESS_AFTER_MS overrides the default (0: every step). */
  afterMs?: number;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!options.forced && !stream.isTTY) return NO_PROGRESS;
  const fromEnv = Number(process.env.TOOLSHED_PROGRESS_AFTER_MS);
  const afterMs = options.afterMs ?? (Number.isFinite(fromEnv) && process.env.TOOLSHED_PROGRESS_AFTER_MS !== '' ? fromEnv : PROGRESS_AFTER_MS);
  return {
    async step(label, work) {
      const started = performance.now();
      let said = false;
      const timer = setTimeout(() => {
        said = true;
        stream.write(`toolshed: ${label}…\n`);
      }, afterMs);
      try {
        return await work();
      } finally {
        clearTimeout(timer);
        if (said) stream.write(`toolshed: ${label}: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      }
    },
  };
}
