/**
 * `hoshimi events`: the detection events kept in the catalog store (maneuvers, proximity and other
 * behaviour findings; @hoshimi/astro's DetectionEvent record).
 *
 * - `list` reads the store (opened read-only, never created): a table by default, or JSON with the
 *   record's fields in snake_case.
 * - `import FILE` stores a JSON array of DetectionEvent records (a detector's output or a partner's
 *   file; camelCase fields, or the snake_case that `list --json` writes). Every record is checked;
 *   the good ones are stored (an event already stored is counted, not duplicated), each bad one is
 *   reported with file, index, field, what was expected and what was found, and the exit status is
 *   then 1. A record's own `label` and `marking` are kept; `--label` and `--marking` (with
 *   `--originator`, `--data-mode`) mark those without one.
 */
import {
  type ClassificationScheme,
  checkDetectionEvent,
  type DetectionEvent,
  isDetectionEventType,
  type Marking,
  marking,
} from '@hoshimi/astro';
import type { StoredEvent } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { readTextInput } from '../io.js';
import { storeName } from '../store-location.js';
import { dbPath, MARKING_OPTIONS, markingFromFlags, markingText, withStore } from './catalog-common.js';

export const EVENTS_USAGE = `Usage: hoshimi events <subcommand> [options]

Subcommands:
  list [--type T] [--id ID] [--detector NAME] [--from ISO] [--to ISO] [--limit N] [--json]
        events whose window overlaps [--from, --to] (either may be left open), by time
  import FILE [--label TEXT] [--marking BANNER] [--originator ORG] [--data-mode MODE]
        store a JSON array of event records (FILE '-' reads standard input); an event already
        stored (same detector, version, type, kind, objects and window) is not stored twice

Options:
  --db PATH        the catalog database (default $HOSHIMI_DB or ./hoshimi.db); import creates it when
                   missing, list only reads it (a missing one is an error)
  --type T         maneuver, proximity, rendezvous, co-location, attached, fragmentation, reentry
  --id ID          events involving this catalog number
  --json           list as JSON: id, key, type, kind, objects, time_utc, window_start_utc,
                   window_end_utc, score, threshold, detector, detector_version, evidence, inputs,
                   label, created_at, updated_at
  --label TEXT     releasability label of imported events that carry none in the file (a
                   record's own "label" wins; default UNMARKED)
  --marking BANNER, --originator ORG, --data-mode MODE
                   the marking of the imported events, as for 'hoshimi catalog import'
                   (default: the lowest level, releasable to all, the store's home organisation, REAL)
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${EVENTS_USAGE}`);
}

export async function eventsCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return listCmd(rest);
    case 'import':
      return importCmd(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(EVENTS_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw usage(`unknown events subcommand ${JSON.stringify(sub)}`);
  }
}

/** The record with snake_case field names (the JSON of `list`, read back by `import`). */
export function eventJson(e: StoredEvent): Record<string, unknown> {
  return {
    id: e.id,
    key: e.key,
    type: e.type,
    kind: e.kind,
    objects: e.objects,
    time_utc: e.timeUtc,
    window_start_utc: e.windowStartUtc,
    window_end_utc: e.windowEndUtc,
    score: e.score,
    threshold: e.threshold,
    detector: e.detector,
    detector_version: e.detectorVersion,
    evidence: e.evidence,
    inputs: e.inputs,
    label: e.label,
    marking: e.marking,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

/** snake_case field names of the record and their camelCase names. */
const SNAKE_FIELDS: Record<string, keyof DetectionEvent> = {
  time_utc: 'timeUtc',
  window_start_utc: 'windowStartUtc',
  window_end_utc: 'windowEndUtc',
  detector_version: 'detectorVersion',
};

/** Top-level snake_case fields renamed to the record's names (evidence and inputs untouched). */
function camelRecord(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const r: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [snake, camel] of Object.entries(SNAKE_FIELDS)) {
    if (snake in r && !(camel in r)) {
      r[camel] = r[snake];
      delete r[snake];
    }
  }
  return r;
}

function fmtScore(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(3);
}

function printTable(rows: readonly StoredEvent[]): void {
  out(
    `${'TIME (UTC)'.padEnd(27)} ${'TYPE'.padEnd(12)} ${'KIND'.padEnd(22)} ${'OBJECTS'.padEnd(17)} ${'SCORE'.padStart(10)} ${'THRESHOLD'.padStart(10)}  ${'WINDOW (UTC)'.padEnd(55)} ${'DETECTOR'.padEnd(28)} MARKING`,
  );
  for (const e of rows) {
    out(
      `${e.timeUtc.padEnd(27)} ${e.type.padEnd(12)} ${e.kind.padEnd(22)} ${e.objects.join('+').padEnd(17)} ${fmtScore(e.score).padStart(10)} ${fmtScore(e.threshold).padStart(10)}  ${`${e.windowStartUtc} .. ${e.windowEndUtc}`.padEnd(55)} ${`${e.detector} ${e.detectorVersion}`.padEnd(28)} ${markingText(e.marking)}`,
    );
  }
}

async function listCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi events list', EVENTS_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      type: { type: 'string' },
      id: { type: 'string' },
      detector: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage(`events list takes no FILE arguments, got ${JSON.stringify(positionals[0])}`);
  const type = values.type;
  if (type !== undefined && !isDetectionEventType(type)) {
    throw usage(
      `--type: expected one of maneuver, proximity, rendezvous, co-location, attached, fragmentation, reentry; got ${JSON.stringify(type)}`,
    );
  }
  const id = values.id;
  if (id !== undefined && !/^\d{1,9}$/.test(id)) {
    throw usage(`--id: expected a catalog number of 1 to 9 digits, got ${JSON.stringify(id)}`);
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw usage(`--limit: expected an integer ≥ 1, got ${JSON.stringify(values.limit)}`);
    }
  }
  const rows = await withStore(values, 'read', (store) =>
    store.events({
      ...(type === undefined ? {} : { type }),
      ...(id === undefined ? {} : { catalogNumber: id }),
      ...(values.detector === undefined ? {} : { detector: values.detector }),
      ...(values.from === undefined ? {} : { from: values.from }),
      ...(values.to === undefined ? {} : { to: values.to }),
      ...(limit === undefined ? {} : { limit }),
    }),
  );
  if (values.json) out(JSON.stringify(rows.map(eventJson), null, 2));
  else printTable(rows);
  err(`${rows.length} events`);
  return 0;
}

