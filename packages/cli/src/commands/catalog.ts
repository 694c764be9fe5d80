/**
 * `hoshimi catalog …`: import element files and SATCAT metadata into the catalog store, list and
 * inspect objects, diff two states of the catalog, export, and sync from CelesTrak or Space-Track.
 */
import { readFileSync } from 'node:fs';
import {
  type AstroContext,
  type ElementSet,
  formatMarking,
  formatOmmCsv,
  formatOmmJson,
  formatOmmXml,
  formatTleText,
} from '@hoshimi/astro';
import type { ObjectStatus } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { loadCliContext, warnTableSpan } from '../data.js';
import { isoArg, nowIso } from '../element-source.js';
import { openOutput } from '../io.js';
import { objectFilter } from '../object-filter.js';
import {
  CATALOG_USAGE,
  COMMON,
  MARKING_OPTIONS,
  markingFromFlags,
  markingText,
  printIngest,
  usage,
  withStore,
} from './catalog-common.js';
import { syncCommand } from './catalog-sync.js';
import { synthCommand } from './catalog-synth.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

export async function catalogCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'import':
      return importCmd(rest);
    case 'list':
      return listCmd(rest);
    case 'show':
      return showCmd(rest);
    case 'history':
      return historyCmd(rest);
    case 'diff':
      return diffCmd(rest);
    case 'export':
      return exportCmd(rest);
    case 'sync':
      return syncCommand(rest);
    case 'synth':
      return synthCommand(rest);
    case 'log':
      return logCmd(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(CATALOG_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw usage(`unknown catalog subcommand ${JSON.stringify(sub)}`);
  }
}

async function importCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi catalog import', CATALOG_USAGE, {
    args: [...argv],
    options: { ...COMMON, ...MARKING_OPTIONS, source: { type: 'string' }, label: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw usage('catalog import needs at least one FILE');
  let failed = 0;
  await withStore(values, 'create', async (store) => {
    const marking = await markingFromFlags(store, values);
    for (const file of positionals) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file === '-' ? 0 : file);
      } catch (e) {
        err(`${file}: cannot read: ${(e as Error).message}`);
        failed++;
        continue;
      }
      const report = await store.importFile({
        name: file === '-' ? 'stdin' : file,
        bytes,
        source: values.source ?? 'file',
        ...(values.label === undefined ? {} : { label: values.label }),
        ...(marking === undefined ? {} : { marking }),
      });
      printIngest(report);
      if (report.status === 'failed') failed++;
    }
  });
  return failed > 0 ? 1 : 0;
}

function fmtAge(s: ObjectStatus): string {
  return s.ageDays === null ? '-' : s.ageDays.toFixed(2);
}

function flags(s: ObjectStatus): string {
  return [s.stale ? 'STALE' : '', s.decayed ? 'DECAYED' : ''].filter(Boolean).join(',') || '-';
}

/** The SATCAT lines of `catalog show`: type, owner, launch, decay as of the query time, size, source. */
function describeObject(s: ObjectStatus, asOf: string): string[] {
  const o = s.object;
  const named = (code: string | null | undefined, name: string | null | undefined) =>
    code === null || code === undefined
      ? '-'
      : name
        ? `${code} (${name})`
        : `${code} (not in the code table)`;
  const lines = [
    `type ${o.objectType} (${o.typeSource === 'satcat' ? 'SATCAT' : 'from the name; no SATCAT record'}), international designator ${o.intlDesignator ?? '-'}`,
    `owner ${named(o.ownerCode, o.ownerName)}`,
    `launched ${o.launchDate ?? '-'}${o.launchDate !== null && `${o.launchDate}T` > asOf ? ` (after ${asOf})` : ''} from ${named(o.launchSiteCode, o.launchSiteName)}`,
  ];
  if (o.decayDate === null) lines.push('decay date: none known');
  else if (`${o.decayDate}T` <= asOf) lines.push(`decayed ${o.decayDate}`);
  else lines.push(`decay date ${o.decayDate}, after ${asOf}: not decayed at that time`);
  if (o.rcsSize !== null && o.rcsSize !== undefined) {
    lines.push(`size ${o.rcsSize}${o.rcsM2 === null || o.rcsM2 === undefined ? '' : ` (RCS ${o.rcsM2} m²)`}`);
  }
  if (o.satcatSource !== null && o.satcatSource !== undefined) {
    lines.push(`SATCAT data from ${o.satcatSource} (ingest ${o.satcatIngestId})`);
  }
  return lines;
}

function statusJson(s: ObjectStatus): unknown {
  return {
    ...s.object,
    latest_epoch_utc: s.latest?.epochUtc ?? null,
    latest_source: s.latest?.source ?? null,
    latest_label: s.latest?.label ?? null,
    latest_marking: s.latest === null ? null : formatMarking(s.latest.marking),
    latest_originator: s.latest?.marking.originator ?? null,
    latest_data_mode: s.latest?.marking.dataMode ?? null,
    age_days: s.ageDays,
    stale: s.stale,
    decayed: s.decayed,
  };
}

