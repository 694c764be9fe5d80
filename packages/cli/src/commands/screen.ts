/**
 * `hoshimi screen`: conjunction screening of a catalog (all-vs-all, primaries-vs-all or one-vs-all)
 * over a window, with maximum Pc for each event, a CSV/JSON report, one CDM per event, and (with
 * --db) the results stored for the server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AstroContext,
  ATTACHED_MAX_DA_KM,
  attachedLabels,
  type ElementSet,
  estimateTleCovariance,
  formatCdmKvn,
  formatUtcIso,
  minutesSinceEpoch,
  parseUtcString,
  screeningCdmMessageId,
  screeningConjunctionToCdm,
  semiMajorAxisKm,
  type TleCovarianceModel,
  type UtcJulianDate,
  type Vec3,
} from '@hoshimi/astro';
import {
  assessScreeningData,
  COVARIANCE_HISTORY_DAYS,
  type Conjunction,
  conjunctionPc,
  covarianceHistoryWindow,
  DEFAULT_MAX_ELEMENT_AGE_DAYS,
  DEFAULT_STREAM_SLICE_BLOCKS,
  type HbrTable,
  objectHbrM,
  type ScreeningDataQuality,
  type ScreeningLosses,
  type ScreeningOptions,
  type ScreeningResult,
  type ScreeningStreamSummary,
  screenCatalog,
} from '@hoshimi/astro/conjunction';
import { screenParallel, screenParallelStream } from '@hoshimi/node';
import {
  checkRedisUrl,
  DEFAULT_UNIT_BLOCKS,
  screenDistributed,
  screenDistributedStream,
} from '@hoshimi/queue';
import { type ConjunctionRecord, conjunctionRecord, objectTypeFromName } from '@hoshimi/store';
import { numberArg, parseCliArgs, workersArg } from '../args.js';
import { loadCliContext, referenceDataDir, warnTableSpan } from '../data.js';
import { isoArg, loadElementSets, nowIso } from '../element-source.js';
import { CliError } from '../errors.js';
import { loadHbrTable } from '../hbr.js';
import { OutputSet, type OutputSink, type StagedFolder } from '../io.js';
import { objectTypeLookup, parseTypes, selectPrimaries } from '../object-filter.js';
import { ProgressBar } from '../progress.js';
import { openCatalogStore, storeName } from '../store-location.js';

export const SCREEN_USAGE = `Usage: hoshimi screen (--elements FILE | --db PATH [--as-of ISO]) [options]

Finds every close approach in a window and reports TCA, miss distance, relative speed, the miss
vector in the primary's radial/in-track/cross-track frame, element-set ages and a maximum Pc.
  --from ISO              window start (default: --as-of with --db, else the day of the median epoch)
  --days N                window length (default 7)
  --threshold-km X        miss-distance threshold (default 5)
  --ellipsoid R,I,C       screening ellipsoid in the primary's RTN frame, km (instead of the sphere)
  --primaries IDS|payloads  comma-separated catalog numbers, or every payload (default: all-vs-all)
  --type TYPES, --owner CODES  primaries by SATCAT type (payload, rocket-body, debris, unknown) and
                            owner (JPN, US, …; needs --db); with --primaries IDS, the IDS among them
  --secondaries FILE      screen the primaries (every object of --elements/--db, or those chosen
                          above) against the objects of FILE only: no pairs of two primaries, none
                          of two secondaries (a simulated fragment cloud against a catalog)
  --secondary-type TYPES  keep only the FILE objects of these types, told by name (payload,
                          rocket-body, debris; names without DEB or R/B count as payloads)
  --workers N             worker threads (default: every core; 1 runs in-process, or on one
                          worker thread when the report is streamed)
  --queue URL             screen on the Redis queue instead (redis://HOST:PORT): the window is cut
                          into units that 'hoshimi worker --queue URL' processes take, on any
                          machines; the report is the same
  --unit-blocks N         with --queue: blocks (of 2^knot-levels steps, 21 min 20 s) per unit
                          (default 8)
  --out FILE              CSV, or JSON when FILE ends in .json (default: CSV on stdout); without
                          --db a CSV report is streamed: rows are written in TCA order as the
                          screening finds them and the conjunctions are never all held in memory
                          (a 100,000-object catalog; with --queue too); JSON and --db keep them all
  --cdm-dir DIR           write one CCSDS CDM (KVN) per conjunction
  --cdm-max-miss-km X     only for conjunctions with a miss distance up to X km (default: all)
  --hbr-table FILE        CARA HBR table (default: pc-cases/cara in the reference data, if present)
  --covariance history    with --db: estimate each object's covariance from its element sets of the
                          30 days before --as-of and report Foster's Pc where both objects have one
                          (else the maximum Pc); default none
  --max-age-days N        leave out element sets older than N days at the window start (default 30)
Conjunctions of attached pairs (docked or berthed objects: the range stays within a few km over
the whole window and the element sets are near-identical, the rule of 'hoshimi rpo') are not close
approaches: they are listed apart, in the JSON report's "attached" array or, for a CSV --out FILE,
in FILE.attached.csv (with label and reason columns), and counted on stderr.
With --db the screening and its conjunctions are also stored in the database.
Nothing is left out silently: element sets too old, objects whose SGP4 fails or decays inside the
window, intervals rejected by the interpolation bound and failed TCA refinements are counted and
listed on stderr, in the JSON report (not_screened, failed_refinements), next to a CSV report in
FILE.not-screened.csv, and in the stored run. A screening with nothing valid left to screen fails
with exit status 3 ([NO_VALID_ELEMENTS]) instead of reporting an all-clear.
`;

const M_PER_KM = 1000;

/** Exit status of a screening left with nothing valid to screen (stale or missing element sets). */
export const EXIT_NO_VALID_ELEMENTS = 3;
/** Loss lines printed per reason on stderr when the full list is in a file. */
const STDERR_LOSS_LINES = 20;
const CSV_COLUMNS = [
  'id1',
  'id2',
  'tca_utc',
  'miss_km',
  'rel_speed_km_s',
  'r_km',
  'i_km',
  'c_km',
  'pc',
  'pc_method',
  'name1',
  'name2',
  'type1',
  'type2',
  'age1_days',
  'age2_days',
  'hbr_m',
  'covariance_source',
  'confidence',
];

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${SCREEN_USAGE}`);
}

function positive(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v)) throw usage(`${flag}: expected a positive number, got ${text}`);
  return v;
}

/**
 * `--secondaries FILE [--secondary-type TYPES]`: the objects screened against the primaries, by
 * the name rule for types (an element file has no SATCAT data). A catalog number already among
 * the primaries' objects is left out of the secondaries (one object, one number), with a warning.
 */
async function loadSecondaries(
  file: string | undefined,
  typeText: string | undefined,
  own: readonly ElementSet[],
  ctx: AstroContext,
  warn: (line: string) => void,
): Promise<ElementSet[] | undefined> {
  if (file === undefined) {
    if (typeText !== undefined) throw usage('--secondary-type goes with --secondaries FILE');
    return undefined;
  }
  const types = parseTypes(typeText, '--secondary-type');
  let sets = await loadElementSets({ elements: file }, ctx, warn);
  if (types !== undefined) {
    const wanted = new Set(types);
    sets = sets.filter((e) => {
      const t = objectTypeFromName(e.name ?? null);
      return wanted.has(t) || (wanted.has('PAYLOAD') && t === 'UNKNOWN');
    });
  }
  const taken = new Set(own.map((e) => e.catalogNumber));
  const clash = sets.filter((e) => taken.has(e.catalogNumber));
  if (clash.length > 0) {
    warn(
      `--secondaries: ${clash.length} objects share a catalog number with the primaries' objects and are left out (first: ${clash[0]!.catalogNumber})`,
    );
    sets = sets.filter((e) => !taken.has(e.catalogNumber));
  }
  warn(
    `secondaries: ${sets.length} objects from ${file}${types === undefined ? '' : ` of type ${types.join(' or ')} by their names`}`,
  );
  return sets;
}

