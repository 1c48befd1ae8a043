import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
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

/** Data directories this process holds (a pid check cannot tell two in-process stores apart). */
const held = new Set<string>();

/**
 * One companion per data directory: two writers would interleave the journal. A lock left
 * by a killed companion (its pid is gone) is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, 'companion.lock');
  if (held.has(file)) throw new DataDirLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      held.add(file);
      return async () => {
        held.delete(file);
        await rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(dir, pid);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}
