// A small persistent cache for artifacts derived from catalogs (normalized operations, search index
// parts, Code Mode declarations): one file per (kind, key), stamped with toolshed's version and a
// checksum. A missing, corrupt, truncated or other-version entry reads as a miss (rebuild it), a failed
// write is a warning: the cache can make a start faster, never make it fail.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

/** Entries of one kind beyond this many are pruned, oldest first: each changed document leaves one behind. */
export const MAX_ENTRIES_PER_KIND = 32;

export interface DiskCache {
  /** The folder entries live in; undefined when caching is off (`--no-cache`). */
  readonly dir: string | undefined;
  /** The stored bytes, or undefined on a miss (absent, corrupt, or written by another toolshed version). */
  get(kind: string, key: string): Promise<Buffer | undefined>;
  /** Stores atomically (written aside, then renamed); never throws. */
  put(kind: string, key: string, bytes: Uint8Array | string): Promise<void>;
}

export interface DiskCacheOptions {
  /** Folder, or `false` for no cache at all. Default: defaultCacheDir(). */
  dir?: string | false;
  /** What entries are stamped with; an entry with another stamp is a miss. Default: toolshedVersion(). */
  version?: string;
  maxEntriesPerKind?: number;
  /** Told when an entry cannot be written (the start goes on). */
  warn?: (message: string) => void;
}

/** `$XDG_CACHE_HOME/toolshed`, else `~/.cache/toolshed`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'toolshed');
}

/**
 * package.json's version plus a fingerprint of the installed code (names, sizes and times of the files
 * beside this module's folder): a git checkout that is rebuilt keeps its version number but may derive
 * different artifacts, and must not read the old ones. Computed once, on first use (~100 files).
 */
export function toolshedVersion(): string {
  return (versionStamp ??= computeVersion());
}
let versionStamp: string | undefined;

function computeVersion(): string {
  const root = fileURLToPath(new URL('..', import.meta.url)); // src/ or dist/
  let version = '0';
  try {
    version = String((JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }).version ?? '0');
  } catch {
    // no package.json beside the code: the fingerprint alone
  }
  const hash = createHash('sha256');
  try {
    for (const name of (readdirSync(root, { recursive: true }) as string[]).filter((n) => /\.(js|ts|json)$/.test(n)).sort()) {
      const { size, mtimeMs } = statSync(join(root, name));
      hash.update(`${name}\0${size}\0${mtimeMs}\n`);
    }
  } catch {
    // unreadable code folder: the version alone
  }
  return `${version}+${hash.digest('hex').slice(0, 12)}`;
}

/** A stable key for any mix of strings and bytes (a document's content, its namespace, a format tag). */
export function cacheKey(...parts: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 40);
}

const MAGIC = 'TSC1';
const NO_CACHE: DiskCache = { dir: undefined, get: async () => undefined, put: async () => undefined };

export function createDiskCache(options: DiskCacheOptions = {}): DiskCache {
  if (options.dir === false) return NO_CACHE;
  const dir = options.dir ?? defaultCacheDir();
  let stamp: Buffer | undefined;
  const stampOf = () => (stamp ??= Buffer.from(options.version ?? toolshedVersion(), 'utf8'));
  const maxEntries = options.maxEntriesPerKind ?? MAX_ENTRIES_PER_KIND;
  const fileOf = (kind: string, key: string) => join(dir, safeName(kind), `${safeName(key)}.bin`);
  return {
    dir,
    async get(kind, key) {
      const bytes = await readFile(fileOf(kind, key)).catch(() => undefined);
      return bytes ? unpack(bytes, stampOf()) : undefined;
    },
    async put(kind, key, payload) {
      const file = fileOf(kind, key);
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      try {
        await mkdir(join(dir, safeName(kind)), { recursive: true });
        // Written aside then renamed: a concurrent reader (another toolshed) never sees half a file.
        await writeFile(temp, pack(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload, stampOf()));
        await rename(temp, file);
        await prune(join(dir, safeName(kind)), maxEntries);
      } catch (e) {
        await unlink(temp).catch(() => undefined);
        options.warn?.(`could not write the cache entry ${file}: ${(e as Error).message} (the next start rebuilds it)`);
      }
    },
  };
}

// Layout: MAGIC (4) | stamp length (u16) | stamp | payload length (u32) | crc32 of payload (u32) | payload.
function pack(payload: Uint8Array, stamp: Buffer): Buffer {
  const head = Buffer.alloc(4 + 2 + stamp.length + 8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt16LE(stamp.length, 4);
  stamp.copy(head, 6);
  head.writeUInt32LE(payload.length, 6 + stamp.length);
  head.writeUInt32LE(crc32(payload), 10 + stamp.length);
  return Buffer.concat([head, payload]);
}

function unpack(bytes: Buffer, stamp: Buffer): Buffer | undefined {
  if (bytes.length < 14 || bytes.toString('latin1', 0, 4) !== MAGIC) return undefined;
  const stampLength = bytes.readUInt16LE(4);
  const at = 6 + stampLength;
  if (bytes.length < at + 8 || !bytes.subarray(6, at).equals(stamp)) return undefined;
  const length = bytes.readUInt32LE(at);
  const payload = bytes.subarray(at + 8);
  if (payload.length !== length || crc32(payload) !== bytes.readUInt32LE(at + 4)) return undefined;
  return payload;
}

/** Kinds and keys become file names: anything outside [\w.-] is replaced, so no key can leave the folder. */
function safeName(name: string): string {
  const cleaned = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(0, 120) || '_';
}

async function prune(folder: string, maxEntries: number): Promise<void> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.bin'));
  if (names.length <= maxEntries) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: await stat(join(folder, n)).then((s) => s.mtimeMs, () => 0) })));
  dated.sort((a, b) => b.t - a.t);
  await Promise.all(dated.slice(maxEntries).map(({ n }) => unlink(join(folder, n)).catch(() => undefined)));
}
