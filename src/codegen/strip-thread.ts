// Type stripping off the main thread: one worker (strip-worker.ts) holds Node's built-in stripper, which
// blanks TypeScript's types with spaces, so every position in its output is the position in the input
// and no source map is needed. It refuses what cannot be blanked (enums, namespaces, parameter
// properties) and what does not parse; the caller then asks esbuild, whose diagnostics users see.
import { Worker } from 'node:worker_threads';

export interface StripRequest {
  id: number;
  source: string;
}

export type StripReply = { kind: 'ready' } | { kind: 'stripped'; id: number; js: string | undefined };

export interface StripThread {
  /** Starts the thread (the stripper loaded and run once) if it is not running. */
  warm(): Promise<void>;
  /** `source` with its types blanked, or undefined when the stripper refuses it or is unavailable. */
  strip(source: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Far above any program's stripping (100,000 characters take ~60 ms), far below a heap a parse could need. */
const STRIP_MEMORY_MB = 128;

// Under tsx the sources are .ts and the worker inherits the loader; built, they are .js.
const WORKER_URL = new URL(`./strip-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

interface Running {
  worker: Worker;
  ready: Promise<boolean>;
  alive: boolean;
  pending: Map<number, (js: string | undefined) => void>;
}

export function createStripThread(options: { log?(message: string): void } = {}): StripThread {
  const log = options.log ?? ((message: string) => process.stderr.write(`toolshed type-strip: ${message}\n`));
  let running: Running | undefined;
  // A thread that cannot start (a Node built without the stripper) is not started again for every run.
  let unavailable = false;
  let closed = false;
  let nextId = 1;

  function start(): Running {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: STRIP_MEMORY_MB } });
    worker.unref(); // referenced only while a source is being stripped
    let onReady!: (ok: boolean) => void;
    const ready = new Promise<boolean>((resolve) => (onReady = resolve));
    const self: Running = { worker, ready, alive: true, pending: new Map() };
    let started = false;
    worker.on('message', (reply: StripReply) => {
      if (reply.kind === 'ready') return (started = true), onReady(true);
      const answer = self.pending.get(reply.id);
      self.pending.delete(reply.id);
      if (self.pending.size === 0) worker.unref();
      answer?.(reply.js);
    });
    const stopped = (detail: string) => {
      self.alive = false;
      if (running === self) running = undefined;
      if (!started && !closed && !unavailable) {
        unavailable = true;
        log(`the type-strip thread could not start (${detail}); programs are transpiled by esbuild`);
      }
      onReady(false);
      for (const answer of self.pending.values()) answer(undefined); // esbuild takes these programs
      self.pending.clear();
    };
    worker.on('error', (error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return self;
  }

  return {
    async warm() {
      if (closed || unavailable) return;
      running ??= start();
      await running.ready;
    },
    async strip(source) {
      if (closed || unavailable) return undefined;
      const self = (running ??= start());
      if (!(await self.ready) || !self.alive) return undefined;
      return new Promise<string | undefined>((resolve) => {
        const id = nextId++;
        self.pending.set(id, resolve);
        self.worker.ref();
        self.worker.postMessage({ id, source } satisfies StripRequest);
      });
    },
    async close() {
      closed = true;
      const old = running;
      running = undefined;
      if (old) await old.worker.terminate();
    },
  };
}
