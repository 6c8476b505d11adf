// Task replays call the real operations, once per mode (static, dynamic, code): a task that sends an
// SMS sends three. Tasks that write (an HTTP method other than GET/HEAD/OPTIONS, or an MCP tool not
// marked read-only) run only with --allow-writes, and are listed before anything is sent.
import type { ToolEntry } from '../catalog/tool-entry.js';
import { routeOf } from '../catalog/tool-entry.js';
import { ConfigError } from '../errors.js';
import { REPLAY_MODES } from './replay.js';
import type { BenchTask } from './task-file.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function writes(entry: ToolEntry): boolean {
  return entry.binding.kind === 'http' ? !READ_METHODS.has(entry.binding.method.toUpperCase()) : entry.annotations.readOnlyHint !== true;
}

/** "task 3 "Open an issue…": github.issues_create (POST /repos/{owner}/{repo}/issues)", one per writing task. */
export function writingTasks(tasks: readonly BenchTask[], toolById: (id: string) => ToolEntry | undefined): string[] {
  return tasks.flatMap((task, i) => {
    const writers = [...new Set(task.steps.map((s) => s.tool))].map((id) => toolById(id)).filter((t): t is ToolEntry => t !== undefined && writes(t));
    if (!writers.length) return [];
    const what = writers.map((t) => `${t.id}${routeOf(t) ? ` (${routeOf(t)})` : ' (MCP tool not marked read-only)'}`).join(', ');
    return [`task ${i + 1} "${task.task.length > 60 ? `${task.task.slice(0, 59)}…` : task.task}": ${what}`];
  });
}

/**
 * Refuses writing tasks without `allowWrites`; with it, returns the notice to print before the replays.
 * `target` says where the calls go (the spec's servers, or the --server override).
 */
export function checkWrites(listed: string[], allowWrites: boolean, target: string): string | undefined {
  if (!listed.length) return undefined;
  const times = `each is replayed ${REPLAY_MODES.length} times (${REPLAY_MODES.join(', ')}), so each of its writes happens ${REPLAY_MODES.length} times`;
  const list = listed.map((l) => `  ${l}`).join('\n');
  if (!allowWrites) {
    throw new ConfigError(`${listed.length} task(s) would write to ${target}; ${times}:\n${list}\nPoint the catalog at a mock (--server NAME=URL, e.g. prism mock openapi.yaml) or an account you can write to, then rerun with --allow-writes.`);
  }
  return `--allow-writes: ${listed.length} task(s) write to ${target}; ${times}:\n${list}\n`;
}
