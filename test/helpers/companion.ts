// The companion for integration tests: in this process on a free loopback port, with its
// data in a fresh temp folder; or as a child process (`npm start`'s CLI) for the tests
// that must kill it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPANION_BUNDLE, TRACKER_BUNDLE } from '../../companion/build';
import { startCompanion, type Companion, type CompanionOptions } from '../../companion/companion';
import { readableBundle } from './readable-bundle';
import { createTestDatabase, dropTestDatabase, onPostgres } from './postgres';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export function tempDir(prefix = 'vl-data-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export type TestCompanion = Companion & { dataDir: string; database?: string };

/** In the PostgreSQL run, each data folder's database: a companion started again on the folder finds its data. */
const databaseOf = new Map<string, string>();

/**
 * A companion in this process. In the suite's PostgreSQL run (onPostgres), on a fresh database
 * the one of its data folder when it had one (a restart on the same data); dropped with its data folder.
 */
export async function testCompanion(options: Partial<CompanionOptions> = {}, store: 'as-the-run' | 'embedded' = 'as-the-run'): Promise<TestCompanion> {
  const dataDir = options.dataDir ?? tempDir();
  let database = options.database ?? (options.dataDir !== undefined ? databaseOf.get(dataDir) : undefined);
  if (database === undefined && onPostgres() && store === 'as-the-run') databaseOf.set(dataDir, (database = await createTestDatabase()));
  const trackerScript = existsSync(TRACKER_BUNDLE) ? readFileSync(TRACKER_BUNDLE, 'utf8') : undefined;
  const companion = await startCompanion({ port: 0, host: '127.0.0.1', dataDir, log: () => {}, trackerScript, ...options, ...(database ? { database } : {}) });
  return Object.assign(companion, { dataDir, ...(database ? { database } : {}) });
}

/** Removes what a test companion kept: its data folder, or its database. */
export async function removeData(companion: TestCompanion): Promise<void> {
  removeDir(companion.dataDir);
  if (companion.database) await dropTestDatabase(companion.database);
}

export function removeDir(dir: string): void {
  // A browser that has just closed can still be writing into its profile (one of its helper
  // processes outlives it): retried, and in the end left for the OS to clean, since a temp
  // folder left behind is not what any test is about.
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EBUSY') throw e;
    console.warn(`could not remove ${dir} yet (${code}); left in the temp folder`);
  }
}

export interface Api {
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  post(pathAndQuery: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

export function api(baseUrl: string): Api {
  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(baseUrl + p, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* leave as text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
  return { get: (p, h) => call('GET', p, undefined, h), post: (p, b, h) => call('POST', p, b, h) };
}

export interface ChildCompanion {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Caps the size of any file the companion writes (bash's `ulimit -f`, in KiB): writes past it fail with EFBIG. */
  fileSizeLimitKB?: number;
  /**
   * Runs it as this user (and the group of the same number), e.g. 65534 (nobody) when the tests
   * run as root: from a copy of the bundle in the temp folder, so a repository in a private
   * folder (root's home) still works.
   */
  uid?: number;
}

/**
 * Runs the CLI as `npm start` does (the bundle test/global-setup.ts built: one node process,
 * so a SIGKILL really kills the companion), waiting until it prints its URL.
 */
export async function spawnCompanion(args: string[], options: SpawnOptions = {}): Promise<ChildCompanion> {
  const asOther = options.uid !== undefined;
  const node = [process.execPath, '--enable-source-maps', asOther ? readableBundle() : COMPANION_BUNDLE, ...args];
  const [cmd, ...argv] =
    options.fileSizeLimitKB === undefined
      ? node
      : ['bash', '-c', `ulimit -f ${options.fileSizeLimitKB} && exec "$@"`, 'companion', ...node];
  const child = spawn(cmd, argv, {
    cwd: asOther ? tmpdir() : ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const { url, output } = await whenListening(child, exited);
  return { url, child, output, exited };
}

/**
 * Collects what a just-spawned companion prints (whichever way it was started: the bundle, the
 * packed package's bin, npx) and waits until it says where it listens; fails with its output if
 * it exits first or takes more than 15 s.
 */
export function whenListening(
  child: ChildProcess,
  exited: Promise<unknown> = new Promise((resolve) => child.once('exit', resolve)),
): Promise<{ url: string; output: () => string }> {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`companion did not start:\n${out}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], output: () => out });
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`companion exited (${String(code)}) before listening:\n${out}`));
    });
  });
}

/** Runs the CLI to completion (for --help and refused flags): exit code and all it printed. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [COMPANION_BUNDLE, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