/** Default window start for an element file: 00:00 UTC of the day of the median epoch. */
function medianEpochDay(elements: readonly ElementSet[]): { jd: number; jdFrac: number } {
  const jds = elements.map((e) => e.epoch.jd).sort((a, b) => a - b);
  const jd = jds[Math.floor(jds.length / 2)];
  if (jd === undefined) throw new CliError('ELEMENTS_EMPTY', 'no element sets to screen');
  return { jd, jdFrac: 0 };
}

/** The store's canonical ISO form → UTC Julian date (the screening time base). */
function jdFromIso(iso: string): UtcJulianDate {
  const jd = parseUtcString(iso);
  if (jd === undefined) throw usage(`not a UTC time: ${iso}`);
  return jd;
}

interface ReportRow {
  readonly c: Conjunction;
  readonly record: ConjunctionRecord;
  /** RTN position variances (km²) of both objects when the Pc used estimated covariances. */
  readonly covariances: [Vec3, Vec3] | undefined;
  readonly type1: string;
  readonly type2: string;
  readonly name1: string;
  readonly name2: string;
}

export async function screenCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi screen', SCREEN_USAGE, {
    args: [...argv],
    options: {
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      from: { type: 'string' },
      days: { type: 'string' },
      'threshold-km': { type: 'string' },
      ellipsoid: { type: 'string' },
      primaries: { type: 'string' },
      secondaries: { type: 'string' },
      'secondary-type': { type: 'string' },
      type: { type: 'string' },
      owner: { type: 'string' },
      workers: { type: 'string' },
      queue: { type: 'string' },
      'unit-blocks': { type: 'string' },
      out: { type: 'string' },
      'cdm-dir': { type: 'string' },
      'cdm-max-miss-km': { type: 'string' },
      'hbr-table': { type: 'string' },
      covariance: { type: 'string' },
      'max-age-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  // Past the tables' ends the last values are held, with warnings (warnTableSpan), never a stop.
  const ctx = loadCliContext({ tolerant: true }, warn);
  const days = positive(values.days, '--days', 7);
  const thresholdKm = positive(values['threshold-km'], '--threshold-km', 5);
  const cdmMaxMissKm = positive(values['cdm-max-miss-km'], '--cdm-max-miss-km', Number.POSITIVE_INFINITY);
  const workers = workersArg(values.workers, warn);
  const queue = values.queue;
  if (queue !== undefined && values.workers !== undefined) {
    throw usage(
      '--workers and --queue exclude each other (with --queue the workers are hoshimi worker processes)',
    );
  }
  if (queue === undefined && values['unit-blocks'] !== undefined)
    throw usage('--unit-blocks goes with --queue URL');
  const unitBlocks = numberArg(
    values['unit-blocks'],
    '--unit-blocks',
    { min: 1, integer: true },
    DEFAULT_UNIT_BLOCKS,
  );
  if (queue !== undefined) checkRedisUrl(queue);
  const maxAgeDays = positive(values['max-age-days'], '--max-age-days', DEFAULT_MAX_ELEMENT_AGE_DAYS);
  let ellipsoid: ScreeningOptions['ellipsoid'];
  if (values.ellipsoid !== undefined) {
    const parts = values.ellipsoid.split(',').map(Number);
    if (parts.length !== 3 || parts.some((p) => !(p > 0))) {
      throw usage(`--ellipsoid: expected three positive semi-axes R,I,C in km, got ${values.ellipsoid}`);
    }
    ellipsoid = { radialKm: parts[0]!, inTrackKm: parts[1]!, crossTrackKm: parts[2]! };
  }
  const covariance = values.covariance ?? 'none';
  if (covariance !== 'none' && covariance !== 'history') {
    throw usage(`--covariance: expected none or history, got ${covariance}`);
  }
  if (covariance === 'history' && values.db === undefined) {
    throw usage('--covariance history needs --db (the element-set histories live in the store)');
  }
  const asOf =
    values.db === undefined
      ? undefined
      : values['as-of'] === undefined
        ? nowIso(ctx)
        : isoArg(values['as-of'], '--as-of', ctx);
  // Every output path is checked now, before the screening; nothing appears before all is done.
  const outputs = new OutputSet();
  const reportSink = outputs.file(values.out, '--out');
  const lossesFile = lossesPath(values.out);
  const lossesSink = lossesFile === undefined ? undefined : outputs.file(lossesFile, '--out');
  const attachedFile = attachedPath(values.out);
  const attachedSink = attachedFile === undefined ? undefined : outputs.file(attachedFile, '--out');
  const cdmFolder =
    values['cdm-dir'] === undefined ? undefined : outputs.folder(values['cdm-dir'], '--cdm-dir');
  // The run is stored at the end: a database that cannot take it is refused now, not after the work.
  if (values.db !== undefined) await (await openCatalogStore(values.db, { mode: 'write' })).close();
  const own = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'] },
    ctx,
    warn,
  );
  const secondaries = await loadSecondaries(values.secondaries, values['secondary-type'], own, ctx, warn);
  const loaded = secondaries === undefined ? own : [...own, ...secondaries];
  const start =
    values.from !== undefined
      ? jdFromIso(isoArg(values.from, '--from', ctx))
      : asOf !== undefined
        ? jdFromIso(asOf)
        : medianEpochDay(loaded);
  // Screening works in TEME and writes CDM states in EME2000: leap seconds, no UT1.
  warnTableSpan(
    ctx,
    start.jd - 2400000.5 + start.jdFrac,
    start.jd - 2400000.5 + start.jdFrac + days,
    warn,
    false,
  );

  if (values.primaries !== undefined && values.primaries !== 'payloads') {
    const ids = values.primaries.split(',').map((s) => s.trim());
    if (ids.every((p) => /^\d{1,9}$/.test(p))) {
      await checkPrimaries(
        ids.map((p) => String(Number(p))),
        loaded,
        values.elements,
        values.db,
        asOf,
      );
    }
  }
  const chosen = await selectPrimaries(
    { primaries: values.primaries, type: values.type, owner: values.owner, db: values.db },
    own,
    warn,
  );
  // With --secondaries the primaries are the chosen objects, or else all of --elements/--db.
  const primaries =
    secondaries === undefined ? chosen : (chosen ?? [...new Set(own.map((e) => e.catalogNumber))]);
  // Objects whose SATCAT decay date is on or before the window start are not screened: their last
  // element sets predate the decay and would put a re-entered object in orbit.
  const decayedBeforeStart =
    values.db === undefined ? [] : await decayedBefore(values.db, `${formatJd(start)}Z`, loaded, start);
  const decayedIds = new Set(decayedBeforeStart.map((d) => d.catalogNumber));
  const elements = decayedIds.size === 0 ? loaded : loaded.filter((e) => !decayedIds.has(e.catalogNumber));
  const options: ScreeningOptions = {
    start,
    durationDays: days,
    thresholdKm,
    ...(ellipsoid === undefined ? {} : { ellipsoid }),
    ...(primaries === undefined ? {} : { primaries }),
    ...(secondaries === undefined ? {} : { excludePrimaryPairs: true }),
    maxElementAgeDays: maxAgeDays,
  };

  const hbrPath =
    values['hbr-table'] ??
    join(referenceDataDir(), 'pc-cases/cara/HBR_Mass_Estimates_20260601_ForDistribution.csv.gz');
  let hbr: HbrTable | undefined;
  try {
    hbr = loadHbrTable(hbrPath);
  } catch (e) {
    if (values['hbr-table'] !== undefined) throw e;
    warn(`no HBR table (${hbrPath}): every object gets the default radius`);
  }

  const coverage =
    values.db !== undefined && asOf !== undefined
      ? await catalogCoverage(values.db, elements.length)
      : undefined;
  const startedAt = new Date();
  const progress = new ProgressBar('screen', 1);
  const onProgress = (done: number, total: number) => {
    progress.setTotal(total);
    progress.tick(done - progress.done);
  };
  if (values.db === undefined && !values.out?.toLowerCase().endsWith('.json')) {
    // A CSV report without a store: the conjunctions are written as they are found, never all held.
    return streamScreening({
      elements,
      options,
      workers,
      queue,
      unitBlocks,
      hbr,
      typeOf: await objectTypeLookup(undefined),
      outputs,
      reportSink,
      attachedSink,
      attachedFile,
      lossesSink,
      lossesFile,
      cdmFolder,
      cdmMaxMissKm,
      ctx,
      maxAgeDays,
      primaries,
      days,
      thresholdKm,
      ellipsoid,
      startedAt,
      onProgress,
      progress,
      decayedBeforeStart,
      warn,
    });
  }
  let result: ScreeningResult;
  try {
    result =
      queue !== undefined
        ? await screenDistributed(elements, options, { connection: queue, unitBlocks, onProgress })
        : workers > 1
          ? await screenParallel(elements, options, {
              workers,
              onProgress,
              maxSliceBlocks: DEFAULT_STREAM_SLICE_BLOCKS,
            })
          : screenCatalog(elements, options, onProgress);
  } finally {
    progress.finish();
  }
  // Stale and too-new element sets are reported by reportDataQuality, prominently.
  for (const w of result.warnings) {
    if (w.code !== 'ELEMENT_SETS_TOO_OLD' && w.code !== 'ELEMENT_SETS_AFTER_START') {
      warn(`warning: [${w.code}] ${w.message}`);
    }
  }
  const dataQuality: DataQuality = {
    ...assessScreeningData(result, elements, maxAgeDays, primaries),
    decayedBeforeStart,
    coverage,
    asOf,
  };
  reportDataQuality(dataQuality, warn);
  if (dataQuality.nothingValid !== null) {
    // No all-clear from missing data: nothing is written or stored.
    reportLosses(result.losses, undefined, warn);
    throw new CliError(
      'NO_VALID_ELEMENTS',
      `[NO_VALID_ELEMENTS] nothing valid to screen: ${dataQuality.nothingValid}`,
      EXIT_NO_VALID_ELEMENTS,
    );
  }

  const models =
    covariance === 'history' && values.db !== undefined && asOf !== undefined
      ? await historyCovariances(values.db, asOf, result.conjunctions, warn)
      : new Map<string, TleCovarianceModel>();
  const fallbacks: string[] = [];
  const typeOf = await objectTypeLookup(values.db);
  const rows = result.conjunctions.map((c): ReportRow => {
    const hbrKm =
      (objectHbrM(hbr, c.primary.catalogNumber) + objectHbrM(hbr, c.secondary.catalogNumber)) / M_PER_KM;
    const pc = conjunctionPc(c, hbrKm, models);
    if (pc.fallbackReason !== undefined) {
      fallbacks.push(`${c.primary.catalogNumber}/${c.secondary.catalogNumber}: ${pc.fallbackReason}`);
    }
    const name1 = c.primary.name ?? '';
    const name2 = c.secondary.name ?? '';
    return {
      c,
      covariances: pc.covariances,
      name1,
      name2,
      type1: typeOf(c.primary.catalogNumber, name1),
      type2: typeOf(c.secondary.catalogNumber, name2),
      record: conjunctionRecord(c, pc, hbrKm),
    };
  });

  if (fallbacks.length > 0) {
    warn(`covariance: ${fallbacks.length} events kept the maximum Pc (first: ${fallbacks[0]})`);
  }
  const attached = attachedPairs(result.conjunctions, elements, start, days);
  const closeRows = rows.filter((r) => !attached.has(pairKey(r.c)));
  const attachedRows = rows.filter((r) => attached.has(pairKey(r.c)));
  const windowStop = { jd: start.jd, jdFrac: start.jdFrac + days };
  await writeReport(closeRows, values.out, reportSink, {
    windowStart: `${formatJd(start)}Z`,
    windowStop: `${formatJd(windowStop)}Z`,
    dataQuality,
    losses: result.losses,
    attached: attachedRows.map((r) => ({ row: r, reason: attached.get(pairKey(r.c))! })),
  });
  if (attachedSink !== undefined) {
    await writeAttachedCsv(
      attachedRows.map((r) => ({ row: r, reason: attached.get(pairKey(r.c))! })),
      attachedSink,
    );
  }
  if (lossesSink !== undefined) await writeLosses(result.losses, decayedBeforeStart, lossesSink);
  reportLosses(
    result.losses,
    lossesFile ?? (values.out?.toLowerCase().endsWith('.json') ? values.out : undefined),
    warn,
  );
  let cdmCount = 0;
  if (cdmFolder !== undefined) {
    const cdmRows = closeRows.filter((r) => r.record.missKm <= cdmMaxMissKm);
    writeCdms(cdmRows, elements, cdmFolder.path, ctx, options, thresholdKm, ellipsoid);
    cdmCount = cdmRows.length;
  }
  // The report, the CDMs and the stored screening go together: the files are moved into place,
  // then the screening is stored; if storing fails, the files are rolled back (main.ts).
  await outputs.commit();
  const finishedAt = new Date();
  if (values.db !== undefined) {
    const store = await openCatalogStore(values.db, { mode: 'write' });
    try {
      const id = await store.saveScreening(
        {
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt.toISOString(),
          windowStart: `${formatJd(start)}Z`,
          windowStop: `${formatJd(windowStop)}Z`,
          thresholdKm:
            ellipsoid === undefined
              ? thresholdKm
              : Math.max(ellipsoid.radialKm, ellipsoid.inTrackKm, ellipsoid.crossTrackKm),
          primaries: primaries ?? null,
          catalogAsOf: asOf ?? null,
          source: storeName(values.db),
          objectCount: elements.length,
          dataQuality: { ...dataQualityJson(dataQuality), ...lossesJson(result.losses, decayedBeforeStart) },
        },
        rows.map((r) => r.record),
      );
      warn(`stored as screening ${id} in ${storeName(values.db)}`);
    } finally {
      await store.close();
    }
  }
  outputs.finish();
  if (cdmFolder !== undefined) warn(`${cdmCount} CDMs written to ${cdmFolder.target}`);
  const s = result.stats;
  const partlyLost = new Set(
    result.losses.objects
      .filter((l) => l.reason !== 'element-set-too-old' && l.reason !== 'sgp4-init-failed')
      .map((l) => l.index),
  ).size;
  if (attachedRows.length > 0) {
    warn(
      `attached: ${attachedRows.length} conjunctions of ${attached.size} attached pairs (docked or attached objects) listed apart` +
        `${attachedFile !== undefined ? ` in ${attachedFile}` : values.out?.toLowerCase().endsWith('.json') ? ` in ${values.out} ("attached")` : ''}: ` +
        `${[...new Set(attachedRows.map((r) => `${r.name1 || r.record.id1} / ${r.name2 || r.record.id2}`))].slice(0, STDERR_LOSS_LINES).join(', ')}`,
    );
  }
  warn(
    `screen: ${s.screened} of ${s.objects} objects over ${days} days, threshold ${thresholdKm} km: ${closeRows.length} conjunctions ` +
      `in ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s (${s.candidates} candidates refined, ` +
      `${s.tooOld} element sets older than ${maxAgeDays} days left out, ${s.initFailed} objects failed SGP4 initialisation, ` +
      `${partlyLost} lost part of the window, ${result.losses.refinements.length} refinements failed)`,
  );
  return 0;
}