function printTable(rows: readonly ObjectStatus[]): void {
  out(
    `${'ID'.padStart(9)}  ${'NAME'.padEnd(24)} ${'TYPE'.padEnd(11)} ${'OWNER'.padEnd(6)} ${'INTLDES'.padEnd(11)} ${'LAUNCH'.padEnd(10)} ${'EPOCH (UTC)'.padEnd(27)} ${'AGE d'.padStart(8)}  ${'FLAGS'.padEnd(13)} MARKING`,
  );
  for (const s of rows) {
    const o = s.object;
    out(
      `${o.catalogNumber.padStart(9)}  ${(o.name ?? '').slice(0, 24).padEnd(24)} ${o.objectType.padEnd(11)} ${(o.ownerCode ?? '-').padEnd(6)} ${(o.intlDesignator ?? '').padEnd(11)} ${(o.launchDate ?? '-').padEnd(10)} ${(s.latest?.epochUtc ?? '-').padEnd(27)} ${fmtAge(s).padStart(8)}  ${flags(s).padEnd(13)} ${s.latest === null ? '-' : formatMarking(s.latest.marking)}`,
    );
  }
}

async function listCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog list', CATALOG_USAGE, {
    args: [...argv],
    options: {
      ...COMMON,
      type: { type: 'string' },
      owner: { type: 'string' },
      name: { type: 'string' },
      'as-of': { type: 'string' },
    },
    strict: true,
  });
  // Only UTC times are read and written here: leap seconds suffice (held past their expiry, with a warning).
  const ctx = catalogContext(err);
  const filter = objectFilter(values.type, values.owner);
  const rows = await withStore(values, 'read', (store) =>
    store.listObjects({
      ...filter,
      ...(values.name === undefined ? {} : { name: values.name }),
      asOf: values['as-of'] === undefined ? nowIso(ctx) : isoArg(values['as-of'], '--as-of', ctx),
    }),
  );
  if (values.json) out(JSON.stringify(rows.map(statusJson), null, 2));
  else printTable(rows);
  err(`${rows.length} objects`);
  return 0;
}

function oneId(positionals: readonly string[], what: string): string {
  const id = positionals[0];
  if (positionals.length !== 1 || id === undefined || !/^\d{1,9}$/.test(id)) {
    throw usage(`catalog ${what} needs one catalog number (1 to 9 digits)`);
  }
  return String(Number(id));
}

async function showCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi catalog show', CATALOG_USAGE, {
    args: [...argv],
    options: { ...COMMON, 'as-of': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const id = oneId(positionals, 'show');
  // Only UTC times are read and written here: leap seconds suffice (held past their expiry, with a warning).
  const ctx = catalogContext(err);
  const asOf = values['as-of'] === undefined ? nowIso(ctx) : isoArg(values['as-of'], '--as-of', ctx);
  const s = await withStore(values, 'read', (store) => store.getObject(id, asOf));
  if (s === null) {
    err(`object ${id} is not in the catalog`);
    return 1;
  }
  if (values.json) {
    out(JSON.stringify(statusJson(s), null, 2));
    return 0;
  }
  const o = s.object;
  out(`object ${o.catalogNumber}  ${o.name ?? ''}`);
  for (const line of describeObject(s, asOf)) out(`  ${line}`);
  if (s.latest) {
    out(
      `  latest element set as of ${asOf}: epoch ${s.latest.epochUtc} (${fmtAge(s)} days old), flags ${flags(s)}`,
    );
    out(`  marking ${markingText(s.latest.marking)}`);
    out(`  source ${s.latest.source}, label ${s.latest.label}, ingest ${s.latest.ingestId}`);
    out(
      formatTleText([s.latest.elements], '3le')
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  } else {
    out(`  no element set with epoch ≤ ${asOf}`);
  }
  return 0;
}

async function historyCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi catalog history', CATALOG_USAGE, {
    args: [...argv],
    options: COMMON,
    allowPositionals: true,
    strict: true,
  });
  const id = oneId(positionals, 'history');
  const sets = await withStore(values, 'read', (store) => store.history(id));
  if (values.json) {
    out(
      JSON.stringify(
        sets.map((s) => ({
          id: s.id,
          epoch_utc: s.epochUtc,
          source: s.source,
          label: s.label,
          marking: formatMarking(s.marking),
          originator: s.marking.originator,
          data_mode: s.marking.dataMode,
          ingest: s.ingestId,
        })),
        null,
        2,
      ),
    );
  } else {
    out(`${'EPOCH (UTC)'.padEnd(27)} ${'SOURCE'.padEnd(12)} ${'LABEL'.padEnd(18)} LINES / MARKING`);
    for (const s of sets) {
      const [l1, l2] = formatTleText([s.elements], 'none').trimEnd().split('\n');
      out(`${s.epochUtc.padEnd(27)} ${s.source.padEnd(12)} ${s.label.padEnd(18)} ${l1}`);
      out(`${' '.repeat(27 + 12 + 18 + 3)}${l2}`);
      out(`${' '.repeat(27 + 12 + 18 + 3)}${markingText(s.marking)}`);
    }
  }
  err(`${sets.length} element sets for object ${id}`);
  return sets.length === 0 ? 1 : 0;
}

