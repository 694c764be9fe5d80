/**
 * What coordinator and workers share through Redis: the queue's name, the keys of one screening,
 * the data of a unit job, and the encoding of the screening input and of a unit's result.
 *
 * A screening is stored once (`…:input`: the element sets and options) under a fresh screening id,
 * and split into units, each a range of blocks [first, end) of the window (a time window; see
 * screen-distributed.ts for why units are not also object blocks). A worker writes a unit's result
 * into the field `unit` of the hash `…:results`: the same unit run twice (a worker thought dead
 * that finishes anyway) writes the same bytes again, so results are never counted twice. `…:progress`
 * holds each unit's blocks done, `…:cancel` a cancellation flag the workers check between blocks,
 * and `…:alive` the coordinator's heartbeat (a key it keeps renewing): a unit whose coordinator is
 * gone (an interrupted `hoshimi screen --queue`, a crashed server) is dropped like a cancelled one.
 *
 * Encoding: node:v8 serialisation (the structured-clone format, versioned and read by later Node
 * versions), gzip-compressed: doubles travel bit for bit (an Infinity maximum element-set age, the
 * Float64Array event rows) and element sets keep their shape. INPUT_FORMAT and RESULT_FORMAT are
 * checked on read, so a worker of another release says so instead of misreading.
 */
import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ElementSet } from '@hoshimi/astro';
import type { ScreeningLossRows, ScreeningOptions, ScreeningStats } from '@hoshimi/astro/conjunction';
import { QueueError } from './errors.js';

/** BullMQ key prefix of every queue of Hoshimi, and the prefix of the screening keys. */
export const QUEUE_PREFIX = 'hoshimi';
/** The queue of screening units. */
export const SCREENING_QUEUE = 'screening-units';
/** BullMQ job name of a unit. */
export const UNIT_JOB_NAME = 'screening-unit';

export const INPUT_FORMAT = 1;
export const RESULT_FORMAT = 1;

/** Redis keys of one screening. */
export function screeningKeys(screeningId: string): {
  readonly input: string;
  readonly results: string;
  readonly progress: string;
  readonly cancel: string;
  readonly alive: string;
} {
  const base = `${QUEUE_PREFIX}:screening:${screeningId}`;
  return {
    input: `${base}:input`,
    results: `${base}:results`,
    progress: `${base}:progress`,
    cancel: `${base}:cancel`,
    alive: `${base}:alive`,
  };
}

/** BullMQ job id of a unit (ids may not contain ':'). */
export function unitJobId(screeningId: string, unit: number): string {
  return `${screeningId}-u${unit}`;
}

/** The data of a unit job. */
export interface UnitJobData {
  readonly screeningId: string;
  /** 0-based unit number and the count of units of the screening. */
  readonly unit: number;
  readonly units: number;
  /** Blocks [first, end) of the window. */
  readonly first: number;
  readonly end: number;
  /** Blocks of the whole window (checked against the worker's own run). */
  readonly blockCount: number;
  /** Lifetime of the keys the worker writes, s. */
  readonly ttlSec: number;
}

export interface ScreeningInput {
  readonly elements: readonly ElementSet[];
  readonly options: ScreeningOptions;
}

/** Set-up outcome of the run (the same in every worker): counters, warnings, objects left out. */
export interface UnitSetup {
  readonly blockCount: number;
  readonly stats: ScreeningStats;
  readonly warnings: readonly { readonly code: string; readonly message: string }[];
  readonly setupLosses: Float64Array;
}

/** What a worker returns for a unit. */
export interface UnitResult {
  readonly unit: number;
  readonly first: number;
  readonly end: number;
  readonly setup: UnitSetup;
  /** Packed event rows of the unit's blocks (SCREENING_EVENT_STRIDE doubles per row). */
  readonly events: Float64Array;
  /** Counters of the unit's blocks only. */
  readonly stats: ScreeningStats;
  readonly losses: ScreeningLossRows;
}

function encode(format: number, value: unknown): Buffer {
  return gzipSync(serialize({ format, value }), { level: 1 });
}

function decode(bytes: Buffer, format: number, what: string): unknown {
  let wrapped: { format?: unknown; value?: unknown };
  try {
    wrapped = deserialize(gunzipSync(bytes)) as { format?: unknown; value?: unknown };
  } catch (e) {
    throw new QueueError('QUEUE_BAD_DATA', `cannot read the ${what}: ${(e as Error).message}`);
  }
  if (wrapped.format !== format) {
    throw new QueueError(
      'QUEUE_FORMAT',
      `the ${what} is in format ${String(wrapped.format)}, this release reads format ${format} (run workers and coordinator of the same release)`,
      { found: wrapped.format, expected: format },
    );
  }
  return wrapped.value;
}

/**
 * Options as plain data: callbacks dropped (they cannot travel), numbers kept as they are.
 */
export function plainOptions(o: ScreeningOptions): ScreeningOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== 'function')) as ScreeningOptions;
}

export function encodeInput(input: ScreeningInput): Buffer {
  return encode(INPUT_FORMAT, { elements: input.elements, options: plainOptions(input.options) });
}

export function decodeInput(bytes: Buffer): ScreeningInput {
  return decode(bytes, INPUT_FORMAT, 'screening input') as ScreeningInput;
}

export function encodeResult(result: UnitResult): Buffer {
  return encode(RESULT_FORMAT, result);
}

export function decodeResult(bytes: Buffer): UnitResult {
  return decode(bytes, RESULT_FORMAT, 'unit result') as UnitResult;
}

/** Units of `unitBlocks` blocks covering [0, blockCount) (the last one shorter). */
export function splitBlocks(blockCount: number, unitBlocks: number): { first: number; end: number }[] {
  const units: { first: number; end: number }[] = [];
  for (let first = 0; first < blockCount; first += unitBlocks) {
    units.push({ first, end: Math.min(blockCount, first + unitBlocks) });
  }
  return units;
}
