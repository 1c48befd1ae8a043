// Runs the `visitor-lab` command as a user's shell would (the package's bin, which loads the
// bundle global-setup built), without blocking this process: an in-process companion must
// keep answering while the command talks to it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './companion';

export const BIN = path.join(ROOT, 'bin/visitor-lab.mjs');

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function visitorLab(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; bin?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? BIN, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
