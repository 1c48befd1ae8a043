// startCompanion(): a companion for one test suite, a child process of the packaged bundle on a
// free loopback port with its data in a temporary folder, and the handle the suite drives it by.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckReport, Spec } from '../protocol/expectations/types';
import type { RunResource, RunSummary } from '../protocol/runs';
import { extensionDir, type ExtensionDirOptions } from './extension-dir';
import { historyClient, type HistoryClient } from './history';
import { http, type Http } from './http';
import { companionBundle } from './paths';

export interface StartOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Kept after stop() when given; default a temporary folder that stop() removes. */
  dataDir?: string;
  /** GWE's categories (docs/api.md "Categories"): the definitions, or a JSON file's path. */
  categories?: unknown[] | string;
  /** Contacts to seed the contact directory with, or a JSON file's path. */
  contacts?: unknown[] | string;
  /** `user:pass`: the History and lab APIs then need these credentials (the handle sends them). */
  auth?: string;
  /** Seconds of inactivity after which a visit ends (the companion's --visit-expiration). */
  visitExpiration?: number;
  /** Default true: no line per intake request in the companion's output. */
  quiet?: boolean;
  /** Milliseconds to wait for the companion to listen (default 15 s). */
  startTimeout?: number;
}

export interface CheckOptions {
  run?: string;
  visitId?: string;
}

export interface Run {
  readonly runId: string;
  readonly name: string;
  readonly companion: Companion;
  stop(): Promise<RunSummary>;
  get(): Promise<RunResource>;
  check(spec: Spec): Promise<CheckReport>;
  /** Empties what this run captured (POST /lab/reset?run=). */
  reset(): Promise<void>;
  /** A copy of the extension that tags its events with this run. */
  extensionDir(options?: Omit<ExtensionDirOptions, 'run'>): Promise<string>;
}

export interface Companion {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly dataDir: string;
  /** `user:pass` when started with auth. */
  readonly auth?: string;
  readonly history: HistoryClient;
  /** JSON requests to any route, with the credentials. */
  readonly http: Http;
  /** Everything the companion printed so far. */
  output(): string;
  health(): Promise<Record<string, unknown> & { status: string; counts: Record<string, number> }>;
  /** Empties the store (POST /lab/reset). */
  reset(): Promise<void>;
  /** Starts a run (POST /lab/runs). */
  run(name: string, options?: { active?: boolean }): Promise<Run>;
  check(spec: Spec, options?: CheckOptions): Promise<CheckReport>;
  /** A fresh folder holding the built extension set to send to this companion: load it in Chromium. */
  extensionDir(options?: ExtensionDirOptions): Promise<string>;
  /** Stops the companion (SIGTERM: it finishes writing first) and removes what it made. */
  stop(): Promise<void>;
}

function jsonArg(value: unknown[] | string, dir: string, name: string): string {
  if (typeof value === 'string') return value;
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

interface Spawned {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawns the bundle and resolves with its URL once it prints `listening on URL`. */
function spawnBundle(args: string[], timeoutMs: number): Promise<Spawned> {
  const child = spawn(process.execPath, [companionBundle(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise<Spawned>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the companion did not start within ${timeoutMs} ms; it printed:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the companion exited (${code}) before listening; it printed:\n${out}`), { output: out }));
    });
  });
}

export async function startCompanion(options: StartOptions = {}): Promise<Companion> {
  const own = mkdtempSync(path.join(tmpdir(), 'visitor-lab-'));
  const dataDir = options.dataDir ?? path.join(own, 'data');
  const args = ['--port', String(options.port ?? 0), '--host', '127.0.0.1', '--data', dataDir];
  if (options.categories) args.push('--categories', jsonArg(options.categories, own, 'categories.json'));
  if (options.contacts) args.push('--contacts', jsonArg(options.contacts, own, 'contacts.json'));
  if (options.auth) args.push('--auth', options.auth);
  if (options.visitExpiration !== undefined) args.push('--visit-expiration', String(options.visitExpiration));
  if (options.quiet !== false) args.push('--quiet');
  const timeout = options.startTimeout ?? 15_000;
  let spawned: Spawned;
  try {
    spawned = await spawnBundle(['start', ...args], timeout).catch((e: Error & { output?: string }) => {
      // A companion whose CLI has no commands takes the flags alone.
      if (/unexpected argument 'start'/i.test(e.output ?? '')) return spawnBundle(args, timeout);
      throw e;
    });
  } catch (e) {
    rmSync(own, { recursive: true, force: true });
    throw e;
  }
  // A suite that dies without stop() must not leave its companion running.
  const killOnExit = () => {
    spawned.child.kill('SIGKILL');
    rmSync(own, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const client = http(spawned.url, options.auth);
  const made: string[] = [];
  let stopped: Promise<void> | null = null;

  const companion: Companion = {
    url: spawned.url,
    dataDir,
    auth: options.auth,
    history: historyClient(client),
    http: client,
    output: spawned.output,
    health: () => client.json('GET', '/lab/health'),
    reset: async () => void (await client.json('POST', '/lab/reset')),
    async run(name, o = {}) {
      const summary = await client.json<RunSummary>('POST', '/lab/runs', { name, ...(o.active === undefined ? {} : { active: o.active }) });
      return runHandle(companion, summary);
    },
    check: (spec, o = {}) => client.json<CheckReport>('POST', '/lab/check', { spec, ...o }),
    async extensionDir(o = {}) {
      const dir = await extensionDir({ url: spawned.url, auth: options.auth }, o);
      made.push(dir);
      return dir;
    },
    stop() {
      stopped ??= (async () => {
        process.off('exit', killOnExit);
        if (spawned.child.exitCode === null) {
          spawned.child.kill('SIGTERM');
          const killer = setTimeout(() => spawned.child.kill('SIGKILL'), 10_000);
          await spawned.exited;
          clearTimeout(killer);
        }
        // A browser that just closed can still hold files in an extension copy: retried.
        for (const dir of [...made, own]) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      })();
      return stopped;
    },
  };
  return companion;
}

/** A Run handle for a run that exists (its runId); `name` defaults to the id. */
export function runHandle(companion: Companion, summary: { runId: string; name?: string }): Run {
  const id = encodeURIComponent(summary.runId);
  return {
    runId: summary.runId,
    name: summary.name ?? summary.runId,
    companion,
    stop: () => companion.http.json<RunSummary>('POST', `/lab/runs/${id}/stop`),
    get: () => companion.http.json<RunResource>('GET', `/lab/runs/${id}`),
    check: (spec) => companion.check(spec, { run: summary.runId }),
    reset: async () => void (await companion.http.json('POST', `/lab/reset?run=${id}`)),
    extensionDir: (o = {}) => companion.extensionDir({ ...o, run: summary.runId }),
  };
}
