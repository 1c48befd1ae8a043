// The package as another project gets it: `npm pack` (its prepack builds everything) from a copy
// of this working tree, so the build writes the copy's .output and not the one other tests are
// running from. Used by the package test and the examples' test.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './companion';

/** Runs a command to its end; a non-zero exit throws with everything it printed. */
export function runOrThrow(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * This working tree's files (tracked and new, not ignored) copied into `work`/repo with
 * node_modules linked.
 */
export function copyOfTree(work: string): string {
  const copy = path.join(work, 'repo');
  const files = runOrThrow('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(from, path.join(copy, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

/** Packs a copy of this working tree into `work`/packed; answers the tarball's path. */
export function packTree(work: string): string {
  const copy = copyOfTree(work);
  const packed = path.join(work, 'packed');
  mkdirSync(packed);
  runOrThrow('npm', ['pack', '--pack-destination', packed, '--silent'], copy);
  return path.join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz'))!);
}
