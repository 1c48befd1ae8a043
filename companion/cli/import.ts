// `visitor-lab import FILE`: POST /lab/import with a JSON export or a HAR, then says what the
// companion took (requests, events accepted/duplicate/rejected, visits, contacts).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { answerProblem, CliExit, DEFAULT_COMPANION, EXIT, request, target, usage } from './client';

export const IMPORT_HELP = `Usage: visitor-lab import FILE [options]

Imports FILE into a companion (POST /lab/import): a Visitor Lab JSON export, or a HAR whose
entries post to /server/events. Importing twice changes nothing (events are never stored twice).

  --companion URL        the companion (default VISITOR_LAB_URL, else ${DEFAULT_COMPANION})
  --auth USER:PASS       credentials of a companion started with --auth (or VISITOR_LAB_AUTH)
  --json                 print the companion's answer as JSON instead of a summary
  --help                 this text`;

interface ImportAnswer {
  source: string;
  requests: number;
  events: { accepted: number; duplicate: number; rejected: number };
  visits: { created: number; existing: number };
  contacts: number;
  rejections?: Array<{ at: string; index: number; eventID?: string; field?: string; reason: string }>;
}

function summary(file: string, a: ImportAnswer): string {
  const lines = [
    `imported ${file} (${a.source}): ${a.requests} request${a.requests === 1 ? '' : 's'}; ` +
      `events ${a.events.accepted} accepted, ${a.events.duplicate} duplicate, ${a.events.rejected} rejected; ` +
      `${a.contacts} contact${a.contacts === 1 ? '' : 's'}` +
      // Visits made without events (by the History API) are only worth a word when there were some.
      (a.visits.created + a.visits.existing ? `; eventless visits ${a.visits.created} created, ${a.visits.existing} existing` : ''),
  ];
  for (const r of a.rejections ?? []) {
    lines.push(`  rejected ${r.at} #${r.index}${r.eventID ? ` ${r.eventID}` : ''}: ${r.field ? `${r.field}: ` : ''}${r.reason}`);
  }
  return lines.join('\n');
}

export async function importCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { companion: { type: 'string' }, auth: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw usage('import', (e as Error).message);
  }
  const { values: flags, positionals } = parsed;
  if (flags.help) return void console.log(IMPORT_HELP), EXIT.ok;
  if (positionals.length !== 1) throw usage('import', 'name one file to import: visitor-lab import FILE');
  const to = target('import', flags);
  const file = positionals[0];
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new CliExit(EXIT.usage, `cannot read ${file}: ${(e as Error).message}`);
  }
  const res = await request(to, 'POST', '/lab/import', { type: 'application/json', data });
  if (!res.ok) throw await answerProblem(res, to, `importing ${file}`);
  const answer = (await res.json()) as ImportAnswer;
  console.log(flags.json ? JSON.stringify(answer, null, 2) : summary(file, answer));
  return answer.events.rejected > 0 ? EXIT.failed : EXIT.ok;
}
