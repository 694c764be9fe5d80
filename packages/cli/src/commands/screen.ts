/**
 * `hoshimi screen`: conjunction screening of a catalog (all-vs-all, primaries-vs-all or one-vs-all)
 * over a window, with maximum Pc for each event, a CSV/JSON report, one CDM per event, and (with
 * --db) the results stored for the server.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AstroContext,
  AstroError,
  applyFrameTransform,
  conjunctionToCdm,
  type ElementSet,
  estimateTleCovariance,
  formatCdmKvn,
  formatUtcIso,
  frameEpochAt,
  frameTransform,
  instantOfUtcLabel,
  localOrbitalMatrix,
  mulMat3Vec3,
  parseUtcString,
  pcConjunctionFromRtn,
  pcFoster,
  pcMaxNoCovariance,
  type TleCovarianceModel,
  tleCovarianceRtnKm2,
  type UtcJulianDate,
  type Vec3,
  zeroMat3,
} from '@hoshimi/astro';
import {
  type Conjunction,
  conjunctionTcaIso,
  type ScreeningOptions,
  type ScreeningResult,
  screenCatalog,
} from '@hoshimi/astro/conjunction';
import { screenParallel } from '@hoshimi/node';
import { type ConjunctionRecord, openSqliteStore } from '@hoshimi/store';
import { parseCliArgs, workersArg } from '../args.js';
import { loadCliContext, referenceDataDir } from '../data.js';
import { isoArg, loadElementSets, nowIso } from '../element-source.js';
import { CliError } from '../errors.js';
import { type HbrTable, loadHbrTable, objectHbrM } from '../hbr.js';
import { OutputSet, type OutputSink } from '../io.js';
import { objectTypeLookup, selectPrimaries } from '../object-filter.js';
import { ProgressBar } from '../progress.js';

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
  --workers N             worker threads (default: every core; 1 runs in-process)
  --out FILE              CSV, or JSON when FILE ends in .json (default: CSV on stdout)
  --cdm-dir DIR           write one CCSDS CDM (KVN) per conjunction
  --cdm-max-miss-km X     only for conjunctions with a miss distance up to X km (default: all)
  --hbr-table FILE        CARA HBR table (default: pc-cases/cara in the reference data, if present)
  --covariance history    with --db: estimate each object's covariance from its element sets of the
                          30 days before --as-of and report Foster's Pc where both objects have one
                          (else the maximum Pc); default none
With --db the screening and its conjunctions are also stored in the database.
`;

const M_PER_KM = 1000;
/** Days of element-set history before the as-of time used to estimate a covariance. */
export const COVARIANCE_HISTORY_DAYS = 30;
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
      type: { type: 'string' },
      owner: { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      'cdm-dir': { type: 'string' },
      'cdm-max-miss-km': { type: 'string' },
      'hbr-table': { type: 'string' },
      covariance: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(SCREEN_USAGE);
    return 0;
  }
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const ctx = loadCliContext({}, warn);
  const days = positive(values.days, '--days', 7);
  const thresholdKm = positive(values['threshold-km'], '--threshold-km', 5);
  const cdmMaxMissKm = positive(values['cdm-max-miss-km'], '--cdm-max-miss-km', Number.POSITIVE_INFINITY);
  const workers = workersArg(values.workers, warn);
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
  const cdmFolder =
    values['cdm-dir'] === undefined ? undefined : outputs.folder(values['cdm-dir'], '--cdm-dir');
  const elements = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'] },
    ctx,
    warn,
  );
  const start =
    values.from !== undefined
      ? jdFromIso(isoArg(values.from, '--from', ctx))
      : asOf !== undefined
        ? jdFromIso(asOf)
        : medianEpochDay(elements);

  if (values.primaries !== undefined && values.primaries !== 'payloads') {
    const ids = values.primaries.split(',').map((s) => s.trim());
    if (ids.every((p) => /^\d{1,9}$/.test(p))) {
      await checkPrimaries(
        ids.map((p) => String(Number(p))),
        elements,
        values.elements,
        values.db,
        asOf,
      );
    }
  }
  const primaries = await selectPrimaries(
    { primaries: values.primaries, type: values.type, owner: values.owner, db: values.db },
    elements,
    warn,
  );
  const options: ScreeningOptions = {
    start,
    durationDays: days,
    thresholdKm,
    ...(ellipsoid === undefined ? {} : { ellipsoid }),
    ...(primaries === undefined ? {} : { primaries }),
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

  const startedAt = new Date();
  const progress = new ProgressBar('screen', 1);
  const onProgress = (done: number, total: number) => {
    progress.setTotal(total);
    progress.tick(done - progress.done);
  };
  let result: ScreeningResult;
  try {
    result =
      workers > 1
        ? await screenParallel(elements, options, { workers, onProgress })
        : screenCatalog(elements, options, onProgress);
  } finally {
    progress.finish();
  }
  for (const w of result.warnings) warn(`warning: [${w.code}] ${w.message}`);

  const models =
    covariance === 'history' && values.db !== undefined && asOf !== undefined
      ? await historyCovariances(values.db, asOf, result.conjunctions, warn)
      : new Map<string, TleCovarianceModel>();
  const fallbacks: string[] = [];
  const typeOf = await objectTypeLookup(values.db);
  const rows = result.conjunctions.map((c): ReportRow => {
    const hbrKm =
      (objectHbrM(hbr, c.primary.catalogNumber) + objectHbrM(hbr, c.secondary.catalogNumber)) / M_PER_KM;
    const pc = conjunctionPc(c, hbrKm, models, fallbacks);
    const name1 = c.primary.name ?? '';
    const name2 = c.secondary.name ?? '';
    return {
      c,
      covariances: pc.covariances,
      name1,
      name2,
      type1: typeOf(c.primary.catalogNumber, name1),
      type2: typeOf(c.secondary.catalogNumber, name2),
      record: {
        id1: c.primary.catalogNumber,
        id2: c.secondary.catalogNumber,
        tcaUtc: `${conjunctionTcaIso(c, 3)}Z`,
        missKm: c.missKm,
        relSpeedKmS: c.relativeSpeedKmS,
        rKm: c.missRtnKm.radial,
        iKm: c.missRtnKm.inTrack,
        cKm: c.missRtnKm.crossTrack,
        pc: pc.pc,
        pcMethod: pc.method,
        hbrM: hbrKm * M_PER_KM,
        covarianceSource: pc.covarianceSource,
        confidence: pc.confidence,
        age1Days: c.primary.elementAgeDays,
        age2Days: c.secondary.elementAgeDays,
      },
    };
  });

  if (fallbacks.length > 0) {
    warn(`covariance: ${fallbacks.length} events kept the maximum Pc (first: ${fallbacks[0]})`);
  }
  await writeReport(rows, values.out, reportSink);
  let cdmCount = 0;
  if (cdmFolder !== undefined) {
    const cdmRows = rows.filter((r) => r.record.missKm <= cdmMaxMissKm);
    writeCdms(cdmRows, elements, cdmFolder.path, ctx, options, thresholdKm, ellipsoid);
    cdmCount = cdmRows.length;
  }
  // The report, the CDMs and the stored screening go together: the files are moved into place,
  // then the screening is stored; if storing fails, the files are rolled back (main.ts).
  await outputs.commit();
  const finishedAt = new Date();
  if (values.db !== undefined) {
    const store = await openSqliteStore(values.db, { mode: 'write' });
    try {
      const windowStart = `${formatJd(start)}Z`;
      const windowStop = `${formatJd({ jd: start.jd, jdFrac: start.jdFrac + days })}Z`;
      const id = await store.saveScreening(
        {
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt.toISOString(),
          windowStart,
          windowStop,
          thresholdKm:
            ellipsoid === undefined
              ? thresholdKm
              : Math.max(ellipsoid.radialKm, ellipsoid.inTrackKm, ellipsoid.crossTrackKm),
          primaries: primaries ?? null,
          catalogAsOf: asOf ?? null,
          source: values.db,
          objectCount: elements.length,
        },
        rows.map((r) => r.record),
      );
      warn(`stored as screening ${id} in ${values.db}`);
    } finally {
      await store.close();
    }
  }
  outputs.finish();
  if (cdmFolder !== undefined) warn(`${cdmCount} CDMs written to ${cdmFolder.target}`);
  const s = result.stats;
  warn(
    `screen: ${s.screened} of ${s.objects} objects over ${days} days, threshold ${thresholdKm} km: ${rows.length} conjunctions ` +
      `in ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s (${s.candidates} candidates refined, ${s.initFailed} objects failed SGP4 initialisation)`,
  );
  return 0;
}

