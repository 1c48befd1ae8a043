// Reading and writing the data files a line at a time. No data file is ever held whole in
// one string: V8 refuses strings past ~512 MiB, which ordinary data reaches at about 1.4
// million events, and a companion that could write its data but not read it back would be
// stuck for good.
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;

export interface LineReadOptions {
  /** Read no further than this many bytes (a snapshot names the length of its events file). */
  limit?: number;
  /** Called with every byte read, in order (for checksums). */
  onBytes?: (bytes: Buffer) => void;
}

export interface LineReadResult {
  /** Bytes read (up to the limit). */
  bytes: number;
  /** The bytes after the last newline (a last line without its newline), as text. */
  tail: string;
  /** Offset of the tail in the file. */
  tailOffset: number;
}

/**
 * Calls `onLine` with each newline-terminated line (without the newline) and its number
 * (from 1). Lines are decoded as UTF-8 a chunk at a time.
 */
export async function forEachLine(
  file: string,
  onLine: (line: string, n: number) => void,
  options: LineReadOptions = {},
): Promise<LineReadResult> {
  const fh = await open(file, 'r');
  try {
    return await readLines(fh, onLine, options);
  } finally {
    await fh.close();
  }
}

async function readLines(
  fh: FileHandle,
  onLine: (line: string, n: number) => void,
  { limit = Infinity, onBytes }: LineReadOptions,
): Promise<LineReadResult> {
  // The bytes of a line not yet ended, as the chunks they came in: a line of many chunks (a
  // visit listing millions of event ids) is joined once, not once per chunk.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let position = 0;
  let n = 0;
  while (position < limit) {
    const want = Math.min(CHUNK, limit - position);
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await fh.read(buf, 0, want, position);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    onBytes?.(chunk);
    position += bytesRead;
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      continue;
    }
    // Decoding up to the last newline never splits a UTF-8 sequence (0x0a is never inside one).
    const head = pending.length ? Buffer.concat([...pending, chunk.subarray(0, last)], pendingBytes + last) : chunk.subarray(0, last);
    const text = head.toString('utf8');
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      onLine(end < 0 ? text.slice(start) : text.slice(start, end), ++n);
      if (end < 0) break;
      start = end + 1;
    }
    pending = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    pendingBytes = chunk.length - (last + 1);
  }
  const tail = Buffer.concat(pending, pendingBytes);
  return { bytes: position, tail: tail.toString('utf8'), tailOffset: position - pendingBytes };
}

/**
 * Writes text to an open file in chunks as it is produced, so that no whole file is ever one
 * string; awaiting each chunk also lets requests run between them.
 */
export class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly onBytes?: (bytes: Buffer) => void,
  ) {}

  /** Adds text; resolves at once unless a chunk is full and goes to disk. */
  async add(text: string): Promise<void> {
    if (this.push(text)) await this.flush();
  }

  /**
   * Adds text without a promise; true when a chunk is full and should be flushed. For loops
   * over a million lines, where an await per line was most of the loop's cost.
   */
  push(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= CHUNK;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    this.onBytes?.(buf);
    let written = 0;
    while (written < buf.length) written += (await this.fh.write(buf, written, buf.length - written)).bytesWritten;
    this.bytes += buf.length;
  }
}
