/**
 * File input and output at the CLI edge: gzip detected by its magic bytes, UTF-8 text, streamed output
 * with back-pressure, and `-` for standard input/output.
 */
import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CliError } from './errors.js';

/** Reads a file (or `-` for stdin) as text, gunzipping it when it starts with the gzip magic bytes. */
export function readTextInput(path: string): string {
  let raw: Buffer;
  try {
    raw = readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new CliError('INPUT_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`);
  }
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

/** A line-oriented sink that writes to a file atomically (temp file, then rename) or to stdout. */
export interface OutputSink {
  write(chunk: string): Promise<void>;
  /** Finishes the output; a file appears under its final name only now. */
  close(): Promise<void>;
  /** Abandons the output, removing any partial file. */
  abort(): void;
}

export function openOutput(path: string | undefined): OutputSink {
  if (path === undefined || path === '-') {
    return {
      write: (chunk) => writeWithBackpressure(process.stdout, chunk),
      close: async () => {},
      abort: () => {},
    };
  }
  const tmp = `${path}.partial-${process.pid}`;
  const stream = createWriteStream(tmp);
  let failed: Error | undefined;
  stream.on('error', (e) => {
    failed = e;
  });
  return {
    write: async (chunk) => {
      if (failed) throw new CliError('OUTPUT_WRITE', `cannot write ${path}: ${failed.message}`);
      await writeWithBackpressure(stream, chunk);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end(() => {
          if (failed) {
            reject(new CliError('OUTPUT_WRITE', `cannot write ${path}: ${failed.message}`));
            return;
          }
          renameSync(tmp, path);
          resolve();
        });
      }),
    abort: () => {
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}

function writeWithBackpressure(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}
