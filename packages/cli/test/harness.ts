/**
 * What every CLI test shares: the `hoshimi` binary, the reference data folder, and a run of the real
 * command in a child process (its exit status and both output streams).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');

/** ../shared/data, or $HOSHIMI_REFERENCE_DATA. */
export const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Largest output a test reads back (full-catalog runs write hundreds of MB to stdout). */
const MAX_BUFFER = 512 * 1024 * 1024;

/** Runs `hoshimi ...args` to completion. */
export function runHoshimi(
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly input?: string } = {},
): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `hoshimi(...args)`: the common case. */
export function hoshimi(...args: string[]): CliRun {
  return runHoshimi(args);
}
