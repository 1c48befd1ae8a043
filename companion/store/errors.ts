/** The data on disk cannot be read as Visitor Lab data; the companion refuses to start. */
export class CorruptDataError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `The data file ${file} is not valid Visitor Lab data (${detail}). ` +
        'The companion left it untouched and did not start. Move it aside (or restore a backup) ' +
        'to start with that data gone, or start with another --data directory.',
    );
    this.name = 'CorruptDataError';
  }
}

/** Another companion process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`The data directory ${dir} is in use by another companion (pid ${pid}). Stop it, or use another --data directory.`);
    this.name = 'DataDirLockedError';
  }
}

/** A write to disk failed: what was being stored was not acknowledged. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
