// `visitor-lab start [flags]` (what `npm start -- [flags]` runs): the companion in the
// foreground until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCompanion, VERSION, type Companion } from '../companion';
import { extensionOrigin } from '../server/extension-id';

/** The companion's flags, also shown by `visitor-lab --help` (start is the default command). */
export const START_OPTIONS = `  --port N               port to listen on (default 9081, GWE's HTTP port; 0 picks a free one)
  --host H               address to bind (default 127.0.0.1; anything else exposes visitor data)
  --data DIR             data directory (default ~/.visitor-lab/data)
  --store URL            keep the data in PostgreSQL instead (postgres://user:pass@host/db;
                         or set VISITOR_LAB_DATABASE_URL): several companions may share one
                         database, behind any load balancer (docs/scaling.md)
  --retain-days N        forget visits with no activity for N days (whole: events, pages, sessions)
  --max-events N         keep at most about N events: past N, the visits first heard of longest
                         ago are forgotten until 95% of N remain (bounds the memory used)
  --contacts FILE        JSON array of contacts to seed the contact directory with:
                         [{"contactId"?, "userId"?, "email"?, "phone"?, "firstName"?, "lastName"?}]
  --categories FILE      JSON array of categories (GWE's Simple Engagement Model) whose names
                         label each event whose URL or page title holds one of their tags:
                         [{"name": "Products", "tags": ["products", {"regex": "/cart$"}]}]
  --auth USER:PASS       require HTTP Basic credentials on the History and lab APIs
  --allow-origin ORIGIN  a web origin whose pages may post events straight to the companion
                         (repeat for more)
  --allow-extension ID   another browser extension that may use every API, besides Visitor
                         Lab's own: a Chromium extension id (32 letters a-p) or an extension
                         origin such as moz-extension://UUID (repeat for more)
  --visit-expiration S   seconds of inactivity after which a visit ends (default 86400; 0: never, as in GWE)
  --snapshot-after BYTES journal size that triggers a snapshot of the whole state
                         (default 16777216; smaller = faster start-up, more rewriting)
  --quiet                no line per intake request (by default each request's accepted,
                         duplicate and rejected counts are printed, with the reasons)
  --help                 this text
  --version              the version`;

const HELP = `Visitor Lab companion ${VERSION}: a local Genesys Web Engagement server.
It takes the events of the _gt tracker, identifies visitors (visits, pages, sessions,
identities, contacts) and serves the GWE History REST API.

Usage: visitor-lab start [options]      (npm start -- [options] in the repository)

${START_OPTIONS}

Stop it with Ctrl-C (SIGINT) or SIGTERM: it finishes what it is writing first.`;

function fail(message: string): never {
  console.error(`visitor-lab: ${message}\nRun with --help for the options.`);
  process.exit(2);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '9081' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: path.join(homedir(), '.visitor-lab', 'data') },
        store: { type: 'string' },
        'retain-days': { type: 'string' },
        'max-events': { type: 'string' },
        contacts: { type: 'string' },
        categories: { type: 'string' },
        auth: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true, default: [] },
        'allow-extension': { type: 'string', multiple: true, default: [] },
        'visit-expiration': { type: 'string', default: '86400' },
        'snapshot-after': { type: 'string', default: String(16 * 1024 * 1024) },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

/** What to say when the port cannot be listened on; null for other errors. */
function listenProblem(e: NodeJS.ErrnoException, port: number, host: string): string | null {
  if (e.syscall !== 'listen') return null;
  const where = `${port} on ${host}`;
  if (e.code === 'EADDRINUSE') {
    return `Port ${where} is in use (another companion, or another program, listens there). Stop it, or use --port to pick another port (--port 0 picks a free one).`;
  }
  if (e.code === 'EACCES') return `Port ${where} needs privileges this user does not have (ports below 1024 do). Use --port with a higher port.`;
  if (e.code === 'EADDRNOTAVAIL') return `--host ${host} is not an address of this machine. Use one it has, like 127.0.0.1.`;
  return null;
}

/** GPE.min.js, put in by the bundler (companion/build.ts); absent when run from source. */
declare const __GPE_TRACKER__: string | undefined;

