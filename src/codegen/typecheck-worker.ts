// The type-check thread's entry point: the TypeScript compiler lives here, never on the main thread, so
// no program's types (however recursive) can hold the host's event loop. It warms itself (lib files
// parsed, one check done) before saying it is ready, then answers one check at a time.
import { parentPort } from 'node:worker_threads';
import { createTypeChecker } from './typecheck.js';
import type { CheckReply, CheckRequest } from './typecheck-thread.js';

const port = parentPort;
if (!port) throw new Error('typecheck-worker runs only as a worker thread');

const checker = createTypeChecker();
checker.check('return 0', '');
port.postMessage({ kind: 'ready' } satisfies CheckReply);

port.on('message', (request: CheckRequest) => {
  let reply: CheckReply;
  try {
    reply = { kind: 'checked', id: request.id, issues: checker.check(request.code, request.declarations) };
  } catch (error) {
    reply = { kind: 'failed', id: request.id, detail: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
