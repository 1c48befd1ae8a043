// `visitor-lab [command] …`, the package's bin and the bundle `npm start` runs: start (the
// companion, also what runs when no command is named, as `npm start -- --port 0` always did),
// check, export, import.
import { VERSION } from './companion';
import { check } from './cli/check';
import { CliExit, EXIT } from './cli/client';
import { exportCommand } from './cli/export';
import { importCommand } from './cli/import';
import { start, START_OPTIONS } from './cli/start';

const HELP = `Visitor Lab ${VERSION}: watch and check how a site identifies its visitors, the way
Genesys Web Engagement does it.

Usage: visitor-lab [command] [options]      (npm start -- [options] in the repository)

Commands:
  start [options]        run the companion, a local GWE server (the default command)
  check SPEC             check what a companion captured against a spec; exit 0 it holds,
                         1 it does not, 2 the check could not be made
  export                 export what a companion holds (json, har or csv)
  import FILE            import an export or a HAR into a companion
Run visitor-lab COMMAND --help for a command's options.

start's options (also without the word start):
${START_OPTIONS}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number | void>> = {
  start,
  check,
  export: exportCommand,
  import: importCommand,
};

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return void console.log(HELP);
  if (first === '--version' || first === '-v') return void console.log(VERSION);
  const command = first !== undefined && Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command && first !== undefined && !first.startsWith('-')) {
    throw new CliExit(EXIT.usage, `"${first}" is not a command (start, check, export, import).\nRun visitor-lab --help for the commands.`);
  }
  const code = await (command ? command(rest) : start(argv));
  // start keeps running (it exits on a signal); the others end here with their code.
  if (typeof code === 'number') process.exitCode = code;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof CliExit) {
    console.error(`visitor-lab: ${e.message}`);
    process.exit(e.code);
  }
  console.error(`visitor-lab: ${(e as Error).stack ?? e}`);
  process.exit(EXIT.failed);
});
