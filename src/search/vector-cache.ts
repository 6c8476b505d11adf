// Tool vectors on disk, so a restart with a remote provider does not re-embed the catalogs. One file
// per (provider, catalog texts) key; a failed read or write only costs a recomputation, never a start.
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { VectorStore } from './tool-vectors.js';

/** `$XDG_CACHE_HOME/toolshed/vectors`, else `~/.cache/toolshed/vectors`. */
export function defaultVectorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'toolshed', 'vectors');
}

/** Older files beyond this many are deleted: each catalog-set change leaves one behind. */
export const MAX_CACHE_FILES = 16;

export interface DiskVectorStoreOptions {
  dir?: string;
  maxFiles?: number;
  /** Told about cache files that could not be written (the vectors are still used). */
  warn?: (message: string) => void;
}

const MAGIC = 0x43565354; // "TSVC"

export function createDiskVectorStore(options: DiskVectorStoreOptions = {}): VectorStore {
  const dir = options.dir ?? defaultVectorCacheDir();
  const maxFiles = options.maxFiles ?? MAX_CACHE_FILES;
  const fileOf = (key: string) => join(dir, `${key}.vec`);
  return {
    async load(key) {
      const bytes = await readFile(fileOf(key)).catch(() => undefined);
      return bytes ? decode(bytes) : undefined;
    },
    async save(key, vectors) {
      try {
        await mkdir(dir, { recursive: true });
        // Written aside then renamed: a concurrent reader never sees half a file.
        const temp = `${fileOf(key)}.${process.pid}.tmp`;
        await writeFile(temp, encode(vectors));
        await rename(temp, fileOf(key));
        await prune(dir, maxFiles);
      } catch (e) {
        options.warn?.(`could not cache vectors in ${dir}: ${(e as Error).message}`);
      }
    },
  };
}

function encode(vectors: Float32Array[]): Uint8Array {
  const dims = vectors[0]?.length ?? 0;
  const bytes = new Uint8Array(12 + 4 * vectors.length * dims);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, vectors.length, true);
  view.setUint32(8, dims, true);
  const floats = new Float32Array(bytes.buffer, 12);
  vectors.forEach((v, i) => floats.set(v, i * dims));
  return bytes;
}

function decode(input: Uint8Array): Float32Array[] | undefined {
  const bytes = new Uint8Array(input);
  if (bytes.length < 12) return undefined;
  const view = new DataView(bytes.buffer);
  const [count, dims] = [view.getUint32(4, true), view.getUint32(8, true)];
  if (view.getUint32(0, true) !== MAGIC || bytes.length !== 12 + 4 * count * dims) return undefined;
  const floats = new Float32Array(bytes.buffer, 12);
  return Array.from({ length: count }, (_, i) => floats.subarray(i * dims, (i + 1) * dims));
}

async function prune(dir: string, maxFiles: number): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.vec'));
  if (names.length <= maxFiles) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(maxFiles).map(({ n }) => unlink(join(dir, n)).catch(() => undefined)));
}
