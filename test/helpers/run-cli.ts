// Runs the real `toolshed` bin to completion and hands back its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './mcp-client.js';

const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function toolshed(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  return run(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, ...(cwd ? { cwd } : {}) }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
