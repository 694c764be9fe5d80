/**
 * `hoshimi reentry`: reentry prediction of one object from its element-set history (the method is
 * in @hoshimi/astro reentry/): ballistic coefficient from the observed decay, numerical propagation
 * with NRLMSISE-00 and the actual space weather to the reentry altitude, the window and the ground
 * track; optional CCSDS RDM, ground-track SVG and a 'reentry' DetectionEvent.
 */
import { join } from 'node:path';
import {
  AstroError,
  type ElementSet,
  formatIssue,
  formatRdmKvn,
  formatRdmXml,
  formatTime,
  type Instant,
  parseCelestrakSpaceWeatherCsv,
  parseEgm,
  parseNrlmsise00Coefficients,
  predictReentry,
  type ReentryEnvironment,
  type ReentryPrediction,
  rdmFromReentryPrediction,
  reentryDetectionEvent,
  utcLabelOfInstant,
} from '@hoshimi/astro';
import { groundTrackChartSpec, renderSvg } from '@hoshimi/plot';
import { parseCliArgs } from '../args.js';
import { loadCliContext, referenceDataDir, warnTableSpan } from '../data.js';
import { loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet, readTextInput } from '../io.js';
import { openCatalogStore, storeName } from '../store-location.js';

export const REENTRY_USAGE = `Usage: hoshimi reentry (--elements FILE | --db PATH --id ID) [--json] [--rdm FILE] [--plot FILE] [--events FILE]

Predicts the reentry of one object from its element-set history: the ballistic coefficient
Cd·A/m is fitted to the decay of the mean semi-major axis between sets (or, with a single set, to
its mean-motion derivative), then the last set's state is propagated numerically (EGM96 8×8,
Sun, Moon, drag with NRLMSISE-00 and the observed space weather) down to the reentry altitude.
The window is ±20 % of the remaining time (1σ), ±25 % inside 48 h, ±30 % when predicted or held
space weather was used.
  --elements FILE        element sets (TLE, 3LE, OMM, GP JSON/CSV); several objects need --id
  --db PATH --id ID      the object's history from the catalog store
  --altitude KM          reentry altitude (default 80; the 120 km interface is reported too)
  --bc M2KG              use this Cd·A/m (m²/kg) instead of estimating it
  --fit-days N           history used for the fit, days before the last set (default 10)
  --hold-space-weather   past the space-weather table, hold its last values (warned) instead of refusing
  --space-weather FILE   CelesTrak SW-All.csv (default: the reference data's)
  --msis FILE            NRLMSISE-00 coefficients JSON (default: the reference data's)
  --gravity FILE         EGM ascii coefficients (default: the reference data's EGM96 to degree 21)
  --json                 JSON: epoch_utc, window_start_utc, window_end_utc, ballistic coefficient,
                         remaining time, impact point, ground-track summary, warnings
  --out FILE             write there instead of stdout
  --rdm FILE             CCSDS Reentry Data Message (XML when FILE ends in .xml, else KVN)
  --plot FILE            SVG of the ground track over the window
  --events FILE          the prediction as a JSON array of one DetectionEvent (type 'reentry'),
                         which 'hoshimi events import' stores
`;

function environment(
  values: { 'space-weather'?: string; msis?: string; gravity?: string; 'hold-space-weather'?: boolean },
  context: ReentryEnvironment['context'],
): ReentryEnvironment {
  const ref = referenceDataDir();
  const swFile = values['space-weather'] ?? join(ref, 'earth/SW-All_1998-2026.csv.gz');
  const msisFile = values.msis ?? join(ref, 'earth/atmosphere/nrlmsise00-coefficients.json');
  const gravFile = values.gravity ?? join(ref, 'earth/gravity/EGM96-truncated-21x21');
  const sw = parseCelestrakSpaceWeatherCsv(readTextInput(swFile), { file: swFile });
  if (!sw.ok) throw new CliError('DATA_INVALID', sw.issues.map(formatIssue).join('\n'));
  const grav = parseEgm(readTextInput(gravFile), { file: gravFile, tideSystem: 'tide_free', maxDegree: 8 });
  if (!grav.ok) throw new CliError('DATA_INVALID', grav.issues.map(formatIssue).join('\n'));
  let msis: ReentryEnvironment['msis'];
  try {
    msis = parseNrlmsise00Coefficients(readTextInput(msisFile));
  } catch (e) {
    throw new CliError('DATA_INVALID', `${msisFile}: ${(e as Error).message}`);
  }
  return {
    context,
    msis,
    spaceWeather: sw.value,
    gravity: grav.value,
    gravityDegree: 8,
    beyondSpaceWeather: values['hold-space-weather'] === true ? 'hold' : 'refuse',
  };
}

