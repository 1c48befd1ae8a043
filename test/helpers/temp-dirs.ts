// Data folders a test file makes, removed after each test.
import { afterEach } from 'vitest';
import { removeDir, tempDir } from './companion';

/** Registers the clean-up; returns the function that makes a folder. */
export function tempDirs(prefix?: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) removeDir(d);
  });
  return () => {
    const d = tempDir(prefix);
    made.push(d);
    return d;
  };
}