/** A UTC Julian date as CCSDS/ISO text with milliseconds, no zone letter. */
function formatJd(t: UtcJulianDate): string {
  return formatUtcIso(t, 3);
}

async function writeReport(
  rows: readonly ReportRow[],
  out: string | undefined,
  sink: OutputSink,
): Promise<void> {
  try {
    if (out?.toLowerCase().endsWith('.json')) {
      const doc = rows.map((r) => ({
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
      }));
      await sink.write(`${JSON.stringify(doc, null, 1)}\n`);
    } else {
      await sink.write(`${CSV_COLUMNS.join(',')}\n`);
      for (const r of rows) {
        const x = r.record;
        const q = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
        await sink.write(
          `${x.id1},${x.id2},${x.tcaUtc},${x.missKm.toFixed(6)},${x.relSpeedKmS.toFixed(6)},${x.rKm.toFixed(6)},${x.iKm.toFixed(6)},${x.cKm.toFixed(6)},${x.pc === null ? '' : x.pc.toExponential(6)},${x.pcMethod},${q(r.name1)},${q(r.name2)},${r.type1},${r.type2},${x.age1Days.toFixed(4)},${x.age2Days.toFixed(4)},${x.hbrM.toFixed(3)},${x.covarianceSource},${x.confidence}\n`,
        );
      }
    }
    await sink.close();
  } catch (e) {
    sink.abort();
    throw e;
  }
}

