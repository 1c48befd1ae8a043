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

/**
 * A run was to start as the active run while another is (started meanwhile by another companion
 * on the same database): nothing was stored.
 */
export class ActiveRunTaken extends Error {
  constructor(
    readonly runId: string,
    readonly runName: string,
  ) {
    super(`run ${runId} is the active run`);
    this.name = 'ActiveRunTaken';
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

/** The data directory cannot be written (or read) by this process; the companion refuses to start. */
export class DataDirAccessError extends Error {
  constructor(
    readonly dir: string,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    const uid = process.getuid?.();
    const who = uid === undefined ? 'this user' : `uid ${uid}`;
    const [what, fix] =
      cause.code === 'EROFS'
        ? ['is on a read-only file system', 'Mount it read-write']
        : [`is read-only for this user (${who})`, `Make it and its files writable for ${who} (chmod -R u+w ${dir}, or chown -R)`];
    super(`The data directory ${dir} ${what}: ${cause.message}. The companion stores everything there and did not start. ${fix}, or start with another --data directory.`);
    this.name = 'DataDirAccessError';
  }
}