export async function start(argv: string[]): Promise<void> {
  const args = parse(argv);
  if (args.help) return void console.log(HELP);
  if (args.version) return void console.log(VERSION);
  const port = Number(args.port);
  if (!/^\d+$/.test(args.port) || port > 65535) fail(`--port must be a port number, not "${args.port}"`);
  const expiration = Number(args['visit-expiration']);
  if (!Number.isFinite(expiration) || expiration < 0) fail(`--visit-expiration must be a number of seconds, 0 or more (0: visits never expire)`);
  const snapshotAfter = Number(args['snapshot-after']);
  if (!/^\d+$/.test(args['snapshot-after'])) fail('--snapshot-after must be a number of bytes');
  if (args.auth !== undefined && !/^[^:]+:.+$/.test(args.auth)) fail('--auth must look like user:password');
  for (const origin of args['allow-origin']) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) fail(`--allow-origin takes an origin like http://shop.test:8080, not "${origin}"`);
  }
  const extensions = args['allow-extension'].map((value) => {
    const origin = extensionOrigin(value);
    if (!origin) fail(`--allow-extension takes a Chromium extension id (32 letters a-p) or an origin like moz-extension://UUID, not "${value}"`);
    return origin;
  });

  const retainDays = args['retain-days'] === undefined ? undefined : Number(args['retain-days']);
  if (retainDays !== undefined && !(retainDays > 0)) fail('--retain-days must be a number of days, more than 0');
  const maxEvents = args['max-events'] === undefined ? undefined : Number(args['max-events']);
  if (maxEvents !== undefined && !(Number.isSafeInteger(maxEvents) && maxEvents > 0)) fail('--max-events must be a whole number of events, more than 0');
  const database = args.store ?? (process.env.VISITOR_LAB_DATABASE_URL || undefined);
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) fail(`--store takes a PostgreSQL URL like postgres://user:password@127.0.0.1:5432/visitor_lab, not "${database}"`);

  const companion = await startCompanion({
    port,
    host: args.host,
    dataDir: args.data,
    database,
    contactsFile: args.contacts,
    categoriesFile: args.categories,
    auth: args.auth,
    allowOrigins: args['allow-origin'],
    allowExtensions: extensions,
    engine: { visitExpirationTime: expiration },
    snapshotAfterBytes: snapshotAfter,
    retention: { ...(retainDays !== undefined ? { retainDays } : {}), ...(maxEvents !== undefined ? { maxEvents } : {}) },
    trackerScript: typeof __GPE_TRACKER__ === 'string' ? __GPE_TRACKER__ : undefined,
    logIntake: args.quiet ? undefined : (line) => console.log(`${new Date().toISOString()} ${line}`),
  }).catch((e: NodeJS.ErrnoException) => {
    console.error(`visitor-lab: ${listenProblem(e, port, args.host) ?? e.message}`);
    process.exit(1);
  });

  const s = companion.store;
  // Ready for a signal from the moment it listens, before the banner's reads.
  let stopping = false;
  const embedded = s.kind === 'embedded';
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: everything acknowledged is in the journal (or the database) already; leave now.
      console.log(`${signal} again: ${embedded ? 'exiting without the final snapshot (the journal has everything).' : 'exiting now (everything acknowledged is committed).'}`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping, ${embedded ? 'flushing data' : 'finishing the requests under way'}…`);
    companion.close().then(
      () => {
        console.log(embedded ? 'Stopped; everything is on disk.' : 'Stopped; everything acknowledged is committed in the database.');
        process.exit(0);
      },
      (e: Error) => {
        // Every acknowledged request is in the journal already (a failed snapshot removes none of it).
        console.error(`visitor-lab: shutdown failed: ${e.message}. Everything acknowledged is in the journal; the next start reads it.`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  // What the banner says of the data is read before it is printed: the banner comes out whole.
  const counts = await s.counts();
  const categories = (await s.read({})).categories ?? [];
  console.log(bannerLines(companion, counts.events, counts.visits, categories, { retainDays, maxEvents, auth: args.auth !== undefined }).join('\n')); // one write: the banner whole
}

/** The lines `start` prints once it listens: where everything is, and what it keeps. */
function bannerLines(
  companion: Companion,
  events: number,
  visits: number,
  categories: { name: string }[],
  o: { retainDays?: number; maxEvents?: number; auth: boolean },
): string[] {
  const s = companion.store;
  const { retainDays, maxEvents } = o;
  const lines: string[] = [];
  lines.push(`Visitor Lab companion ${VERSION} listening on ${companion.url}`);
  lines.push(`  data        ${s.kind === 'postgres' ? 'PostgreSQL ' : ''}${s.location} (${events} events, ${visits} visits)`);
  lines.push(`  intake      POST ${companion.url}/server/events`);
  lines.push(`  History API ${companion.url}/server/data/  (e.g. GET ${companion.url}/server/data/visits)`);
  lines.push(`  tracker     ${companion.url}/server/resources/js/build/GPE.min.js`);
  lines.push(`  lab API     ${companion.url}/lab/health, POST ${companion.url}/lab/reset, ${companion.url}/lab/contacts, ${companion.url}/lab/categories`);
  if (categories.length) lines.push(`  categories  ${categories.map((c) => c.name).join(', ')}`);
  // `npm start` builds the extension beside this bundle (.output/chrome-mv3): say how to load it.
  const extension = path.resolve(import.meta.dirname, '../chrome-mv3');
  if (existsSync(path.join(extension, 'manifest.json'))) {
    lines.push(`  extension   ${extension}`);
    lines.push('              load it in Chromium or Chrome: chrome://extensions > Developer mode (on) > Load unpacked > that folder;');
    lines.push(`              it tracks localhost and 127.0.0.1 pages and sends to ${companion.url === 'http://127.0.0.1:9081' ? 'this companion' : 'http://127.0.0.1:9081 (change it in the popup)'}`);
  }
  const kept = [retainDays !== undefined ? `visits active within ${retainDays} days` : '', maxEvents !== undefined ? `about ${maxEvents} events at most` : ''].filter(Boolean);
  if (kept.length) lines.push(`  keeps       ${kept.join('; ')} (older visits are forgotten whole)`);
  if (o.auth) lines.push('  History and lab APIs need HTTP Basic credentials (--auth).');
  lines.push('Press Ctrl-C to stop.');
  return lines;
}