/** One CDM per conjunction: states moved from TEME to EME2000 at TCA, miss and relative velocity in RTN. */
function writeCdms(
  rows: readonly ReportRow[],
  elements: readonly ElementSet[],
  dir: string,
  ctx: AstroContext,
  options: ScreeningOptions,
  thresholdKm: number,
  ellipsoid: ScreeningOptions['ellipsoid'],
): void {
  const creation = nowJd();
  const screenStart = options.start;
  const screenStop = {
    jd: options.start.jd,
    jdFrac: options.start.jdFrac + (options.durationDays ?? 7),
  };
  const radius =
    ellipsoid === undefined
      ? thresholdKm
      : Math.max(ellipsoid.radialKm, ellipsoid.inTrackKm, ellipsoid.crossTrackKm);
  const m = zeroMat3();
  rows.forEach((row, n) => {
    const { c, record } = row;
    const t = frameTransform('TEME', 'EME2000', frameEpochAt(instantOfUtcLabel(c.tca, ctx), ctx));
    const to = (o: Conjunction['primary']) => {
      const r: Vec3 = [...o.rKm];
      const v: Vec3 = [...o.vKmS];
      applyFrameTransform(t, r, v, r, v);
      return { r, v };
    };
    const p = to(c.primary);
    const s = to(c.secondary);
    localOrbitalMatrix('RTN', c.primary.rKm, c.primary.vKmS, m);
    const dv: Vec3 = [
      c.secondary.vKmS[0] - c.primary.vKmS[0],
      c.secondary.vKmS[1] - c.primary.vKmS[1],
      c.secondary.vKmS[2] - c.primary.vKmS[2],
    ];
    const relV = mulMat3Vec3(m, dv, [0, 0, 0]);
    const messageId = `HOSHIMI_${record.id1}_${record.id2}_${record.tcaUtc.replace(/[-:.Z]/g, '')}`;
    const cdm = conjunctionToCdm({
      messageId,
      originator: 'HOSHIMI',
      creationDate: creation,
      tca: c.tca,
      screenStart,
      screenStop,
      screenRadiusKm: radius,
      refFrame: 'EME2000',
      missKm: record.missKm,
      relativeSpeedKmS: record.relSpeedKmS,
      missRtnKm: [record.rKm, record.iKm, record.cKm],
      relVelRtnKmS: relV,
      pc: record.pc,
      pcMethod: record.pcMethod === 'FOSTER-1992' ? 'FOSTER-1992' : 'ALFANO-2005',
      hbrKm: record.hbrM / M_PER_KM,
      objects: [
        {
          catalogNumber: record.id1,
          name: row.name1 || undefined,
          intlDesignator: elements[c.primary.index]?.intlDesignator,
          rKm: p.r,
          vKmS: p.v,
          elementAgeDays: record.age1Days,
          ...(row.covariances === undefined ? {} : { covarianceRtnKm2: row.covariances[0] }),
        },
        {
          catalogNumber: record.id2,
          name: row.name2 || undefined,
          intlDesignator: elements[c.secondary.index]?.intlDesignator,
          rKm: s.r,
          vKmS: s.v,
          elementAgeDays: record.age2Days,
          ...(row.covariances === undefined ? {} : { covarianceRtnKm2: row.covariances[1] }),
        },
      ],
    });
    writeFileSync(join(dir, `${String(n + 1).padStart(6, '0')}_${messageId}.cdm`), formatCdmKvn(cdm));
  });
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
  const store = await openSqliteStore(db, { mode: 'read' });
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
  const end = t.jd + t.jdFrac;
  const numbers = new Set<string>();
  for (const c of conjunctions) {
    numbers.add(c.primary.catalogNumber);
    numbers.add(c.secondary.catalogNumber);
  }
  const models = new Map<string, TleCovarianceModel>();
  const store = await openSqliteStore(db, { mode: 'read' });
  try {
    for (const cn of numbers) {
      const sets = (await store.history(cn))
        .map((s) => s.elements)
        .filter((e) => {
          const d = e.epoch.jd + e.epoch.jdFrac;
          return d <= end && d > end - COVARIANCE_HISTORY_DAYS;
        });
      const m = estimateTleCovariance(sets);
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

/**
 * Pc of a screened conjunction: Foster's with both objects' history covariances (each at its
 * element set's age at TCA, rotated with its own state), else the maximum Pc without covariance.
 */
function conjunctionPc(
  c: Conjunction,
  hbrKm: number,
  models: ReadonlyMap<string, TleCovarianceModel>,
  fallbacks: string[],
): {
  pc: number | null;
  method: string;
  covarianceSource: string;
  confidence: 'low' | 'normal';
  covariances?: [Vec3, Vec3];
} {
  const m1 = models.get(c.primary.catalogNumber);
  const m2 = models.get(c.secondary.catalogNumber);
  if (m1 !== undefined && m2 !== undefined) {
    const cov1 = tleCovarianceRtnKm2(m1, c.primary.elementAgeDays);
    const cov2 = tleCovarianceRtnKm2(m2, c.secondary.elementAgeDays);
    try {
      const conj = pcConjunctionFromRtn(
        c.primary.rKm,
        c.primary.vKmS,
        cov1,
        c.secondary.rKm,
        c.secondary.vKmS,
        cov2,
      );
      const r = pcFoster(conj, hbrKm, { covarianceSource: 'tle-history' });
      return {
        pc: r.pc,
        method: r.method,
        covarianceSource: 'tle-history',
        confidence: r.confidence === 'low' ? 'low' : 'normal',
        covariances: [
          [cov1[0], cov1[4], cov1[8]],
          [cov2[0], cov2[4], cov2[8]],
        ],
      };
    } catch (e) {
      // Foster's Pc throws only when the combined covariance has no variance in the encounter
      // plane (both models all zero) or the relative speed is zero: keep the maximum Pc, say why.
      if (!(e instanceof AstroError)) throw e;
      fallbacks.push(`${c.primary.catalogNumber}/${c.secondary.catalogNumber}: ${e.message}`);
    }
  }
  const pc = pcMaxNoCovariance(c.missKm, hbrKm);
  return { pc: pc.pc, method: pc.method, covarianceSource: 'none (element sets)', confidence: 'low' };
}

/** The current time as a UTC Julian date (the system clock counts UTC). */
function nowJd(): UtcJulianDate {
  const days = Date.now() / 86_400_000;
  const whole = Math.floor(days);
  return { jd: 2440587.5 + whole, jdFrac: days - whole };
}
