// Starting and stopping the companion: store + HTTP server, as tests and the CLI use it.
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from './engine';
import { createApp } from './server/app';
import { parseContacts, type Contact } from '../protocol';
import { DataDirAccessError } from './store/errors';
import { Store } from './store/store';
import type { LabStore } from './store/lab-store';
import { PgStore } from './store/postgres/pg-store';
import { readCategoriesFile } from './categories/load';
import { Retention, type RetentionPolicy } from './retention';

/** The project's version, from the package.json above this file (source or bundle). */
function readVersion(): string {
  const require = createRequire(import.meta.url);
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel);
      if (pkg.name === 'visitor-lab') return pkg.version;
    } catch {
      /* not this one */
    }
  }
  return 'unknown';
}

export const VERSION = readVersion();

export interface CompanionOptions {
  port: number;
  host: string;
  dataDir: string;
  /**
   * A PostgreSQL URL (postgres://user:password@host/db): the data goes there instead of
   * `dataDir`, and any number of companions may share it.
   */
  database?: string;
  /** A JSON file with an array of contacts to seed the contact directory with. */
  contactsFile?: string;
  /** A JSON file of category definitions; replaces the stored ones at start. */
  categoriesFile?: string;
  /** `user:pass` for HTTP Basic on the History and lab APIs. */
  auth?: string;
  allowOrigins?: string[];
  /** Extension origins trusted besides Visitor Lab's own (--allow-extension). */
  allowExtensions?: string[];
  engine?: Partial<EngineConfig>;
  snapshotAfterBytes?: number;
  log?: (message: string) => void;
  /** Receives a line per intake request (accepted/duplicate/rejected, with the reasons). */
  logIntake?: (line: string) => void;
  /** The standalone tracker served at /server/resources/js/build/GPE.min.js. */
  trackerScript?: string;
  /** --retain-days and --max-events: the oldest visits are forgotten past them. */
  retention?: RetentionPolicy;
  /** How often retention looks (default 250 ms in memory, 2 s on PostgreSQL, and --retain-days once a minute); tests set it shorter. */
  retentionSweepMs?: number;
}

export interface Companion {
  url: string;
  port: number;
  store: LabStore;
  close(): Promise<void>;
}

async function readSeed(file: string): Promise<Contact[]> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`--contacts ${file}: ${(e as Error).message}`);
  }
  const parsed = parseContacts(input);
  if (!parsed.ok) throw new Error(`--contacts ${file}: ${parsed.problem.field}: ${parsed.problem.reason}`);
  return parsed.contacts;
}

export async function startCompanion(options: CompanionOptions): Promise<Companion> {
  const log = options.log ?? ((m: string) => console.error(m));
  const seed = options.contactsFile ? await readSeed(options.contactsFile) : [];
  const categories = options.categoriesFile ? await readCategoriesFile(options.categoriesFile) : undefined;
  const engine = { ...DEFAULT_ENGINE_CONFIG, ...options.engine };
  const store: LabStore = options.database
    ? await PgStore.open({ url: options.database, engine, log })
    : await Store.open({ dataDir: options.dataDir, engine, snapshotAfterBytes: options.snapshotAfterBytes, log }).catch((e: NodeJS.ErrnoException) => {
        // A read-only folder (permissions, or a read-only mount): say so, not a raw EACCES.
        if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') throw new DataDirAccessError(path.resolve(options.dataDir), e);
        throw e;
      });
  let server: Server | undefined;
  const retention = new Retention(store, options.retention ?? {}, log, options.retentionSweepMs, options.retentionSweepMs);
  try {
    // Seeding is idempotent: contacts already stored as given are not written again.
    const stored = await store.read({ contacts: seed.map((c) => c.contactId) });
    const changed = seed.filter((c) => JSON.stringify(stored.contacts[c.contactId]) !== JSON.stringify(c));
    if (changed.length) await store.commit({ kind: 'contacts', contacts: changed });
    // The file is the companion's configuration: it replaces what the lab API last defined.
    if (categories && JSON.stringify(categories) !== JSON.stringify(stored.categories ?? [])) {
      await store.commit({ kind: 'categories', categories });
    }
    await retention.start();
    const app = createApp(store, {
      host: options.host,
      auth: options.auth,
      allowOrigins: options.allowOrigins ?? [],
      allowExtensions: options.allowExtensions,
      version: VERSION,
      log,
      logIntake: options.logIntake,
      trackerScript: options.trackerScript,
      ...(retention.active ? { retention: () => retention.report() } : {}),
    });
    server = createServer(app);
    server.on('clientError', answerClientError);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(options.port, options.host, () => resolve());
    });
  } catch (e) {
    await retention.stop();
    await store.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    store,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server!.close(() => resolve());
          server!.closeIdleConnections();
          // A client holding a keep-alive connection open must not keep us from stopping;
          // requests still in flight get a grace period to be answered first.
          setTimeout(() => server!.closeAllConnections(), 3000).unref();
        });
        await retention.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * A request Node's parser refuses before Express sees it (headers or URL over 16 KB, broken
 * HTTP) still gets the JSON error shape every other answer has, not a bare status line.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's own handler: only when no answer has started on this connection (else the text
  // would land inside it), and the connection is closed after.
  const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (!socket.writable || inProgress) return void socket.destroy();
  const [status, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, { error: 'too_large', message: 'request headers (URL included) are larger than 16 KB', field: 'headers' }]
      : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? [413, { error: 'too_large', message: 'chunk extensions too large', field: 'body' }]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, { error: 'timeout', message: 'the request took too long to arrive', field: 'request' }]
          : [400, { error: 'bad_request', message: `malformed HTTP request (${err.code ?? err.message})`, field: 'request' }];
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    () => socket.destroy(),
  );
}
