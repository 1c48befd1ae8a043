// A process that competes for a data directory's lock, for test/integration/lock.test.ts:
// `node --import tsx test/helpers/lock-contender.ts DIR`. It prints `ready`, then reads
// commands from stdin: `go` tries lockDataDir(DIR) once and prints `won`, `locked` or
// `error <message>`; `release` releases the lock it won and prints `released`.
import { createInterface } from 'node:readline';
import { DataDirLockedError } from '../../companion/store/errors';
import { lockDataDir } from '../../companion/store/lock';

const dir = process.argv[2];
let release: (() => Promise<void>) | null = null;

const lines = createInterface({ input: process.stdin });
lines.on('line', async (command) => {
  if (command === 'go') {
    try {
      release = await lockDataDir(dir);
      console.log('won');
    } catch (e) {
      console.log(e instanceof DataDirLockedError ? 'locked' : `error ${(e as Error).message}`);
    }
  } else if (command === 'release') {
    await release?.();
    release = null;
    console.log('released');
  }
});
lines.on('close', () => process.exit(0));
console.log('ready');
