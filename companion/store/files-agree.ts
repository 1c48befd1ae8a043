// Before the data is read: the files in the data directory must tell one story. A missing
// snapshot beside events files or a journal that does not start at the beginning, or a
// snapshot without the journal segment it was written with, means files were deleted; starting
// anyway would answer with part of the data, and the next snapshot would delete the rest.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CorruptDataError } from './errors';
import { journalSegmentName, listSegments } from './journal';

const EVENTS_FILE = /^events-\d+\.jsonl$/;

class FilesDisagreeError extends CorruptDataError {}

/** Without a snapshot: the journal must start at record 1, or there must be no data at all. */
export async function checkWithoutSnapshot(dataDir: string, snapshotFile: string): Promise<void> {
  const eventsFiles = (await readdir(dataDir)).filter((n) => EVENTS_FILE.test(n));
  const segments = await listSegments(path.join(dataDir, 'journal'));
  const journalFromStart = segments.length > 0 && segments[0].firstSeq === 1;
  // A journal from record 1 holds everything: events files beside it are what a first
  // snapshot wrote before a crash kept it from writing visitor-lab.json (deleted by the next).
  if (journalFromStart || (segments.length === 0 && eventsFiles.length === 0)) return;
  const found = [...eventsFiles, ...segments.map((s) => path.relative(dataDir, s.file))].join(', ');
  throw new FilesDisagreeError(
    snapshotFile,
    `it is missing, but the data directory holds ${found}, which only a snapshot can make sense of. ` +
      'Restore visitor-lab.json from a backup; to start empty on purpose, move those files away first',
  );
}

/**
 * With a snapshot at `seq`: the journal segment opened when it was written (records from
 * seq + 1 on) must still be there (rotation opens it before the snapshot is written), or a
 * journal that runs through the snapshot's last record (`lastSeq`, the highest record read).
 */
export async function checkJournalAfterSnapshot(dataDir: string, seq: number, lastSeq: number): Promise<void> {
  const journalDir = path.join(dataDir, 'journal');
  const segments = await listSegments(journalDir);
  if (lastSeq >= seq || segments.some((s) => s.firstSeq === seq + 1)) return;
  const expected = path.join(journalDir, journalSegmentName(seq + 1));
  throw new FilesDisagreeError(
    expected,
    `it is missing: the snapshot ends at record ${seq} and its journal, which holds every record acknowledged since, is gone. ` +
      'Restore the journal folder from a backup; to start from the snapshot alone (losing what came after it) on purpose, create that file empty',
  );
}