/** Catalog numbers of a conjunction's pair, lower first. */
function pairKey(c: Conjunction): string {
  const a = c.primary.catalogNumber;
  const b = c.secondary.catalogNumber;
  return Number(a) <= Number(b) ? `${a}/${b}` : `${b}/${a}`;
}

/** The attached pairs among the conjunctions (astro's attached rule over the window), with the reason. */
function attachedPairs(
  conjunctions: readonly Conjunction[],
  elements: readonly ElementSet[],
  start: UtcJulianDate,
  days: number,
): Map<string, string> {
  const pairs = new Map<string, readonly [ElementSet, ElementSet]>();
  for (const c of conjunctions) {
    const key = pairKey(c);
    if (!pairs.has(key)) pairs.set(key, [elements[c.primary.index]!, elements[c.secondary.index]!]);
  }
  const keys = [...pairs.keys()];
  const labels = attachedLabels([...pairs.values()], start, days);
  const out = new Map<string, string>();
  keys.forEach((k, i) => {
    const l = labels[i];
    if (l !== undefined) out.set(k, l.reason);
  });
  return out;
}

/** The companion file of a CSV report for attached pairs' conjunctions (none for JSON or stdout). */
function attachedPath(out: string | undefined): string | undefined {
  if (out === undefined || out === '-' || out.toLowerCase().endsWith('.json')) return undefined;
  return `${out.replace(/\.csv$/i, '')}.attached.csv`;
}

