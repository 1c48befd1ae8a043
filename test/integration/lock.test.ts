// The data directory lock under contention: many companions starting at the same instant on
// a folder whose lock was left by a dead one. Exactly one may take it over, every time.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { claimFile, LOCK_FILE as LOCK, lockDataDir } from '../../companion/store/lock';
import { ROOT, removeDir, tempDir } from '../helpers/companion';

/** A child process running test/helpers/lock-contender.ts on `dir`, driven line by line. */
class Contender {
  readonly child: ChildProcess;
  private lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  readonly exited: Promise<void>;

  constructor(dir: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lock-contender.ts', dir], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.lines.push(line);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`contender ${this.pid} did not answer`)), 15_000);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

const dirs: string[] = [];
const contenders: Contender[] = [];
afterEach(async () => {
  for (const c of contenders.splice(0)) await c.kill();
  for (const d of dirs.splice(0)) removeDir(d);
});

async function contender(dir: string): Promise<Contender> {
  const c = new Contender(dir);
  contenders.push(c);
  expect(await c.next()).toBe('ready');
  return c;
}

it('a stale lock is taken over by exactly one of many companions starting at once, every round', { timeout: 90_000 }, async () => {
  const dir = tempDir('vl-lock-');
  dirs.push(dir);
  const lockFile = path.join(dir, LOCK);
  const all = await Promise.all(Array.from({ length: 6 }, () => contender(dir)));

  for (let round = 0; round < 20; round++) {
    // Even rounds: a lock as an older companion wrote it, a pid that cannot be running.
    // Odd rounds: the lock the last round's winner held when it was SIGKILLed.
    if (round % 2 === 0) writeFileSync(lockFile, '999999999');
    const stale = readFileSync(lockFile, 'utf8');

    for (const c of all) c.send('go');
    const results = await Promise.all(all.map((c) => c.next()));
    const winners = all.filter((_, i) => results[i] === 'won');
    expect({ round, results: results.map((r) => r.replace(/^(won|locked)$/, 'ok')) }).toEqual({ round, results: all.map(() => 'ok') });
    expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
    const [winner] = winners;
    const held = readFileSync(lockFile, 'utf8');
    expect(held).not.toBe(stale);
    expect(Number.parseInt(held, 10)).toBe(winner.pid);

    // Nothing but the lock is left behind by the takeover.
    expect(readdirSync(dir)).toEqual([LOCK]);
    if (round % 2 === 0) {
      await winner.kill();
      contenders.splice(contenders.indexOf(winner), 1);
      all[all.indexOf(winner)] = await contender(dir);
    } else {
      winner.send('release');
      expect(await winner.next()).toBe('released');
      expect(readdirSync(dir)).toEqual([]);
    }
  }
});

it('a takeover killed half-way does not block the next: its claim and temp file are dead too', async () => {
  const dir = tempDir('vl-lock-');
  dirs.push(dir);
  const stale = '999999999';
  writeFileSync(path.join(dir, LOCK), stale);
  // Killed while holding the claim on the stale lock, and that one's own takeover killed too.
  const deadClaim = '999999998\nkilled-claimer\n';
  writeFileSync(claimFile(dir, stale), deadClaim);
  writeFileSync(claimFile(dir, deadClaim), '999999997\nkilled-too\n');
  // Killed between writing its lock's temp file and linking it; and a claim on a lock long gone.
  writeFileSync(path.join(dir, `${LOCK}.999999996-0b6f3c52-8f3e-4a43-9d7c-1c3c2f6a9a11.tmp`), '999999996\n');
  writeFileSync(claimFile(dir, '999999995\nlong-gone\n'), '999999994\nkilled\n');

  const release = await lockDataDir(dir);
  expect(readdirSync(dir)).toEqual([LOCK]);
  expect(Number.parseInt(readFileSync(path.join(dir, LOCK), 'utf8'), 10)).toBe(process.pid);
  await release();
  expect(readdirSync(dir)).toEqual([]);
});

it('waits while a live process is taking the stale lock over, then competes for it', async () => {
  const dir = tempDir('vl-lock-');
  dirs.push(dir);
  const stale = '999999999';
  writeFileSync(path.join(dir, LOCK), stale);
  const other = await contender(dir); // a live node process, standing in for a claimer
  writeFileSync(claimFile(dir, stale), `${other.pid}\nclaiming\n`);
  // The claimer finishes: removes the stale lock, then its claim.
  setTimeout(() => {
    removeDir(path.join(dir, LOCK));
    removeDir(claimFile(dir, stale));
  }, 300);
  const started = Date.now();
  const release = await lockDataDir(dir);
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  await release();
  expect(readdirSync(dir)).toEqual([]);
});