/**
 * Reads and checks the records of one file: the good ones normalised, the bad ones as messages
 * naming the file, index and field. A file that is not a JSON array is a CliError EVENTS_INVALID.
 */
export function readEventFile(file: string): {
  events: { event: DetectionEvent; label: string | undefined; marking: unknown }[];
  rejected: string[];
  rejectedRecords: number;
} {
  const name = file === '-' ? 'standard input' : file;
  const text = readTextInput(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError('EVENTS_INVALID', `${name}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) {
    throw new CliError(
      'EVENTS_INVALID',
      `${name}: expected a JSON array of event records, found ${data === null ? 'null' : typeof data}`,
    );
  }
  const events: { event: DetectionEvent; label: string | undefined; marking: unknown }[] = [];
  const rejected: string[] = [];
  let rejectedRecords = 0;
  data.forEach((raw, index) => {
    const check = checkDetectionEvent(camelRecord(raw));
    // A record may carry its releasability label (as `events list --json` writes it).
    const label = raw !== null && typeof raw === 'object' ? (raw as { label?: unknown }).label : undefined;
    const badLabel = label !== undefined && (typeof label !== 'string' || label.trim() === '');
    if (check.ok && !badLabel) {
      // A record's own marking (as `events list --json` writes it) is checked against the store's
      // scheme when it is stored.
      const marking = (raw as { marking?: unknown }).marking;
      events.push({ event: check.value, label: label as string | undefined, marking });
      return;
    }
    rejectedRecords++;
    for (const issue of check.ok ? [] : check.issues) {
      rejected.push(
        `${name}: record ${index}: ${issue.key || 'record'}: expected ${issue.expected}, found ${issue.found}`,
      );
    }
    if (badLabel) {
      rejected.push(
        `${name}: record ${index}: label: expected non-empty text, found ${JSON.stringify(label)}`,
      );
    }
  });
  return { events, rejected, rejectedRecords };
}

/** A record's own marking field ({classification, releasableTo, originator, dataMode}), checked. */
function recordMarking(scheme: ClassificationScheme, raw: unknown): Marking {
  const r = (raw ?? {}) as Record<string, unknown>;
  const release = r['releasableTo'];
  return marking(scheme, {
    classification: String(r['classification']),
    releasableTo:
      release === 'ALL' ? 'ALL' : Array.isArray(release) ? release.map(String) : [String(release)],
    originator: String(r['originator']),
    dataMode: String(r['dataMode'] ?? 'REAL'),
  });
}

async function importCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi events import', EVENTS_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      label: { type: 'string' },
      ...MARKING_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1)
    throw usage('events import needs one FILE (a JSON array of event records, or - for stdin)');
  const file = positionals[0]!;
  const { events, rejected, rejectedRecords } = readEventFile(file);
  for (const line of rejected) err(`rejected: ${line}`);
  // A record's own label and marking win over --label and --marking, which mark the records
  // that carry none.
  const groups = new Map<string, { label: string | undefined; marking: unknown; list: DetectionEvent[] }>();
  for (const { event, label, marking } of events) {
    const l = label ?? values.label;
    const key = JSON.stringify([l, marking ?? null]);
    const g = groups.get(key) ?? { label: l, marking, list: [] };
    g.list.push(event);
    groups.set(key, g);
  }
  const report = await withStore(values, 'create', async (store) => {
    let inserted = 0;
    let known = 0;
    const flagged = await markingFromFlags(store, values);
    const { scheme } = await store.markingSettings();
    for (const { label, marking: own, list } of groups.values()) {
      const marking = own === undefined || own === null ? flagged : recordMarking(scheme, own);
      const r = await store.saveEvents(list, {
        ...(label === undefined ? {} : { label }),
        ...(marking === undefined ? {} : { marking }),
      });
      inserted += r.inserted;
      known += r.known;
    }
    return { inserted, known };
  });
  err(
    `${file === '-' ? 'standard input' : file}: ${events.length + rejectedRecords} records read, ${report.inserted} events stored, ` +
      `${report.known} already stored, ${rejectedRecords} rejected (${storeName(dbPath(values.db))})`,
  );
  return rejectedRecords > 0 ? 1 : 0;
}