async function history(
  values: { elements?: string; db?: string; id?: string },
  ctx: ReentryEnvironment['context'],
  warn: (line: string) => void,
): Promise<ElementSet[]> {
  if ((values.elements === undefined) === (values.db === undefined)) {
    throw new CliError('USAGE', 'give exactly one of --elements FILE or --db PATH --id ID');
  }
  if (values.db !== undefined) {
    if (values.id === undefined) throw new CliError('USAGE', '--db needs --id ID');
    const store = await openCatalogStore(values.db, { mode: 'read' });
    try {
      const sets = (await store.history(values.id)).map((s) => s.elements);
      if (sets.length === 0)
        throw new CliError(
          'OBJECT_NOT_FOUND',
          `${storeName(values.db)}: no element set of object ${values.id}`,
        );
      return sets;
    } finally {
      await store.close();
    }
  }
  const all = await loadElementSets({ elements: values.elements }, ctx, warn);
  const ids = [...new Set(all.map((e) => e.catalogNumber))];
  if (values.id !== undefined) {
    const sets = all.filter((e) => e.catalogNumber === values.id);
    if (sets.length === 0)
      throw new CliError('OBJECT_NOT_FOUND', `${values.elements}: no element set of object ${values.id}`);
    return sets;
  }
  if (ids.length !== 1) {
    throw new CliError(
      'USAGE',
      `${values.elements} holds ${ids.length} objects (${ids.slice(0, 5).join(', ')}…): choose one with --id`,
    );
  }
  return all;
}

function positive(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (!(x > 0) || !Number.isFinite(x))
    throw new CliError('USAGE', `${flag}: expected a positive number, got '${text}'`);
  return x;
}

