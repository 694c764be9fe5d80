/**
 * File input and output at the CLI edge: gzip detected by its magic bytes, UTF-8 text, streamed output
 * with back-pressure, and `-` for standard input/output.
 *
 * Output is transactional (README "Command-line conventions"): every file and folder a run writes is
 * first staged beside its final name (`NAME.partial-PID`), checked when the run starts (a missing
 * folder, a folder where a file is wanted, a file where a folder is wanted, no permission: one line,
 * exit 2, before any work), and moved into place together at the end. A failure, an uncaught error or
 * SIGINT/SIGTERM removes every staged output and says so; what stood under the final names before
 * is left as it was. A CDM folder is replaced as a whole: the run's CDMs take the place of an
 * earlier run's, never mix with them, and a folder holding anything else is refused.
 */
import {
  closeSync,
  constants,
  createWriteStream,
  type Dirent,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CliError } from './errors.js';

/** Reads a file (or `-` for stdin) as bytes; an unreadable path is a CliError naming it. */
export function readInputBytes(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new CliError(
      'INPUT_UNREADABLE',
      `cannot read ${path === '-' ? 'standard input' : path}: ${reason(e)}`,
    );
  }
}

/** Reads a file (or `-` for stdin) as text, gunzipping it when it starts with the gzip magic bytes. */
export function readTextInput(path: string): string {
  let raw = readInputBytes(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (e) {
      throw new CliError('INPUT_GZIP', `${path}: gzip data is corrupt: ${(e as Error).message}`);
    }
  }
  if (raw.includes(0)) {
    throw new CliError(
      'INPUT_BINARY',
      `${path}: binary data (NUL bytes) where a text element file was expected`,
    );
  }
  return raw.toString('utf8');
}

/** A system error's reason without Node's `open 'path'` tail: "permission denied (EACCES)". */
function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const text: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a path component is not a folder',
    EISDIR: 'is a folder',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
  };
  if (typeof code === 'string' && text[code] !== undefined) return `${text[code]} (${code})`;
  return (e as Error).message;
}

/** A line-oriented sink that writes to a file atomically (temp file, then rename) or to stdout. */
export interface OutputSink {
  write(chunk: string): Promise<void>;
  /**
   * Finishes the writing. From `openOutput` the file appears under its final name now; from an
   * OutputSet only when the set is committed.
   */
  close(): Promise<void>;
  /** Abandons the output (for an OutputSet: every output of the set), removing partial files. */
  abort(): void;
}

/** A folder being staged: files go into `path` (the staging folder) until the set is committed. */
export interface StagedFolder {
  /** Where to write the files now. */
  readonly path: string;
  /** The folder's final name. */
  readonly target: string;
}

interface Staged {
  readonly flag: string;
  readonly target: string;
  readonly staging: string;
  readonly kind: 'file' | 'folder';
  stream?: WriteStream;
  failed?: Error;
  /** After commit: where the replaced earlier output waits until the set is finished. */
  backup?: string;
  committed?: boolean;
}

/** Output sets not yet finished or rolled back: what an interrupt or a crash must clean up. */
const ACTIVE = new Set<OutputSet>();
let handlersInstalled = false;

/** Signal numbers for the conventional 128 + n exit status. */
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, n] of Object.entries(SIGNALS)) {
    process.on(signal, () => {
      const removed = rollbackAllOutputs();
      process.stderr.write(
        `\nhoshimi: interrupted (${signal})${removed.length > 0 ? `; removed partial output ${removed.join(', ')}` : ''}\n`,
      );
      process.exit(128 + n);
    });
  }
}

/**
 * Rolls back every output set still open (after an uncaught error or a signal) and returns the
 * final names whose partial outputs were removed.
 */
export function rollbackAllOutputs(): string[] {
  const removed: string[] = [];
  for (const set of [...ACTIVE]) removed.push(...set.rollback());
  return removed;
}

