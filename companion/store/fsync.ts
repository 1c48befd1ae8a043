import { open } from 'node:fs/promises';

/** Makes a directory entry (a created, renamed or removed file) durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
