// The lowdb adapter for the snapshot. lowdb's own JSONFile pretty-prints, does not fsync and
// cannot tell a missing file from a broken one; this one writes compact JSON to a temp file,
// fsyncs it, renames it over the old one (atomic) and fsyncs the folder, and reports a
// corrupt file instead of handing lowdb something half-read.
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { CorruptDataError } from './errors';
import { fsyncDir } from './fsync';

export class SnapshotFile<T> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly check: (data: unknown) => string | null,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new CorruptDataError(this.file, `not JSON: ${(e as Error).message}; ${text.length} bytes`);
    }
    const problem = this.check(data);
    if (problem) throw new CorruptDataError(this.file, problem);
    return data as T;
  }

  async write(data: T): Promise<void> {
    // Stringified before the first await, so the file holds the state of this moment.
    const text = JSON.stringify(data);
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    await fsyncDir(path.dirname(this.file));
  }
}
