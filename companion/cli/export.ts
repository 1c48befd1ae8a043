// `visitor-lab export`: GET /lab/export streamed to a file or stdout. A file is written beside
// its name and renamed when the whole export has arrived, so a failed export leaves no half file.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { answerProblem, CliExit, DEFAULT_COMPANION, EXIT, request, target, usage } from './client';

export const EXPORT_HELP = `Usage: visitor-lab export [options]

Exports what a companion holds (GET /lab/export): to stdout, or to a file with --out.

  --format F             json (default: a Visitor Lab export, importable), har or csv
  --run ID               only this run's events
  --visit ID             only this visit
  --identity ID          only this identity's visits
  --out FILE             write to FILE (written whole, or not at all) instead of stdout
  --companion URL        the companion (default VISITOR_LAB_URL, else ${DEFAULT_COMPANION})
  --auth USER:PASS       credentials of a companion started with --auth (or VISITOR_LAB_AUTH)
  --help                 this text`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        format: { type: 'string', default: 'json' },
        run: { type: 'string' },
        visit: { type: 'string' },
        identity: { type: 'string' },
        out: { type: 'string' },
        companion: { type: 'string' },
        auth: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw usage('export', (e as Error).message);
  }
}

export async function exportCommand(argv: string[]): Promise<number> {
  const flags = parse(argv);
  if (flags.help) return void console.log(EXPORT_HELP), EXIT.ok;
  if (!['json', 'har', 'csv'].includes(flags.format)) throw usage('export', `--format must be json, har or csv, not "${flags.format}"`);
  const to = target('export', flags);
  const query = new URLSearchParams({ format: flags.format });
  if (flags.run !== undefined) query.set('run', flags.run);
  if (flags.visit !== undefined) query.set('visitId', flags.visit);
  if (flags.identity !== undefined) query.set('identityId', flags.identity);
  const res = await request(to, 'GET', `/lab/export?${query}`);
  if (!res.ok || !res.body) throw await answerProblem(res, to, 'export');
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  if (flags.out === undefined) {
    await pipeline(body, process.stdout, { end: false });
    return EXIT.ok;
  }
  const partial = `${flags.out}.${process.pid}.part`;
  try {
    await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, flags.out);
  } catch (e) {
    await rm(partial, { force: true });
    throw new CliExit(EXIT.failed, `export to ${flags.out} failed (nothing written): ${(e as Error).message}`);
  }
  console.error(`exported ${flags.format} to ${flags.out}`);
  return EXIT.ok;
}
