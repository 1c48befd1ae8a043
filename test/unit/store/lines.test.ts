// The line reader every data file is read with: no file is ever held whole in one string, so
// lines must come out the same whatever the chunk boundaries fall on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine } from '../../../companion/store/lines';

const dir = mkdtempSync(path.join(tmpdir(), 'vl-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lines(text: string | Buffer, limit?: number) {
  const file = path.join(dir, `f-${Math.random()}`);
  writeFileSync(file, text);
  const out: string[] = [];
  const seen: Buffer[] = [];
  const result = await forEachLine(file, (l, n) => out.push(`${n}:${l}`), { limit, onBytes: (b) => seen.push(Buffer.from(b)) });
  return { out, result, seen: Buffer.concat(seen) };
}

describe('forEachLine', () => {
  it('gives each line with its number, and the unterminated tail apart', async () => {
    const { out, result } = await lines('a\nbb\n\nccc');
    expect(out).toEqual(['1:a', '2:bb', '3:']);
    expect(result).toEqual({ bytes: 9, tail: 'ccc', tailOffset: 6 });
  });

  it('keeps lines and multi-byte characters whole across 1 MiB chunk boundaries', async () => {
    const long = 'é'.repeat(700_000); // 1.4 MB of two-byte characters: spans two chunks
    const many = Array.from({ length: 30_000 }, (_, i) => `line ${i} ✓ ${'x'.repeat(i % 97)}`);
    const text = [long, ...many, long].join('\n') + '\n';
    const { out, result, seen } = await lines(text);
    expect(out).toEqual([long, ...many, long].map((l, i) => `${i + 1}:${l}`));
    expect(result.tail).toBe('');
    expect(seen.equals(Buffer.from(text))).toBe(true); // every byte passed to the checksum, in order
  });

  it('reads no further than the limit', async () => {
    const { out, result } = await lines('one\ntwo\nthree\n', 8);
    expect(out).toEqual(['1:one', '2:two']);
    expect(result.bytes).toBe(8);
  });
});

describe('a line of many chunks', () => {
  it('comes out whole (a visit listing millions of event ids is one line)', async () => {
    const long = Array.from({ length: 700_000 }, (_, i) => `"e${i}-東"`).join(',');
    const { out, result } = await lines(`${long}\nnext\n`);
    expect(Buffer.byteLength(long)).toBeGreaterThan(8 * 2 ** 20);
    expect(out).toEqual([`1:${long}`, '2:next']);
    expect(result.tail).toBe('');
  });
});

describe('snapshotHeaderOnDisk', () => {
  it('tells no snapshot (null) from one it cannot read now (unknown), so a failed snapshot deletes nothing on a guess', async () => {
    const { snapshotHeaderOnDisk } = await import('../../../companion/store/snapshot-file');
    const { mkdirSync } = await import('node:fs');
    expect(await snapshotHeaderOnDisk(path.join(dir, 'none.json'))).toBeNull();
    const asDir = path.join(dir, 'a-directory.json');
    mkdirSync(asDir);
    expect(await snapshotHeaderOnDisk(asDir)).toBe('unknown');
    const file = path.join(dir, 'header.json');
    const ranges = Array.from({ length: 2000 }, (_, i) => ({ end: i + 1, sha256: 'a'.repeat(64) })); // a header past 64 KiB
    writeFileSync(file, `${JSON.stringify({ format: 3, seq: 7, events: { file: 'events-1.jsonl', count: 1, bytes: 2000, ranges } })}\n["visit",{}]\n`);
    expect(await snapshotHeaderOnDisk(file)).toMatchObject({ seq: 7, events: { file: 'events-1.jsonl' } });
  });
});
