// `visitor-lab check SPEC`: asks a companion whether what it captured meets a spec, prints the
// report, and exits 0 when the spec holds, 1 when it does not, 2 when the check could not be
// made (a bad spec, an unreadable file, an unreachable companion).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseSpec } from '../../protocol/expectations/parse';
import { formatJson } from '../../protocol/expectations/report-json';
import { formatJunit } from '../../protocol/expectations/report-junit';
import { formatText } from '../../protocol/expectations/report-text';
import type { CheckReport } from '../../protocol/expectations/types';
import { answerProblem, CliExit, DEFAULT_COMPANION, EXIT, request, target, usage } from './client';

const REPORTERS: Record<string, (report: CheckReport) => string> = { text: formatText, junit: formatJunit, json: formatJson };

export const CHECK_HELP = `Usage: visitor-lab check SPEC [options]

Checks what a companion captured against SPEC, a JSON file saying what visits must show
(docs/cli.md; YAML is not read), and prints the report.
Exit code: 0 the spec holds, 1 it does not, 2 the check could not be made (a bad spec, a file
that cannot be read, a companion that cannot be reached).

  --companion URL        the companion (default VISITOR_LAB_URL, else ${DEFAULT_COMPANION})
  --run ID               check only this run's visits
  --visit ID             check only this visit
  --reporter R           text (default: a line per expectation), junit (JUnit XML for CI)
                         or json (the report as the companion answers it)
  --auth USER:PASS       credentials of a companion started with --auth (or VISITOR_LAB_AUTH)
  --help                 this text`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        companion: { type: 'string' },
        run: { type: 'string' },
        visit: { type: 'string' },
        reporter: { type: 'string', default: 'text' },
        auth: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw usage('check', (e as Error).message);
  }
}

/** A mistake in the spec, named by its place in the spec (`visits[0].steps[2].re`). */
function wrongSpec(file: string, place: string, reason: string): CliExit {
  return new CliExit(EXIT.usage, `the spec ${file} is wrong${place ? ` at ${place}` : ''}: ${reason}`);
}

/**
 * The companion's 400: the usual shape names the body field (`spec.visits[0]...`); one outside
 * the spec (`run`, `visitId`) is said as the companion said it.
 */
async function refused(res: Response, file: string): Promise<CliExit> {
  const body = (await res.json().catch(() => ({}))) as { field?: unknown; message?: unknown; reason?: unknown };
  const field = typeof body.field === 'string' ? body.field : '';
  let reason = String(body.reason ?? body.message ?? 'refused (400)');
  if (field && reason.startsWith(`${field}: `)) reason = reason.slice(field.length + 2);
  if (field === 'spec' || field.startsWith('spec.') || field.startsWith('spec[')) return wrongSpec(file, field.replace(/^spec\.?/, ''), reason);
  return new CliExit(EXIT.usage, `checking ${file}: the companion refused the check: ${field ? `${field}: ` : ''}${reason}`);
}

/** The spec file as JSON, read the way the companion reads it (it says the same again on a 400). */
async function readSpec(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliExit(EXIT.usage, `cannot read the spec ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const yaml = /\.ya?ml$/i.test(file) ? ' (specs are JSON; YAML is not read)' : '';
    throw new CliExit(EXIT.usage, `the spec ${file} is not JSON${yaml}: ${(e as Error).message}`);
  }
}

export async function check(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parse(argv);
  if (flags.help) return void console.log(CHECK_HELP), EXIT.ok;
  if (positionals.length !== 1) throw usage('check', positionals.length ? `one spec file at a time, not ${positionals.length}` : 'name the spec file: visitor-lab check SPEC');
  const format = REPORTERS[flags.reporter];
  if (!format) throw usage('check', `--reporter must be text, junit or json, not "${flags.reporter}"`);
  const to = target('check', flags);
  const file = positionals[0];
  const spec = await readSpec(file);
  const parsed = parseSpec(spec);
  if (!parsed.ok) throw wrongSpec(file, parsed.problem.place, parsed.problem.reason);

  const body = JSON.stringify({ spec, ...(flags.run === undefined ? {} : { run: flags.run }), ...(flags.visit === undefined ? {} : { visitId: flags.visit }) });
  const res = await request(to, 'POST', '/lab/check', { type: 'application/json', data: body });
  if (res.status === 400) throw await refused(res, file);
  // The companion's answer to a route it does not have (a 404 for an unknown run names the run).
  if (res.status === 404 && /"no route /.test(await res.clone().text())) {
    throw new CliExit(EXIT.usage, `the companion at ${to.url} has no POST /lab/check: it is older than this command; start a current one.`);
  }
  if (!res.ok) throw await answerProblem(res, to, `checking ${file}`);
  const report = (await res.json()) as CheckReport;
  process.stdout.write(format(report));
  return report.passed ? EXIT.ok : EXIT.failed;
}
