import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirLockedError } from './errors';

/**
 * Whether the lock's pid is a live companion. After a restart (a container's, say) the pid
 * may belong to some other program now: where /proc tells the command, only a node process
 * counts. A zombie (killed, not yet reaped) no longer holds anything.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (/^State:\s+Z/m.test(status)) return false;
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc here: trust the pid
  }
}

export const LOCK_FILE = 'companion.lock';

/** Data directories this process holds or is locking (a pid check cannot tell two in-process stores apart). */
const held = new Set<string>();

/**
 * The pid a lock (or claim) file names: its first line. Older companions wrote the pid alone;
 * this one adds a line with a random token so that no two locks ever have the same content.
 */
function ownerOf(content: string): number | null {
  const pid = Number(content.split('\n', 1)[0].trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether the file's owner holds it still: a live process other than this one (see `held`). */
function ownerAlive(content: string): boolean {
  const pid = ownerOf(content);
  return pid !== null && pid !== process.pid && alive(pid);
}

function newContent(): string {
  return `${process.pid}\n${randomUUID()}\n`;
}

async function read(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Creates `file` with `content` if no file of that name exists: the content is written to a
 * temp file first and linked in whole (link() fails with EEXIST where a file is), so nobody
 * ever reads a lock half-written.
 */
async function createWhole(file: string, content: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}-${randomUUID()}.tmp`;
  try {
    await writeFile(tmp, content, { flag: 'wx' });
  } catch (e) {
    // Name the file being created, not the temp file (an unwritable folder's error says it).
    const err = e as NodeJS.ErrnoException;
    err.message = err.message.replace(tmp, file);
    err.path = file;
    throw err;
  }
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // No hard links here (vfat, exFAT, some network mounts): an exclusive create instead, as
    // before. There, a contender reading the file in the instant before its content is written
    // could still take it for a stale lock; better than not starting at all.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusive(file, content);
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The claim a process must hold to remove a dead owner's file whose content is `content`. */
export function claimFile(dir: string, content: string): string {
  return path.join(dir, `${LOCK_FILE}.takeover-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Removes `file` if it still holds `content` (whose owner is dead); returns once it no longer
 * does (removed here or by another process).
 *
 * Why this is safe, with any number of processes doing this at once:
 * - Files here (locks and claims) are only created whole and only where no file of that name
 *   is (createWhole), and each has content no other file ever had (pid + random token). So
 *   `file` holding `content` X stops doing so only when it is removed: by its owner (alive,
 *   then, and not removed here) or by this function.
 * - This function removes `file` only while holding the claim for X, which it creates the
 *   same exclusive way, and only after reading X in `file` with the claim held. While the
 *   claim is held nobody else removes `file`, and nothing replaces X without removing it, so
 *   what is removed is X, never a lock another process has just taken.
 * - Whoever saw X and lost the claim waits for it, then finds X gone; from there every
 *   contender creates its lock with createWhole, which exactly one wins; the rest read a live
 *   owner's lock and give up.
 * - A claim left by a process killed mid-takeover has a dead owner too: it is removed the
 *   same way (holding a claim on the claim), then the takeover goes on.
 * The old way (read a dead pid, rm, create) could rm a lock another contender had taken a
 * moment before, and then both held the folder.
 */
async function removeIfStill(dir: string, file: string, content: string, depth: number): Promise<void> {
  if (depth > 8) throw new Error(`Could not take over the lock in ${dir}: too many abandoned takeovers (${LOCK_FILE}.takeover-* files); remove them`);
  const claim = claimFile(dir, content);
  const mine = newContent();
  for (let round = 0; ; round++) {
    if (await createWhole(claim, mine)) {
      try {
        if ((await read(file)) === content) await rm(file, { force: true });
      } finally {
        await rm(claim, { force: true });
      }
      return;
    }
    const other = await read(claim);
    if (other !== null && ownerAlive(other)) {
      // Another process is removing X right now (a matter of milliseconds): wait for it.
      if (round > 250) throw new DataDirLockedError(dir, ownerOf(other)!);
      await sleep(20);
    } else if (other !== null) {
      await removeIfStill(dir, claim, other, depth + 1);
    }
    if ((await read(file)) !== content) return;
  }
}

/**
 * Best effort, once the lock is ours: removes what killed contenders left (temp files, and
 * claims whose owner is dead, removed the safe way), so the folder does not collect them.
 */
async function cleanUp(dir: string): Promise<void> {
  try {
    for (const name of await readdir(dir)) {
      if (!name.startsWith(`${LOCK_FILE}.`)) continue;
      const full = path.join(dir, name);
      const tmp = /\.(\d+)-[0-9a-f-]{36}\.tmp$/.exec(name);
      if (tmp) {
        // A temp file is only ever used by the process that made it.
        if (Number(tmp[1]) !== process.pid && !alive(Number(tmp[1]))) await rm(full, { force: true });
      } else if (name.startsWith(`${LOCK_FILE}.takeover-`)) {
        const content = await read(full);
        if (content !== null && !ownerAlive(content)) await removeIfStill(dir, full, content, 1);
      }
    }
  } catch {
    /* leftovers are harmless */
  }
}

/**
 * One companion per data directory: two writers would interleave the journal. A lock left
 * by a killed companion (its pid is gone) is taken over, by one companion only however many
 * start at once (see removeIfStill).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirLockedError(dir, process.pid);
  held.add(file); // before any await: a second store in this process must not take it over
  try {
    const mine = newContent();
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await createWhole(file, mine)) {
        await cleanUp(dir);
        return async () => {
          // Only if it is still ours; a lock left behind (unwritable folder) is stale once we exit.
          try {
            if ((await read(file)) === mine) await rm(file, { force: true });
          } catch {
            /* taken over as a dead pid's next time */
          } finally {
            held.delete(file);
          }
        };
      }
      const content = await read(file);
      if (content === null) continue; // released just now
      if (ownerAlive(content)) throw new DataDirLockedError(dir, ownerOf(content)!);
      await removeIfStill(dir, file, content, 0);
    }
    throw new Error(`Could not lock ${dir}: the lock file keeps changing`);
  } catch (e) {
    held.delete(file);
    throw e;
  }
}