export async function reentryCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi reentry', REENTRY_USAGE, {
    args: [...argv],
    options: {
      elements: { type: 'string' },
      db: { type: 'string' },
      id: { type: 'string' },
      altitude: { type: 'string' },
      bc: { type: 'string' },
      'fit-days': { type: 'string' },
      'hold-space-weather': { type: 'boolean' },
      'space-weather': { type: 'string' },
      msis: { type: 'string' },
      gravity: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      rdm: { type: 'string' },
      plot: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const altitude = positive(values.altitude, '--altitude');
  const bc = positive(values.bc, '--bc');
  const fitDays = positive(values['fit-days'], '--fit-days');
  const ctx = loadCliContext({ tolerant: true }, warn);
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const rdmOut = values.rdm === undefined ? undefined : outputs.file(values.rdm, '--rdm');
  const plotOut = values.plot === undefined ? undefined : outputs.file(values.plot, '--plot');
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const sets = await history(values, ctx, warn);
  const env = environment(values, ctx);
  let p: ReentryPrediction;
  try {
    p = predictReentry(sets, env, {
      ...(altitude === undefined ? {} : { reentryAltitudeKm: altitude }),
      ...(bc === undefined ? {} : { ballisticCoefficientM2Kg: bc }),
      ...(fitDays === undefined ? {} : { fitSpanDays: fitDays }),
    });
  } catch (e) {
    if (e instanceof AstroError && e.code.startsWith('REENTRY_')) throw new CliError(e.code, e.message);
    if (e instanceof AstroError && e.code.startsWith('SPACE_WEATHER')) throw new CliError(e.code, e.message);
    throw e;
  }
  for (const w of p.warnings) warn(`warning: [${w.code}] ${w.message}`);
  // Leap seconds and EOP over the propagated span (held values are warned, as elsewhere).
  const mjdOf = (t: Instant): number => {
    const u = utcLabelOfInstant(t, ctx);
    return Math.floor(u.jd - 2400000.5 + u.jdFrac);
  };
  warnTableSpan(ctx, mjdOf(p.elementEpoch), mjdOf(p.windowEnd), warn);
  const iso = (t: Instant): string => formatTime(t, ctx, { decimals: 0 });
  const deg = 180 / Math.PI;
  const tr = p.groundTrack;
  const n = tr.latRad.length;
  const summary = {
    samples: n,
    step_s: n > 1 ? tr.tFromNominalS[1]! - tr.tFromNominalS[0]! : 0,
    start: { lat_deg: tr.latRad[0]! * deg, lon_deg: tr.lonRad[0]! * deg },
    end: { lat_deg: tr.latRad[n - 1]! * deg, lon_deg: tr.lonRad[n - 1]! * deg },
    revolutions:
      (2 * p.windowFraction * p.remainingS) /
      ((2 * Math.PI * 60) / sets[sets.length - 1]!.meanMotionRadPerMin),
  };
  if (values.json) {
    const doc = {
      object: p.catalogNumber,
      name: p.objectName ?? null,
      element_epoch_utc: iso(p.elementEpoch),
      element_sets_used: sets.length,
      epoch_utc: iso(p.reentryEpoch),
      window_start_utc: iso(p.windowStart),
      window_end_utc: iso(p.windowEnd),
      window_fraction: p.windowFraction,
      sigma_s: p.sigmaS,
      remaining_s: p.remainingS,
      remaining_days: p.remainingS / 86400,
      reentry_altitude_km: p.reentryAltitudeKm,
      interface_epoch_utc: p.interfaceEpoch === undefined ? null : iso(p.interfaceEpoch),
      ballistic_coefficient_m2_kg: p.ballistic.bM2Kg,
      ballistic_coefficient_spread_m2_kg: p.ballistic.spreadM2Kg ?? null,
      ballistic_method: p.ballistic.method,
      ballistic_pairs: p.ballistic.pairs.map((q) => ({
        span_s: q.spanS,
        observed_da_km: q.observedDaKm,
        fitted_da_km: q.fittedDaKm,
        b_m2_kg: q.bM2Kg,
      })),
      impact: {
        lat_deg: p.impactLatRad * deg,
        lon_deg: p.impactLonRad * deg,
        direction: p.direction,
        along_track_sigma_km: p.alongTrackSigmaKm,
        along_track_window_km: p.alongTrackWindowKm,
        cross_track_sigma_km: p.crossTrackSigmaKm,
      },
      ground_track: summary,
      warnings: p.warnings,
    };
    await out.write(`${JSON.stringify(doc, null, 1)}\n`);
  } else {
    await out.write(
      [
        `object ${p.catalogNumber}${p.objectName === undefined ? '' : ` (${p.objectName})`}, last element set ${iso(p.elementEpoch)}, ${sets.length} element set${sets.length === 1 ? '' : 's'}`,
        `ballistic coefficient Cd·A/m ${p.ballistic.bM2Kg.toFixed(5)} m²/kg (${p.ballistic.method})`,
        `reentry (${p.reentryAltitudeKm} km) ${iso(p.reentryEpoch)}, in ${(p.remainingS / 3600).toFixed(2)} h`,
        `window ${iso(p.windowStart)} .. ${iso(p.windowEnd)} (±${Math.round(p.windowFraction * 100)} % of the remaining time)`,
        `sub-point at reentry ${(p.impactLatRad * deg).toFixed(2)}°, ${(p.impactLonRad * deg).toFixed(2)}° (${p.direction}); along-track 1σ ${p.alongTrackSigmaKm.toFixed(0)} km, cross-track 1σ ${p.crossTrackSigmaKm} km`,
        '',
      ].join('\n'),
    );
  }
  if (rdmOut !== undefined) {
    const rdm = rdmFromReentryPrediction(p, ctx, {
      originator: 'HOSHIMI',
      messageId: `HOSHIMI-${p.catalogNumber}-${iso(p.elementEpoch).replace(/[-:]/g, '').slice(0, 15)}`,
      creationDate: p.elementEpoch,
      lastElementSet: sets[sets.length - 1]!,
      gravityModel: 'EGM-96: 8D 8O',
    });
    await rdmOut.write(values.rdm!.toLowerCase().endsWith('.xml') ? formatRdmXml(rdm) : formatRdmKvn(rdm));
  }
  if (plotOut !== undefined) {
    const samples = Array.from({ length: n }, (_, k) => ({
      lonDeg: tr.lonRad[k]! * deg,
      latDeg: tr.latRad[k]! * deg,
      hoursFromNominal: tr.tFromNominalS[k]! / 3600,
      afterNominal: tr.afterNominal[k] === 1,
    }));
    const spec = groundTrackChartSpec(
      {
        samples,
        nominal: { lonDeg: p.impactLonRad * deg, latDeg: p.impactLatRad * deg, timeUtc: iso(p.reentryEpoch) },
        windowStartUtc: iso(p.windowStart),
        windowEndUtc: iso(p.windowEnd),
      },
      {
        title: `Reentry of ${p.catalogNumber}${p.objectName === undefined ? '' : ` ${p.objectName}`}: ${iso(p.reentryEpoch).slice(0, 16)}Z ±${Math.round(p.windowFraction * 100)} % (from the set of ${iso(p.elementEpoch).slice(0, 16)}Z)`,
      },
    );
    await plotOut.write(await renderSvg(spec));
  }
  if (eventsOut !== undefined) {
    const source = values.elements ?? `${storeName(values.db ?? '')} object ${values.id}`;
    await eventsOut.write(`${JSON.stringify([reentryDetectionEvent(p, ctx, { source })], null, 1)}\n`);
  }
  await outputs.commit();
  outputs.finish();
  return 0;
}
