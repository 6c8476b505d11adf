// The type-strip thread's entry point: Node's own TypeScript stripper (module.stripTypeScriptTypes, swc
// compiled to WebAssembly) runs here, so neither its start-up (~150 ms) nor a large program's parse
// (~0.6 µs a character) holds the host's event loop. It answers one source at a time.
import { stripTypeScriptTypes } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { StripReply, StripRequest } from './strip-thread.js';

const port = parentPort;
if (!port) throw new Error('strip-worker runs only as a worker thread');

// The stripper announces itself as experimental once per thread: that notice, and only it, says nothing
// a toolshed user can act on.
const emitWarning = process.emitWarning;
process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  if (type === 'ExperimentalWarning' && text.includes('stripTypeScriptTypes')) return;
  return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
} as typeof process.emitWarning;

stripTypeScriptTypes('let warm: number = 0;');
port.postMessage({ kind: 'ready' } satisfies StripReply);

port.on('message', (request: StripRequest) => {
  let js: string | undefined;
  try {
    js = stripTypeScriptTypes(request.source, { mode: 'strip' });
  } catch {
    js = undefined; // syntax it refuses (enums, namespaces) or cannot parse: the caller asks esbuild
  }
  port.postMessage({ kind: 'stripped', id: request.id, js } satisfies StripReply);
});