async function diffCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog diff', CATALOG_USAGE, {
    args: [...argv],
    options: { ...COMMON, from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (values.from === undefined || values.to === undefined)
    throw usage('catalog diff needs --from ISO and --to ISO');
  // Only UTC times are read and written here: leap seconds suffice (held past their expiry, with a warning).
  const ctx = catalogContext(err);
  const from = isoArg(values.from, '--from', ctx);
  const to = isoArg(values.to, '--to', ctx);
  if (to < from) throw usage('--to is before --from');
  const d = await withStore(values, 'read', (store) => store.diff(from, to));
  if (values.json) {
    out(
      JSON.stringify(
        {
          from: d.from,
          to: d.to,
          appeared: d.appeared.map(statusJson),
          disappeared: d.disappeared.map(statusJson),
        },
        null,
        2,
      ),
    );
  } else {
    out(`appeared between ${from} and ${to}: ${d.appeared.length}`);
    printTable(d.appeared);
    out(`\ndisappeared (decayed or stale by ${to}): ${d.disappeared.length}`);
    printTable(d.disappeared);
  }
  return 0;
}

const EXPORT_FORMATS = ['tle', '3le', 'omm-xml', 'omm-json', 'omm-csv'] as const;

/**
 * Formats element sets in one of the export formats. OMMs carry the header CCSDS 502.0-B-3 §4.2
 * requires: CREATION_DATE (now, UTC, to the second) and ORIGINATOR.
 */
export function formatExport(sets: readonly ElementSet[], format: (typeof EXPORT_FORMATS)[number]): string {
  const header = { originator: 'HOSHIMI', creationDate: new Date().toISOString().slice(0, 19) };
  switch (format) {
    case 'tle':
      return formatTleText(sets, 'none');
    case '3le':
      return formatTleText(sets, '3le');
    case 'omm-xml':
      return formatOmmXml(sets, header);
    case 'omm-json':
      return formatOmmJson(sets, header);
    case 'omm-csv':
      return formatOmmCsv(sets, header);
  }
}

async function exportCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog export', CATALOG_USAGE, {
    args: [...argv],
    options: { ...COMMON, 'as-of': { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  const format = values.format as (typeof EXPORT_FORMATS)[number] | undefined;
  if (format === undefined || !EXPORT_FORMATS.includes(format)) {
    throw usage(`--format: expected one of ${EXPORT_FORMATS.join(', ')}, got ${values.format ?? 'nothing'}`);
  }
  // Only UTC times are read and written here: leap seconds suffice (held past their expiry, with a warning).
  const ctx = catalogContext(err);
  const asOf = values['as-of'] === undefined ? nowIso(ctx) : isoArg(values['as-of'], '--as-of', ctx);
  const sets = await withStore(values, 'read', (store) => store.asOf(asOf));
  const elements = sets.map((s) => s.elements);
  const tleable = format === 'tle' || format === '3le';
  // Catalog numbers above Alpha-5's range cannot be written as TLEs: report them, export the rest.
  const exportable: ElementSet[] = [];
  for (const e of elements) {
    if (!tleable || Number(e.catalogNumber) <= 339_999) exportable.push(e);
    else err(`skipped: object ${e.catalogNumber} has no TLE form (above 339999); use OMM`);
  }
  const sink = openOutput(values.out);
  try {
    await sink.write(formatExport(exportable, format));
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
  err(`${exportable.length} element sets as of ${asOf} exported as ${format}`);
  return 0;
}

async function logCmd(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi catalog log', CATALOG_USAGE, {
    args: [...argv],
    options: { ...COMMON, limit: { type: 'string' } },
    strict: true,
  });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw usage(`--limit: expected a positive integer, got ${values.limit}`);
  const log = await withStore(values, 'read', (store) => store.ingestLog(limit));
  if (values.json) out(JSON.stringify(log, null, 2));
  else {
    for (const r of log) {
      out(
        `#${r.ingestId} ${r.finishedAt} ${r.status.padEnd(7)} ${r.source}/${r.label}: ${r.name} — ${r.read} read, ${r.inserted} stored, ${r.duplicates} dup, ${r.rejected.length} rejected${r.alreadyImportedAs === null ? '' : ` (same content as #${r.alreadyImportedAs})`}${r.marking === undefined ? '' : `; ${markingText(r.marking)}`}`,
      );
    }
  }
  return 0;
}

/**
 * Leap seconds for the catalog commands: held past the table's expiry, with a warning when today is
 * past it (a listing must not stop because a table expired; its times would then be off by any
 * leap second announced since).
 */
function catalogContext(err: (line: string) => void): AstroContext {
  const ctx = loadCliContext({ withEop: false, tolerant: true }, err);
  const nowMjd = Date.now() / 86_400_000 + 40587;
  warnTableSpan(ctx, nowMjd, nowMjd, err, false);
  return ctx;
}
