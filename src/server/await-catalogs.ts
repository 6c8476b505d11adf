// Answer first, load after: a meta-tool call that arrives while the catalogs load waits for them, telling
// the client how far loading has come (notifications/progress, when it sent a progressToken), and gives
// up with a `loading` result after a bound, so no call hangs on a slow catalog.
import type { CallToolResult, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { LoadState, Toolshed } from '../toolshed.js';
import { failure } from './tool-result.js';

/** Below the 60 s request timeout of common MCP clients, so the model reads our answer, not a timeout. */
export const READY_WAIT_MS_DEFAULT = 30_000;

export interface WaitContext {
  signal: AbortSignal;
  progressToken?: string | number;
  sendNotification(notification: ServerNotification): Promise<void>;
}

/** The catalogs are ready (go on, after the loading progress already sent, if any), or the result to answer with. */
export type Waited = { result: CallToolResult } | { ready: true; progressSent?: number };

export async function awaitCatalogs(toolshed: Toolshed, ctx: WaitContext, waitMs: number): Promise<Waited> {
  const now = toolshed.loadState();
  if (now.state === 'ready') return { ready: true };
  if (now.state === 'failed') return { result: failed(now) };
  const notifications: Array<Promise<void>> = [];
  let sent = -1;
  const report = (state: LoadState) => {
    // Progress must increase with each notification: one per completed step.
    if (ctx.progressToken === undefined || state.done <= sent) return;
    sent = state.done;
    const params = { progressToken: ctx.progressToken, progress: state.done, total: state.total, message: `loading catalogs: ${state.message}` };
    notifications.push(ctx.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined));
  };
  report(now);
  const unsubscribe = toolshed.onLoadStep(report);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race([
    toolshed.ready.then(
      () => 'ready' as const,
      () => 'failed' as const,
    ),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs))),
    new Promise<'cancelled'>((resolve) => {
      onAbort = () => resolve('cancelled');
      if (ctx.signal.aborted) onAbort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  unsubscribe();
  // Progress must reach the client before the result: it drops progress for a finished request.
  await Promise.all(notifications);
  const state = toolshed.loadState();
  if (outcome === 'ready') return { ready: true, ...(sent >= 0 ? { progressSent: sent } : {}) };
  if (outcome === 'failed') return { result: failed(state) };
  if (outcome === 'cancelled') return { result: failure({ code: 'cancelled', message: 'cancelled while the catalogs were loading' }) };
  const result = failure({
    code: 'loading',
    message: `the catalogs are still loading (${state.done} of ${state.total} steps done, last: ${state.message}; waited ${(waitMs / 1000).toFixed(1)} s)`,
    next: 'Nothing was run. Call again in a few seconds.',
  });
  return { result };
}

/**
 * The call's own progress (run_code's calls, an upstream's) for a client that already heard loading
 * progress up to `sent`: shifted above it, since progress must increase within one request.
 */
export function progressAbove(send: WaitContext['sendNotification'], sent: number): WaitContext['sendNotification'] {
  const base = sent + 1;
  return (notification) => {
    if (notification.method !== 'notifications/progress') return send(notification);
    const { progress, total } = notification.params;
    return send({ ...notification, params: { ...notification.params, progress: progress + base, ...(total !== undefined ? { total: total + base } : {}) } });
  };
}

function failed(state: LoadState): CallToolResult {
  return failure({ code: 'loading', message: `the catalogs could not be loaded (${state.message})`, next: "Tell the user: the server's stderr says which source failed and why." });
}