/** Checks that `folder` exists and is a folder; the message names the option and the path. */
function checkParent(flag: string, target: string): void {
  const parent = dirname(resolve(target));
  let st: Stats;
  try {
    st = statSync(parent);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new CliError('OUTPUT_NO_FOLDER', `${flag} ${target}: folder ${dirname(target)} does not exist`);
    }
    if (code === 'ENOTDIR') {
      throw new CliError('OUTPUT_NO_FOLDER', `${flag} ${target}: ${dirname(target)} is not a folder`);
    }
    throw new CliError(
      'OUTPUT_DENIED',
      `${flag} ${target}: cannot use folder ${dirname(target)}: ${reason(e)}`,
    );
  }
  if (!st.isDirectory()) {
    throw new CliError('OUTPUT_NO_FOLDER', `${flag} ${target}: ${dirname(target)} is not a folder`);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A CDM this program wrote: a `.cdm` or `.xml` file whose ORIGINATOR is HOSHIMI. */
function isHoshimiCdm(dir: string, entry: Dirent): boolean {
  if (!entry.isFile() || !/\.(cdm|xml|kvn)$/i.test(entry.name)) return false;
  const buf = Buffer.alloc(4096);
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, entry.name), 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    return /CCSDS_CDM_VERS|<cdm\b/.test(head) && /ORIGINATOR\s*(=\s*|>)HOSHIMI\b/.test(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The outputs of one run, staged and committed together: files (`--out`) and folders
 * (`--cdm-dir`). Paths are checked and staging space created when each output is added, so a bad
 * path fails before any work; nothing appears under a final name before `commit`.
 */
export class OutputSet {
  readonly #staged: Staged[] = [];
  #done = false;

  constructor() {
    ACTIVE.add(this);
    installSignalHandlers();
  }

  /** A file output; `undefined` or `-` is standard output (written at once, not staged). */
  file(path: string | undefined, flag = '--out'): OutputSink {
    if (path === undefined || path === '-') {
      return {
        write: (chunk) => writeWithBackpressure(process.stdout, chunk),
        close: async () => {},
        abort: () => {},
      };
    }
    if (statOrNull(path)?.isDirectory() || /[/\\]$/.test(path)) {
      throw new CliError('OUTPUT_IS_FOLDER', `${flag} ${path}: is a folder; give a file name`);
    }
    checkParent(flag, path);
    const staging = `${path}.partial-${process.pid}`;
    let fd: number;
    try {
      fd = openSync(staging, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    } catch (e) {
      throw new CliError(
        'OUTPUT_DENIED',
        `${flag} ${path}: cannot create a file in ${dirname(path)}: ${reason(e)}`,
      );
    }
    const s: Staged = { flag, target: path, staging, kind: 'file', stream: createWriteStream('', { fd }) };
    s.stream!.on('error', (e) => {
      s.failed = e;
    });
    this.#staged.push(s);
    const fail = (e: Error) => new CliError('OUTPUT_WRITE', `${flag} ${path}: cannot write: ${reason(e)}`);
    return {
      write: async (chunk) => {
        if (s.failed) throw fail(s.failed);
        await writeWithBackpressure(s.stream!, chunk);
        if (s.failed) throw fail(s.failed);
      },
      close: async () => {
        await endStream(s);
        if (s.failed) throw fail(s.failed);
      },
      abort: () => {
        this.rollback();
      },
    };
  }

  /**
   * A folder output, replaced as a whole at commit: it may be new (its parent must exist), empty,
   * or hold only CDMs an earlier run wrote; anything else in it is refused, never mixed or deleted.
   */
  folder(path: string, flag: string): StagedFolder {
    const st = statOrNull(path);
    if (st !== null && !st.isDirectory()) {
      throw new CliError('OUTPUT_NOT_FOLDER', `${flag} ${path}: is a file, not a folder`);
    }
    checkParent(flag, path);
    if (st !== null) {
      let entries: Dirent[];
      try {
        entries = readdirSync(path, { withFileTypes: true });
      } catch (e) {
        throw new CliError('OUTPUT_DENIED', `${flag} ${path}: cannot read the folder: ${reason(e)}`);
      }
      const foreign = entries.filter((e) => !isHoshimiCdm(path, e));
      if (foreign.length > 0) {
        throw new CliError(
          'OUTPUT_FOLDER_NOT_EMPTY',
          `${flag} ${path}: holds ${foreign.length} entries that are not Hoshimi CDMs (first: ${foreign[0]!.name}); ` +
            'give a new or empty folder, or one holding only an earlier run’s CDMs (which this run replaces)',
        );
      }
    }
    const staging = join(dirname(path), `${basename(path)}.partial-${process.pid}`);
    try {
      mkdirSync(staging);
    } catch (e) {
      throw new CliError(
        'OUTPUT_DENIED',
        `${flag} ${path}: cannot create a folder in ${dirname(path)}: ${reason(e)}`,
      );
    }
    this.#staged.push({ flag, target: path, staging, kind: 'folder' });
    return { path: staging, target: path };
  }

  /**
   * Moves every staged output to its final name; an earlier output under that name is kept aside
   * until `finish` (or put back by `rollback`). On a failure everything is rolled back.
   */
  async commit(): Promise<void> {
    try {
      for (const s of this.#staged) {
        await endStream(s);
        if (s.failed)
          throw new CliError('OUTPUT_WRITE', `${s.flag} ${s.target}: cannot write: ${reason(s.failed)}`);
      }
      for (const s of this.#staged) {
        if (statOrNull(s.target) !== null) {
          const backup = `${s.target}.old-${process.pid}`;
          renameSync(s.target, backup);
          s.backup = backup;
        }
        try {
          renameSync(s.staging, s.target);
        } catch (e) {
          throw new CliError(
            'OUTPUT_WRITE',
            `${s.flag} ${s.target}: cannot move the output into place: ${reason(e)}`,
          );
        }
        s.committed = true;
      }
    } catch (e) {
      this.rollback();
      throw e;
    }
  }

  /** Ends the transaction: drops the earlier outputs kept aside by `commit`. */
  finish(): void {
    for (const s of this.#staged)
      if (s.backup !== undefined) rmSync(s.backup, { recursive: true, force: true });
    this.#staged.length = 0;
    this.#done = true;
    ACTIVE.delete(this);
  }

  /**
   * Removes every staged output and, after a commit, puts the earlier outputs back. Returns the final
   * names whose outputs were removed. Safe to call more than once.
   */
  rollback(): string[] {
    const removed: string[] = [];
    if (this.#done) return removed;
    for (const s of [...this.#staged].reverse()) {
      try {
        s.stream?.destroy();
        rmSync(s.staging, { recursive: true, force: true });
        if (s.committed) rmSync(s.target, { recursive: true, force: true });
        // Set aside by commit (even when the move into place then failed): put it back.
        if (s.backup !== undefined) renameSync(s.backup, s.target);
      } catch (e) {
        process.stderr.write(
          `hoshimi: could not clean up ${s.target}: ${reason(e)}${s.backup === undefined ? '' : ` (the earlier output is in ${s.backup})`}\n`,
        );
      }
      removed.push(s.target);
    }
    this.#staged.length = 0;
    this.#done = true;
    ACTIVE.delete(this);
    return removed;
  }
}

/** Ends a staged file's stream (once) and waits until its data is handed to the system. */
function endStream(s: Staged): Promise<void> {
  const stream = s.stream;
  if (stream === undefined || stream.closed || stream.destroyed) return Promise.resolve();
  return new Promise<void>((res) => {
    stream.once('close', () => res());
    if (!stream.writableEnded) stream.end();
  });
}

/** One file output on its own (or stdout for `undefined`/`-`): `close` commits it, `abort` removes it. */
export function openOutput(path: string | undefined, flag = '--out'): OutputSink {
  const set = new OutputSet();
  const sink = set.file(path, flag);
  return {
    write: (chunk) => sink.write(chunk),
    close: async () => {
      await sink.close();
      await set.commit();
      set.finish();
    },
    abort: () => {
      set.rollback();
    },
  };
}

/** Writes a chunk, waiting for 'drain' when the stream's buffer is full (or for its failure). */
function writeWithBackpressure(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}