interface AttachedRow {
  readonly row: ReportRow;
  readonly reason: string;
}

/** The attached pairs' conjunctions as CSV: the report's columns plus label and label_reason. */
async function writeAttachedCsv(rows: readonly AttachedRow[], sink: OutputSink): Promise<void> {
  try {
    await sink.write(`${[...CSV_COLUMNS, 'label', 'label_reason'].join(',')}\n`);
    for (const { row, reason } of rows) {
      await sink.write(`${csvLine(row)},attached,${csvQuote(reason)}\n`);
    }
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
}

function csvQuote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One report row as CSV (CSV_COLUMNS order). */
function csvLine(r: ReportRow): string {
  const x = r.record;
  const q = csvQuote;
  return `${x.id1},${x.id2},${x.tcaUtc},${x.missKm},${x.relSpeedKmS},${x.rKm},${x.iKm},${x.cKm},${x.pc === null ? '' : x.pc},${x.pcMethod},${q(r.name1)},${q(r.name2)},${r.type1},${r.type2},${x.age1Days},${x.age2Days},${x.hbrM},${x.covarianceSource},${x.confidence}`;
}

/** A UTC Julian date as CCSDS/ISO text with microseconds, no zone letter. */
function formatJd(t: UtcJulianDate): string {
  return formatUtcIso(t, 6);
}

/** How many of the store's objects have an element set by the as-of time. */
interface CatalogCoverage {
  /** Objects with any element set in the store. */
  readonly catalogObjects: number;
  /** Of those, objects with an element set of epoch ≤ as-of. */
  readonly withSet: number;
}

/** Catalog coverage of an as-of selection: the store's objects with any element set at all. */
async function catalogCoverage(db: string, withSet: number): Promise<CatalogCoverage> {
  const store = await openCatalogStore(db, { mode: 'read' });
  try {
    const all = await store.asOf('9999-12-31T23:59:59.999999Z');
    return { catalogObjects: all.length, withSet };
  } finally {
    await store.close();
  }
}

/** The state of the screened data (astro's assessment) and the store's coverage of the as-of time. */
interface DataQuality extends ScreeningDataQuality {
  /** Objects left out because their SATCAT decay date is on or before the window start. */
  readonly decayedBeforeStart: readonly DecayedObject[];
  readonly coverage: CatalogCoverage | undefined;
  readonly asOf: string | undefined;
}

/** Prominent stderr lines on stale or missing data (counts, oldest age). */
function reportDataQuality(q: DataQuality, warn: (line: string) => void): void {
  if (q.decayedBeforeStart.length > 0) {
    const shown = q.decayedBeforeStart.slice(0, STDERR_LOSS_LINES);
    warn(
      `left out: ${q.decayedBeforeStart.length} objects decayed before the window start by their SATCAT decay date ` +
        `(listed in the report's not-screened rows): ${shown.map((d) => `${d.catalogNumber} (${d.decayDate})`).join(', ')}` +
        `${shown.length < q.decayedBeforeStart.length ? ', …' : ''}`,
    );
  }
  if (q.tooOld > 0) {
    warn(
      `WARNING stale data: ${q.tooOld} of ${q.input} element sets are older than ${q.maxAgeDays} days at the window ` +
        `start (oldest ${q.oldestTooOldDays?.toFixed(1)} days) and are NOT screened; their conjunctions are unknown`,
    );
  }
  const c = q.coverage;
  if (c !== undefined && c.catalogObjects > 0 && c.withSet < c.catalogObjects) {
    const missing = c.catalogObjects - c.withSet;
    const most = missing * 2 > c.catalogObjects;
    warn(
      `${most ? 'WARNING missing data: ' : ''}${missing} of ${c.catalogObjects} catalog objects have no element set ` +
        `by the as-of time ${q.asOf} and are NOT screened${most ? ' (most of the catalog)' : ''}`,
    );
  }
  if (q.newerThanStart > 0) {
    warn(
      `note: ${q.newerThanStart} element sets have epochs after the window start (data the window's start did not have)`,
    );
  }
  if (q.oldestScreenedDays !== null) {
    warn(
      `element sets screened: ${q.screened}, oldest ${q.oldestScreenedDays.toFixed(2)} days at the window start`,
    );
  }
}

function dataQualityJson(q: DataQuality): Record<string, unknown> {
  return {
    element_sets_input: q.input,
    element_sets_screened: q.screened,
    max_age_days: q.maxAgeDays,
    too_old: q.tooOld,
    oldest_too_old_days: q.oldestTooOldDays,
    oldest_screened_days: q.oldestScreenedDays,
    newer_than_start: q.newerThanStart,
    sgp4_init_failed: q.initFailed,
    decayed_before_start: q.decayedBeforeStart.length,
    unusable_whole_window: q.unusableWholeWindow,
    ...(q.coverage === undefined
      ? {}
      : {
          catalog_as_of: q.asOf,
          catalog_objects: q.coverage.catalogObjects,
          catalog_objects_without_set: q.coverage.catalogObjects - q.coverage.withSet,
        }),
  };
}

/** The losses as report rows (JSON field names follow the CSV columns). */
function lossesJson(
  losses: ScreeningLosses,
  decayed: readonly DecayedObject[],
): {
  not_screened: Record<string, unknown>[];
  failed_refinements: Record<string, unknown>[];
} {
  return {
    not_screened: [
      ...decayed.map((d) => ({
        id: d.catalogNumber,
        name: d.name ?? '',
        reason: DECAYED_SATCAT,
        first_bad_utc: `${d.decayDate}T00:00:00.000000Z`,
        sgp4_code: null,
        lost_intervals: 0,
        age_at_start_days: d.elementAgeDays,
      })),
      ...losses.objects.map((l) => ({
        id: l.catalogNumber,
        name: l.name ?? '',
        reason: l.reason,
        first_bad_utc: `${formatUtcIso(l.firstBadTime, 6)}Z`,
        sgp4_code: l.sgp4Code,
        lost_intervals: l.lostIntervals,
        age_at_start_days: l.elementAgeDays,
      })),
    ],
    failed_refinements: losses.refinements.map((r) => ({
      id1: r.primary.catalogNumber,
      id2: r.secondary.catalogNumber,
      time_utc: `${formatUtcIso(r.time, 6)}Z`,
      reason: r.reason,
    })),
  };
}

/** The companion file of a CSV report: FILE.not-screened.csv (none for stdout or JSON). */
function lossesPath(out: string | undefined): string | undefined {
  if (out === undefined || out === '-' || out.toLowerCase().endsWith('.json')) return undefined;
  return `${out.replace(/\.csv$/i, '')}.not-screened.csv`;
}

const LOSS_COLUMNS = [
  'kind',
  'id1',
  'id2',
  'name',
  'reason',
  'first_bad_utc',
  'sgp4_code',
  'lost_intervals',
  'age_at_start_days',
];

function csvText(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Everything left out, one row each: objects (kind object) and failed refinements (kind refinement). */
async function writeLosses(
  losses: ScreeningLosses,
  decayed: readonly DecayedObject[],
  sink: OutputSink,
): Promise<void> {
  try {
    await sink.write(`${LOSS_COLUMNS.join(',')}\n`);
    for (const d of decayed) {
      await sink.write(
        `object,${d.catalogNumber},,${csvText(d.name ?? '')},${DECAYED_SATCAT},${d.decayDate}T00:00:00.000000Z,,0,${d.elementAgeDays.toFixed(4)}\n`,
      );
    }
    for (const l of losses.objects) {
      await sink.write(
        `object,${l.catalogNumber},,${csvText(l.name ?? '')},${l.reason},${formatUtcIso(l.firstBadTime, 6)}Z,${l.sgp4Code ?? ''},${l.lostIntervals},${l.elementAgeDays.toFixed(4)}\n`,
      );
    }
    for (const r of losses.refinements) {
      await sink.write(
        `refinement,${r.primary.catalogNumber},${r.secondary.catalogNumber},,${r.reason},${formatUtcIso(r.time, 6)}Z,,,\n`,
      );
    }
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
}

/** Losses on stderr: a count per reason and the rows (all of them unless they are in `file`). */
function reportLosses(losses: ScreeningLosses, file: string | undefined, warn: (line: string) => void): void {
  const byReason = new Map<string, string[]>();
  for (const l of losses.objects) {
    const lines = byReason.get(l.reason) ?? [];
    lines.push(
      `  ${l.catalogNumber}${l.name === undefined ? '' : ` (${l.name})`}: ${l.reason} from ${formatUtcIso(l.firstBadTime, 3)}Z` +
        `${l.sgp4Code === null ? '' : `, SGP4 code ${l.sgp4Code}`}` +
        `${l.lostIntervals > 0 ? `, ${l.lostIntervals} intervals lost` : ''}, element set ${l.elementAgeDays.toFixed(2)} days old at the start`,
    );
    byReason.set(l.reason, lines);
  }
  const refine = losses.refinements.map(
    (r) =>
      `  ${r.primary.catalogNumber}/${r.secondary.catalogNumber}: refinement ${r.reason} near ${formatUtcIso(r.time, 3)}Z`,
  );
  if (refine.length > 0) byReason.set('failed refinement', refine);
  if (byReason.size === 0) {
    warn('not screened: nothing (every object screened over the whole window, every refinement converged)');
    return;
  }
  const counts = [...byReason].map(([k, v]) => `${v.length} ${k}`).join(', ');
  warn(`NOT SCREENED: ${counts}${file === undefined ? '' : ` (all listed in ${file})`}`);
  for (const [, lines] of byReason) {
    const shown = file === undefined ? lines : lines.slice(0, STDERR_LOSS_LINES);
    for (const line of shown) warn(line);
    if (shown.length < lines.length) warn(`  … ${lines.length - shown.length} more in ${file}`);
  }
}

interface ReportMeta {
  readonly windowStart: string;
  readonly windowStop: string;
  readonly dataQuality: DataQuality;
  readonly losses: ScreeningLosses;
  /** Conjunctions of attached pairs, listed apart from the close approaches. */
  readonly attached: readonly AttachedRow[];
}

async function writeReport(
  rows: readonly ReportRow[],
  out: string | undefined,
  sink: OutputSink,
  meta: ReportMeta,
): Promise<void> {
  try {
    if (out?.toLowerCase().endsWith('.json')) {
      const json = (r: ReportRow) => ({
        id1: r.record.id1,
        id2: r.record.id2,
        name1: r.name1,
        name2: r.name2,
        type1: r.type1,
        type2: r.type2,
        tca_utc: r.record.tcaUtc,
        miss_km: r.record.missKm,
        rel_speed_km_s: r.record.relSpeedKmS,
        r_km: r.record.rKm,
        i_km: r.record.iKm,
        c_km: r.record.cKm,
        pc: r.record.pc,
        pc_method: r.record.pcMethod,
        hbr_m: r.record.hbrM,
        covariance_source: r.record.covarianceSource,
        confidence: r.record.confidence,
        age1_days: r.record.age1Days,
        age2_days: r.record.age2Days,
      });
      const report = {
        window_start: meta.windowStart,
        window_stop: meta.windowStop,
        data_quality: dataQualityJson(meta.dataQuality),
        conjunctions: rows.map(json),
        attached: meta.attached.map((a) => ({ ...json(a.row), label: 'attached', label_reason: a.reason })),
        ...lossesJson(meta.losses, meta.dataQuality.decayedBeforeStart),
      };
      await sink.write(`${JSON.stringify(report, null, 1)}\n`);
    } else {
      await sink.write(`${CSV_COLUMNS.join(',')}\n`);
      for (const r of rows) await sink.write(`${csvLine(r)}\n`);
    }
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
}

/** One CDM per conjunction (assembled by @hoshimi/astro: states in EME2000 at TCA, miss and relative velocity in RTN). */
function writeCdms(
  rows: readonly ReportRow[],
  elements: readonly ElementSet[],
  dir: string,
  ctx: AstroContext,
  options: ScreeningOptions,
  thresholdKm: number,
  ellipsoid: ScreeningOptions['ellipsoid'],
  firstNumber = 1,
): void {
  const creationDate = nowJd();
  const screenStop = { jd: options.start.jd, jdFrac: options.start.jdFrac + (options.durationDays ?? 7) };
  const radius =
    ellipsoid === undefined
      ? thresholdKm
      : Math.max(ellipsoid.radialKm, ellipsoid.inTrackKm, ellipsoid.crossTrackKm);
  rows.forEach((row, n) => {
    const { c, record } = row;
    const cdm = screeningConjunctionToCdm(
      {
        conjunction: c,
        originator: 'HOSHIMI',
        creationDate,
        screenStart: options.start,
        screenStop,
        screenRadiusKm: radius,
        pc: record.pc,
        pcMethod: record.pcMethod,
        hbrKm: record.hbrM / M_PER_KM,
        intlDesignators: [
          elements[c.primary.index]?.intlDesignator,
          elements[c.secondary.index]?.intlDesignator,
        ],
        ...(row.covariances === undefined ? {} : { covariancesRtnKm2: row.covariances }),
      },
      ctx,
    );
    const messageId = screeningCdmMessageId(c);
    const path = join(dir, `${String(n + firstNumber).padStart(6, '0')}_${messageId}.cdm`);
    try {
      writeFileSync(path, formatCdmKvn(cdm));
    } catch (e) {
      throw new CliError('OUTPUT_WRITE', `--cdm-dir: cannot write ${path}: ${(e as Error).message}`);
    }
  });
}

/**
 * Covariance models of the objects in `conjunctions` from their element sets in the store with
 * epochs in (asOf − COVARIANCE_HISTORY_DAYS, asOf]; objects with too short a history get none.
 */
async function historyCovariances(
  db: string,
  asOf: string,
  conjunctions: readonly Conjunction[],
  warn: (line: string) => void,
): Promise<Map<string, TleCovarianceModel>> {
  const t = jdFromIso(asOf);
  const numbers = new Set<string>();
  for (const c of conjunctions) {
    numbers.add(c.primary.catalogNumber);
    numbers.add(c.secondary.catalogNumber);
  }
  const models = new Map<string, TleCovarianceModel>();
  const store = await openCatalogStore(db, { mode: 'read' });
  try {
    for (const cn of numbers) {
      const history = (await store.history(cn)).map((s) => s.elements);
      const m = estimateTleCovariance(covarianceHistoryWindow(history, t));
      if (m !== null) models.set(cn, m);
    }
  } finally {
    await store.close();
  }
  warn(
    `covariance: ${models.size} of ${numbers.size} objects in conjunctions have an element-set history ` +
      `long enough for an estimate (${COVARIANCE_HISTORY_DAYS} days before ${asOf})`,
  );
  return models;
}

/** The current time as a UTC Julian date (the system clock counts UTC). */
function nowJd(): UtcJulianDate {
  const days = Date.now() / 86_400_000;
  const whole = Math.floor(days);
  return { jd: 2440587.5 + whole, jdFrac: days - whole };
}

/**
 * Every --primaries ID must name an object that has an element set to screen; otherwise a run would
 * store an all-clear for an object it never looked at. With --db, an ID the catalog knows but that
 * has no element set by the as-of time is told apart from one it does not know.
 */
async function checkPrimaries(
  primaries: readonly string[],
  elements: readonly ElementSet[],
  file: string | undefined,
  db: string | undefined,
  asOf: string | undefined,
): Promise<void> {
  const present = new Set(
    elements.map((e) => (/^\d+$/.test(e.catalogNumber) ? String(Number(e.catalogNumber)) : e.catalogNumber)),
  );
  const missing = primaries.filter((p) => !present.has(p));
  if (missing.length === 0) return;
  if (db === undefined) {
    throw new CliError(
      'PRIMARY_NOT_FOUND',
      `--primaries: ${missing.join(', ')} not among the ${elements.length} element sets of ${file}`,
    );
  }
  const store = await openCatalogStore(db, { mode: 'read' });
  const why: string[] = [];
  try {
    for (const id of missing.slice(0, 10)) {
      if ((await store.getObject(id)) === null) {
        why.push(`${id} is not in the catalog`);
        continue;
      }
      const first = (await store.history(id))[0];
      why.push(
        first === undefined
          ? `${id} is in the catalog but has no element set`
          : `${id} is in the catalog but has no element set by --as-of ${asOf} (its first has epoch ${first.epochUtc})`,
      );
    }
  } finally {
    await store.close();
  }
  if (missing.length > 10) why.push(`and ${missing.length - 10} more`);
  throw new CliError('PRIMARY_NOT_FOUND', `--primaries: ${why.join('; ')}`);
}

/** Reason given in the not-screened rows to an object left out by its SATCAT decay date. */
const DECAYED_SATCAT = 'decayed-satcat';

const MINUTES_PER_DAY = 1440;

/** An object left out because the store's SATCAT decay date is on or before the window start. */
interface DecayedObject {
  readonly catalogNumber: string;
  readonly name: string | null;
  /** YYYY-MM-DD: the object counts as decayed from 00:00 UTC of this day. */
  readonly decayDate: string;
  /** Age of its latest element set at the window start, days. */
  readonly elementAgeDays: number;
}

/**
 * The objects among `elements` whose decay date in the store (SATCAT) is on or before `startIso`:
 * a decay counts from 00:00 UTC of its date on, never before.
 */
async function decayedBefore(
  db: string,
  startIso: string,
  elements: readonly ElementSet[],
  start: UtcJulianDate,
): Promise<DecayedObject[]> {
  const store = await openCatalogStore(db, { mode: 'read' });
  let selection: Awaited<ReturnType<typeof store.selectObjects>>;
  try {
    selection = await store.selectObjects({ decayedBy: startIso.slice(0, 10) });
  } finally {
    await store.close();
  }
  const decayDates = new Map<string, string>();
  selection.catalogNumbers.forEach((cn, i) => {
    const d = selection.decayDates[i];
    if (d !== undefined && d !== null) decayDates.set(cn, d);
  });
  const out: DecayedObject[] = [];
  for (const e of elements) {
    const decayDate = decayDates.get(e.catalogNumber);
    if (decayDate === undefined) continue;
    out.push({
      catalogNumber: e.catalogNumber,
      name: e.name ?? null,
      decayDate,
      elementAgeDays: minutesSinceEpoch(e.epoch, start.jd, start.jdFrac) / MINUTES_PER_DAY,
    });
  }
  return out;
}

interface StreamScreeningArgs {
  readonly elements: readonly ElementSet[];
  readonly options: ScreeningOptions;
  readonly workers: number;
  /** Redis URL: screen on the queue (screenDistributedStream) instead of threads. */
  readonly queue: string | undefined;
  readonly unitBlocks: number;
  readonly hbr: HbrTable | undefined;
  readonly typeOf: (catalogNumber: string, name: string) => string;
  readonly outputs: OutputSet;
  readonly reportSink: OutputSink;
  readonly attachedSink: OutputSink | undefined;
  readonly attachedFile: string | undefined;
  readonly lossesSink: OutputSink | undefined;
  readonly lossesFile: string | undefined;
  readonly cdmFolder: StagedFolder | undefined;
  readonly cdmMaxMissKm: number;
  readonly ctx: AstroContext;
  readonly maxAgeDays: number;
  readonly primaries: readonly string[] | undefined;
  readonly days: number;
  readonly thresholdKm: number;
  readonly ellipsoid: ScreeningOptions['ellipsoid'];
  readonly startedAt: Date;
  readonly onProgress: (done: number, total: number) => void;
  readonly progress: ProgressBar;
  readonly decayedBeforeStart: DecayedObject[];
  readonly warn: (line: string) => void;
}

/**
 * The CSV report streamed: conjunctions come from screenParallelStream (or, with --queue,
 * screenDistributedStream, merging the units as they finish) in TCA order, batch by batch, and each batch's rows (Pc, attached pairs, CDMs) are written before the next is handed
 * over. The rows and their order are those of the in-memory path (same slices: both cap them at
 * DEFAULT_STREAM_SLICE_BLOCKS). Attached pairs are judged per pair as their first conjunction comes;
 * only pairs within ATTACHED_MAX_DA_KM in semi-major axis can be attached, so only those are
 * remembered. The files appear when the run is complete (as before); standard output gets the rows
 * as they come.
 */
async function streamScreening(a: StreamScreeningArgs): Promise<number> {
  const { elements, options, warn, hbr } = a;
  const start = options.start;
  const models = new Map<string, TleCovarianceModel>();
  const attachedMemo = new Map<string, string | null>();
  const sma = new Map<number, number>();
  const smaOf = (i: number): number => {
    let v = sma.get(i);
    if (v === undefined) {
      v = semiMajorAxisKm(elements[i]!);
      sma.set(i, v);
    }
    return v;
  };
  let headerDone = false;
  let attachedHeaderDone = false;
  let closeCount = 0;
  let attachedCount = 0;
  let cdmCount = 0;
  let fallbackCount = 0;
  let firstFallback: string | undefined;
  const attachedNames = new Set<string>();
  const onConjunctions = async (batch: readonly Conjunction[]): Promise<void> => {
    // Attached labels for the batch's new near-co-orbital pairs.
    const ask = new Map<string, readonly [ElementSet, ElementSet]>();
    for (const c of batch) {
      if (Math.abs(smaOf(c.primary.index) - smaOf(c.secondary.index)) > ATTACHED_MAX_DA_KM) continue;
      const key = pairKey(c);
      if (!attachedMemo.has(key) && !ask.has(key))
        ask.set(key, [elements[c.primary.index]!, elements[c.secondary.index]!]);
    }
    if (ask.size > 0) {
      const labels = attachedLabels([...ask.values()], start, a.days);
      [...ask.keys()].forEach((k, i) => {
        attachedMemo.set(k, labels[i]?.reason ?? null);
      });
    }
    let text = '';
    let attachedText = '';
    const cdmRows: ReportRow[] = [];
    for (const c of batch) {
      const hbrKm =
        (objectHbrM(hbr, c.primary.catalogNumber) + objectHbrM(hbr, c.secondary.catalogNumber)) / M_PER_KM;
      const pc = conjunctionPc(c, hbrKm, models);
      if (pc.fallbackReason !== undefined) {
        fallbackCount++;
        firstFallback ??= `${c.primary.catalogNumber}/${c.secondary.catalogNumber}: ${pc.fallbackReason}`;
      }
      const name1 = c.primary.name ?? '';
      const name2 = c.secondary.name ?? '';
      const row: ReportRow = {
        c,
        covariances: pc.covariances,
        name1,
        name2,
        type1: a.typeOf(c.primary.catalogNumber, name1),
        type2: a.typeOf(c.secondary.catalogNumber, name2),
        record: conjunctionRecord(c, pc, hbrKm),
      };
      const reason = attachedMemo.get(pairKey(c)) ?? null;
      if (reason === null) {
        text += `${csvLine(row)}\n`;
        closeCount++;
        if (row.record.missKm <= a.cdmMaxMissKm) cdmRows.push(row);
      } else {
        attachedText += `${csvLine(row)},attached,${csvQuote(reason)}\n`;
        attachedCount++;
        attachedNames.add(`${name1 || row.record.id1} / ${name2 || row.record.id2}`);
      }
    }
    if (!headerDone) {
      headerDone = true;
      text = `${CSV_COLUMNS.join(',')}\n${text}`;
    }
    await a.reportSink.write(text);
    if (a.attachedSink !== undefined && attachedText !== '') {
      if (!attachedHeaderDone) {
        attachedHeaderDone = true;
        attachedText = `${[...CSV_COLUMNS, 'label', 'label_reason'].join(',')}\n${attachedText}`;
      }
      await a.attachedSink.write(attachedText);
    }
    if (a.cdmFolder !== undefined && cdmRows.length > 0) {
      writeCdms(
        cdmRows,
        elements,
        a.cdmFolder.path,
        a.ctx,
        options,
        a.thresholdKm,
        a.ellipsoid,
        cdmCount + 1,
      );
      cdmCount += cdmRows.length;
    }
  };
  let summary: { readonly batches: number } & ScreeningStreamSummary;
  try {
    summary =
      a.queue !== undefined
        ? await screenDistributedStream(elements, options, {
            connection: a.queue,
            unitBlocks: a.unitBlocks,
            onProgress: a.onProgress,
            onConjunctions,
          })
        : await screenParallelStream(elements, options, {
            workers: a.workers,
            onProgress: a.onProgress,
            onConjunctions,
            maxSliceBlocks: DEFAULT_STREAM_SLICE_BLOCKS,
          });
  } catch (e) {
    a.outputs.rollback();
    throw e;
  } finally {
    a.progress.finish();
  }
  for (const w of summary.warnings) {
    if (w.code !== 'ELEMENT_SETS_TOO_OLD' && w.code !== 'ELEMENT_SETS_AFTER_START') {
      warn(`warning: [${w.code}] ${w.message}`);
    }
  }
  const result: ScreeningResult = {
    conjunctions: [],
    stats: summary.stats,
    warnings: summary.warnings,
    losses: summary.losses,
  };
  const dataQuality: DataQuality = {
    ...assessScreeningData(result, elements, a.maxAgeDays, a.primaries),
    decayedBeforeStart: a.decayedBeforeStart,
    coverage: undefined,
    asOf: undefined,
  };
  reportDataQuality(dataQuality, warn);
  if (dataQuality.nothingValid !== null) {
    a.outputs.rollback();
    reportLosses(result.losses, undefined, warn);
    throw new CliError(
      'NO_VALID_ELEMENTS',
      `[NO_VALID_ELEMENTS] nothing valid to screen: ${dataQuality.nothingValid}`,
      EXIT_NO_VALID_ELEMENTS,
    );
  }
  if (fallbackCount > 0)
    warn(`covariance: ${fallbackCount} events kept the maximum Pc (first: ${firstFallback})`);
  try {
    if (!headerDone) await a.reportSink.write(`${CSV_COLUMNS.join(',')}\n`);
    await a.reportSink.close();
    if (a.attachedSink !== undefined) {
      if (!attachedHeaderDone)
        await a.attachedSink.write(`${[...CSV_COLUMNS, 'label', 'label_reason'].join(',')}\n`);
      await a.attachedSink.close();
    }
  } catch (e) {
    a.reportSink.abort();
    throw e;
  }
  if (a.lossesSink !== undefined) await writeLosses(result.losses, a.decayedBeforeStart, a.lossesSink);
  reportLosses(result.losses, a.lossesFile, warn);
  await a.outputs.commit();
  a.outputs.finish();
  const finishedAt = new Date();
  if (a.cdmFolder !== undefined) warn(`${cdmCount} CDMs written to ${a.cdmFolder.target}`);
  if (attachedCount > 0) {
    warn(
      `attached: ${attachedCount} conjunctions of attached pairs (docked or attached objects) listed apart` +
        `${a.attachedFile !== undefined ? ` in ${a.attachedFile}` : ''}: ${[...attachedNames].slice(0, STDERR_LOSS_LINES).join(', ')}`,
    );
  }
  const s = summary.stats;
  const partlyLost = new Set(
    result.losses.objects
      .filter((l) => l.reason !== 'element-set-too-old' && l.reason !== 'sgp4-init-failed')
      .map((l) => l.index),
  ).size;
  warn(
    `screen: ${s.screened} of ${s.objects} objects over ${a.days} days, threshold ${a.thresholdKm} km: ${closeCount} conjunctions ` +
      `in ${((finishedAt.getTime() - a.startedAt.getTime()) / 1000).toFixed(1)} s, streamed in ${summary.batches} batches ` +
      `(at most ${summary.peakPendingEvents} events held; ${s.candidates} candidates refined, ` +
      `${s.tooOld} element sets older than ${a.maxAgeDays} days left out, ${s.initFailed} objects failed SGP4 initialisation, ` +
      `${partlyLost} lost part of the window, ${result.losses.refinements.length} refinements failed)`,
  );
  return 0;
}
