/**
 * Reentry evaluation: `predictReentry` on real objects whose reentry time is known, against the
 * 18 SDS TIP messages where they exist (the baseline).
 *
 * Cases:
 * - object 66877 (2025-282A): its last two TLEs (reentry/ssa-script-tip/tle_66877_*.txt) and the
 *   successive TIPs (tip_66877_*.json, tip_history_66877.csv); truth = the decay epoch of the TIP
 *   issued 8.6 h after it (MSG_EPOCH 2026-01-30 22:21, DECAY_EPOCH 2026-01-30 13:43, from the log);
 * - GOCE (34602): its final TLE (reentry/known_reentries.json, epoch 2013-11-10 23:03), truth
 *   2013-11-11 00:16 UTC (ESA; public record, not a data file). The 2009–2012 history ends a year
 *   before reentry, while GOCE still held its orbit with its ion engine: it cannot support a
 *   prediction (checked here and reported);
 * - objects of the catalog snapshots (catalog/*.3le.txt.gz) whose SATCAT decay date
 *   (satcat/spacetrack_satcat_decayed_2025-03-16) falls days to weeks after their last set in the
 *   snapshot; uncontrolled rocket bodies, payloads and debris. The SATCAT gives the decay day only:
 *   truth = that day at 12:00 UTC ± 12 h, which is part of the stated error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type AstroContext,
  type ElementSet,
  estimateBallisticCoefficient,
  formatTime,
  type Instant,
  instantOfUtcLabel,
  loadContext,
  parseCelestrakSpaceWeatherCsv,
  parseEgm,
  parseElements,
  parseNrlmsise00Coefficients,
  parseUtcString,
  predictReentry,
  type ReentryEnvironment,
  type ReentryPrediction,
} from '@hoshimi/astro';

/** The environment from the reference data (EGM96 degree 8, NRLMSISE-00, SW-All). */
export function loadReentryEnvironment(dataDir: string): ReentryEnvironment {
  const text = (p: string): string => {
    const b = readFileSync(join(dataDir, p));
    return p.endsWith('.gz') ? gunzipSync(b).toString('utf8') : b.toString('utf8');
  };
  const ctx = loadContext({
    leapSecondsText: text('earth/Leap_Second.dat'),
    eopText: text('earth/finals2000A.all.gz'),
    allowEopPredictions: true,
    afterLeapSecondExpiry: 'hold-last',
  });
  if (!ctx.ok) throw new Error(`context: ${JSON.stringify(ctx.issues[0])}`);
  const sw = parseCelestrakSpaceWeatherCsv(text('earth/SW-All_1998-2026.csv.gz'));
  if (!sw.ok) throw new Error('space weather');
  const grav = parseEgm(text('earth/gravity/EGM96-truncated-21x21'), { tideSystem: 'tide_free' });
  if (!grav.ok) throw new Error('gravity');
  return {
    context: ctx.value,
    msis: parseNrlmsise00Coefficients(text('earth/atmosphere/nrlmsise00-coefficients.json')),
    spaceWeather: sw.value,
    gravity: grav.value,
    gravityDegree: 8,
  };
}

/** A UTC text (`YYYY-MM-DD HH:MM[:SS]`) as an instant. */
export function utcInstant(text: string, ctx: AstroContext): Instant {
  const label = parseUtcString(text.trim().replace(' ', 'T').replace(/Z$/, ''));
  if (label === undefined) throw new Error(`bad UTC text ${text}`);
  return instantOfUtcLabel(label, ctx);
}

function setsOf(text: string): ElementSet[] {
  const r = parseElements(text);
  if (!r.ok) throw new Error(`elements: ${JSON.stringify(r.issues[0])}`);
  return r.value.records.map((x) => x.elements);
}

/** One validation case. */
export interface ReentryCase {
  readonly name: string;
  readonly catalogNumber: string;
  readonly history: readonly ElementSet[];
  readonly truthUtc: string;
  /** Half-width of the truth's own uncertainty, s (0 when known to the minute). */
  readonly truthUncertaintyS: number;
  readonly truthSource: string;
}

/** A TIP message: issue time, predicted decay and its ± window. */
export interface TipMessage {
  readonly msgEpochUtc: string;
  readonly decayEpochUtc: string;
  readonly windowMin: number;
}

/** The successive TIPs of object 66877, newest last, without the post-decay one. */
export function tips66877(dataDir: string): TipMessage[] {
  const dir = join(dataDir, 'reentry/ssa-script-tip');
  const seen = new Map<string, TipMessage>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith('tip_66877_') && n.endsWith('.json'))) {
    for (const t of JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, string>[]) {
      seen.set(t['MSG_EPOCH']!, {
        msgEpochUtc: t['MSG_EPOCH']!,
        decayEpochUtc: t['DECAY_EPOCH']!,
        windowMin: Number(t['WINDOW']),
      });
    }
  }
  // The script's log holds the later TIPs: message epoch in column 3 and, in the rows whose window
  // start equals its end, the TIP's own decay epoch in columns 5–6 (its ± window is not logged).
  for (const line of readFileSync(join(dir, 'tip_history_66877.csv'), 'utf8').split(/\r?\n/)) {
    const f = line.split(',');
    const msg = f[2] ?? '';
    if (f.length < 6 || seen.has(msg) || !/^\d{4}-/.test(f[4] ?? '') || f[4] !== f[5]) continue;
    seen.set(msg, { msgEpochUtc: msg, decayEpochUtc: f[4]!.replace('Z', ''), windowMin: Number.NaN });
  }
  return [...seen.values()].sort((a, b) => a.msgEpochUtc.localeCompare(b.msgEpochUtc));
}

/** Truth of 66877: the decay epoch of the TIP issued after it (MSG_EPOCH 2026-01-30 22:21). */
export const TRUTH_66877 = '2026-01-30 13:43:00';

/** Objects of the catalog snapshots that decayed days to weeks after their last set there. */
export const SNAPSHOT_CASES: readonly {
  catalog: string;
  id: string;
  name: string;
  decay: string;
  note?: string;
}[] = [
  {
    catalog: 'full_catalog_2021-05-29',
    id: '48275',
    name: 'CZ-5B R/B',
    decay: '2021-05-09 02:24',
    note: 'decay time from the USSPACECOM announcement (public record)',
  },
  { catalog: 'full_catalog_2019-03-19', id: '8418', name: 'SL-6 R/B(2)', decay: '2019-03-24' },
  { catalog: 'full_catalog_2019-03-19', id: '42725', name: 'LILACSAT-1', decay: '2019-03-28' },
  { catalog: 'full_catalog_2019-03-19', id: '42727', name: 'SNUSAT-1', decay: '2019-03-31' },
  { catalog: 'full_catalog_2021-05-29', id: '43021', name: 'DELLINGR (RBLE)', decay: '2021-06-10' },
  { catalog: 'full_catalog_2021-05-29', id: '47203', name: 'H-2A R/B', decay: '2021-06-13' },
  { catalog: 'full_catalog_2021-05-29', id: '48804', name: 'CZ-7 R/B', decay: '2021-06-15' },
  { catalog: 'full_catalog_2019-03-19', id: '20230', name: 'H-1 R/B(1)', decay: '2019-04-05' },
  { catalog: 'full_catalog_2021-05-29', id: '43547', name: 'TEMPEST-D', decay: '2021-06-21' },
];

/** The element set of one object in a catalog snapshot. */
export function snapshotSet(dataDir: string, catalog: string, id: string): ElementSet[] {
  const text = gunzipSync(readFileSync(join(dataDir, 'catalog', `${catalog}.3le.txt.gz`))).toString('utf8');
  const lines = text.split(/\r?\n/);
  const want = id.padStart(5, ' ');
  for (let i = 1; i < lines.length - 1; i++) {
    const l1 = lines[i]!;
    if (l1.startsWith('1 ') && l1.slice(2, 7) === want && lines[i + 1]!.startsWith('2 ')) {
      const l0 = lines[i - 1]!.startsWith('0 ') ? lines[i - 1]! : `0 ${id}`;
      return setsOf(`${l0}\n${l1}\n${lines[i + 1]!}\n`);
    }
  }
  throw new Error(`object ${id} not in ${catalog}`);
}

/** Every case of the evaluation. */
export function reentryCases(dataDir: string): ReentryCase[] {
  const dir = join(dataDir, 'reentry/ssa-script-tip');
  const tles = readdirSync(dir)
    .filter((n) => n.startsWith('tle_66877_'))
    .flatMap((n) => setsOf(readFileSync(join(dir, n), 'utf8')));
  const known = JSON.parse(readFileSync(join(dataDir, 'reentry/known_reentries.json'), 'utf8')) as {
    objects: { norad: number; final_tle?: { line0: string; line1: string; line2: string } }[];
  };
  const goce = known.objects.find((o) => o.norad === 34602)!.final_tle!;
  const cases: ReentryCase[] = [
    {
      name: '66877 (2025-282A), last TLE only',
      catalogNumber: '66877',
      history: tles.filter((t) => t.epoch.jdFrac > 0.5 && t.epoch.jd + t.epoch.jdFrac < 2461069.5),
      truthUtc: TRUTH_66877,
      truthUncertaintyS: 60,
      truthSource: 'post-decay TIP',
    },
    {
      name: '66877 (2025-282A), last two TLEs',
      catalogNumber: '66877',
      history: tles,
      truthUtc: TRUTH_66877,
      truthUncertaintyS: 60,
      truthSource: 'post-decay TIP',
    },
    {
      name: 'GOCE (34602), final TLE',
      catalogNumber: '34602',
      history: setsOf(`${goce.line0}\n${goce.line1}\n${goce.line2}\n`),
      truthUtc: '2013-11-11 00:16',
      truthUncertaintyS: 300,
      truthSource: 'ESA (public record)',
    },
  ];
  for (const c of SNAPSHOT_CASES) {
    const precise = c.decay.length > 10;
    cases.push({
      name: `${c.name} (${c.id}), ${c.catalog.replace('full_catalog_', 'catalog ')}`,
      catalogNumber: c.id,
      history: snapshotSet(dataDir, c.catalog, c.id),
      truthUtc: precise ? c.decay : `${c.decay} 12:00`,
      truthUncertaintyS: precise ? 60 : 43200,
      truthSource: c.note ?? 'SATCAT decay date (day only)',
    });
  }
  return cases;
}

/** The outcome of one case. */
export interface ReentryCaseResult {
  readonly name: string;
  readonly elementEpochUtc: string;
  readonly method: string;
  readonly bM2Kg: number;
  readonly predictedUtc: string;
  readonly windowStartUtc: string;
  readonly windowEndUtc: string;
  readonly truthUtc: string;
  readonly truthSource: string;
  readonly truthUncertaintyS: number;
  readonly remainingTrueS: number;
  readonly errorS: number;
  /** Error over the true remaining time. */
  readonly errorFraction: number;
  readonly inside: boolean;
  readonly warnings: readonly string[];
  readonly prediction: ReentryPrediction | undefined;
  readonly failure: string | undefined;
}

const iso = (t: Instant, ctx: AstroContext): string => formatTime(t, ctx, { decimals: 0 });

/** Runs one case. */
export function runCase(c: ReentryCase, env: ReentryEnvironment): ReentryCaseResult {
  const ctx = env.context;
  const truth = utcInstant(c.truthUtc, ctx);
  try {
    const p = predictReentry(c.history, env, { maxDays: 120 });
    const remainingTrue = truth.secondsSince(p.elementEpoch);
    const err = p.reentryEpoch.secondsSince(truth);
    return {
      name: c.name,
      elementEpochUtc: iso(p.elementEpoch, ctx),
      method: p.ballistic.method,
      bM2Kg: p.ballistic.bM2Kg,
      predictedUtc: iso(p.reentryEpoch, ctx),
      windowStartUtc: iso(p.windowStart, ctx),
      windowEndUtc: iso(p.windowEnd, ctx),
      truthUtc: c.truthUtc,
      truthSource: c.truthSource,
      truthUncertaintyS: c.truthUncertaintyS,
      remainingTrueS: remainingTrue,
      errorS: err,
      errorFraction: err / remainingTrue,
      inside: truth.secondsSince(p.windowStart) >= 0 && p.windowEnd.secondsSince(truth) >= 0,
      warnings: p.warnings.map((w) => w.code),
      prediction: p,
      failure: undefined,
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      name: c.name,
      elementEpochUtc: '',
      method: '',
      bM2Kg: Number.NaN,
      predictedUtc: '',
      windowStartUtc: '',
      windowEndUtc: '',
      truthUtc: c.truthUtc,
      truthSource: c.truthSource,
      truthUncertaintyS: c.truthUncertaintyS,
      remainingTrueS: Number.NaN,
      errorS: Number.NaN,
      errorFraction: Number.NaN,
      inside: false,
      warnings: [],
      prediction: undefined,
      failure: msg,
    };
  }
}

const h = (s: number): string => (s / 3600).toFixed(2);

/** Markdown table of the results. */
export function resultsTable(rs: readonly ReentryCaseResult[]): string {
  const rows = [
    '| case | last set (UTC) | B m²/kg (method) | predicted (UTC) | window (UTC) | truth (UTC, source) | true remaining h | error h | error / remaining | inside |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rs) {
    if (r.failure !== undefined) {
      rows.push(`| ${r.name} | | | failed: ${r.failure} | | ${r.truthUtc} | | | | no |`);
      continue;
    }
    const tu = r.truthUncertaintyS > 3600 ? ` ±${(r.truthUncertaintyS / 3600).toFixed(0)} h` : '';
    const fu =
      r.truthUncertaintyS > 3600
        ? ` (±${((100 * r.truthUncertaintyS) / r.remainingTrueS).toFixed(0)} %)`
        : '';
    rows.push(
      `| ${r.name} | ${r.elementEpochUtc.slice(0, 16)} | ${r.bM2Kg.toFixed(4)} (${r.method}) | ${r.predictedUtc.slice(0, 16)} | ${r.windowStartUtc.slice(5, 16)} – ${r.windowEndUtc.slice(5, 16)} | ${r.truthUtc}${tu} (${r.truthSource}) | ${h(r.remainingTrueS)} | ${h(r.errorS)} | ${(100 * r.errorFraction).toFixed(1)} %${fu} | ${r.inside ? 'yes' : 'no'} |`,
    );
  }
  return rows.join('\n');
}

/** TIP baseline for 66877: each TIP's error over its own remaining time, and whether truth is in its window. */
export function tipTable(dataDir: string, ctx: AstroContext): string {
  const truth = utcInstant(TRUTH_66877, ctx);
  const rows = [
    '| TIP issued (UTC) | predicted decay (UTC) | ± window | remaining h | error h | error / remaining | inside |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const t of tips66877(dataDir)) {
    const msg = utcInstant(t.msgEpochUtc, ctx);
    const dec = utcInstant(t.decayEpochUtc, ctx);
    const rem = truth.secondsSince(msg);
    if (rem <= 0) continue;
    const err = dec.secondsSince(truth);
    rows.push(
      `| ${t.msgEpochUtc.slice(0, 16)} | ${t.decayEpochUtc.slice(0, 16)} | ${Number.isNaN(t.windowMin) ? 'not logged' : `${t.windowMin} min`} | ${h(rem)} | ${h(err)} | ${((100 * err) / rem).toFixed(1)} % | ${Number.isNaN(t.windowMin) ? '–' : Math.abs(err) <= t.windowMin * 60 ? 'yes' : 'no'} |`,
    );
  }
  return rows.join('\n');
}

/** What the GOCE 2009–2012 history allows: its span and the decay of its last weeks. */
export function goceHistoryNote(dataDir: string): string {
  const text = readFileSync(
    join(dataDir, 'history/facchinelli-tleAnalysis/goce_34602_2009-2012.tle'),
    'utf8',
  );
  const sets = setsOf(text).sort((a, b) => a.epoch.jd + a.epoch.jdFrac - (b.epoch.jd + b.epoch.jdFrac));
  const last = sets[sets.length - 1]!;
  const lastT = last.epoch.jd + last.epoch.jdFrac;
  const recent = sets.filter((s) => lastT - (s.epoch.jd + s.epoch.jdFrac) <= 30);
  const aOf = (s: ElementSet): number => Math.cbrt(398600.4418 / (s.meanMotionRadPerMin / 60) ** 2);
  const first = recent[0]!;
  const da = aOf(last) - aOf(first);
  const days = lastT - (first.epoch.jd + first.epoch.jdFrac);
  const reentryJd = 2456607.5 + 16 / 1440;
  return `The GOCE history holds ${sets.length} sets, the last of epoch JD ${lastT.toFixed(3)} (2012-11-30), ${(reentryJd - lastT).toFixed(0)} days before reentry. Over its last ${days.toFixed(0)} days the mean semi-major axis changed by ${(da * 1000).toFixed(0)} m (${((da * 1000) / days).toFixed(0)} m/day). GOCE then flew drag-free, its ion engine cancelling drag, and ESA was lowering its orbit on purpose (from August 2012); its natural decay only began when the xenon ran out (October 2013). This history therefore carries no natural decay: it cannot give a ballistic coefficient, and a prediction from it would be a year early in its data and wrong in its physics. Only the final TLE of 2013-11-10 can be used.`;
}

/** Published impact points (deg) of cases that have one. */
export const PUBLISHED_POINTS: Readonly<Record<string, { latDeg: number; lonDeg: number; source: string }>> =
  {
    '48275': { latDeg: 2.65, lonDeg: 72.47, source: 'USSPACECOM announcement, 2021-05-09' },
  };

/**
 * For a case with a published impact point: the great-circle distance (km) from the track sample
 * at the true time to the point, and the closest approach of the window's track to it.
 */
export function impactCheck(r: ReentryCaseResult, env: ReentryEnvironment): string | undefined {
  const p = r.prediction;
  const pub = p === undefined ? undefined : PUBLISHED_POINTS[p.catalogNumber];
  if (p === undefined || pub === undefined) return undefined;
  const R = 6371;
  const toR = Math.PI / 180;
  const la = pub.latDeg * toR;
  const lo = pub.lonDeg * toR;
  const dist = (a: number, b: number): number =>
    R * Math.acos(Math.min(1, Math.sin(a) * Math.sin(la) + Math.cos(a) * Math.cos(la) * Math.cos(b - lo)));
  const tr = p.groundTrack;
  const dt = utcInstant(r.truthUtc, env.context).secondsSince(p.reentryEpoch);
  let atTruth = 0;
  let bestDt = Number.POSITIVE_INFINITY;
  let closest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < tr.latRad.length; k++) {
    const d = dist(tr.latRad[k]!, tr.lonRad[k]!);
    closest = Math.min(closest, d);
    const e = Math.abs(tr.tFromNominalS[k]! - dt);
    if (e < bestDt) {
      bestDt = e;
      atTruth = d;
    }
  }
  return `${r.name}: published point ${pub.latDeg}°N ${pub.lonDeg}°E (${pub.source}); the predicted track at the true time is ${atTruth.toFixed(0)} km from it (along-track timing), and the window's track passes ${closest.toFixed(0)} km from it (the orbital plane). The along-track 1σ of the prediction is ${p.alongTrackSigmaKm.toFixed(0)} km.`;
}

/**
 * The pair fit on a real history: the ISS over 2003 (facchinelli-tleAnalysis), one 10-day window
 * ending on the first of every other month, pairs at least a day apart. No truth for B exists; the
 * check is stability between windows and plausibility (C_D 2.2 × 600–1,000 m² / ~187 t ≈ 0.007–0.012).
 */
export function issBallisticTable(dataDir: string, env: ReentryEnvironment): string {
  const text = gunzipSync(
    readFileSync(join(dataDir, 'history/facchinelli-tleAnalysis/iss_25544_1998-2004.tle.gz')),
  ).toString('utf8');
  const sets = setsOf(text);
  const jd = (e: ElementSet): number => e.epoch.jd + e.epoch.jdFrac;
  const rows = [
    '| 10 days to | sets | pairs kept | B m²/kg (median) | robust σ (1.4826·MAD) | per pair B (Δa over ≥ 1 day) | warnings |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const end of ['2003-03-01', '2003-05-01', '2003-07-01', '2003-09-01', '2003-11-01', '2004-01-01']) {
    const t = Date.parse(`${end}T00:00:00Z`) / 86400000 + 2440587.5;
    const h = sets.filter((e) => jd(e) <= t && jd(e) > t - 10);
    const est = estimateBallisticCoefficient(h, env, { minSpacingS: 86400 });
    rows.push(
      `| ${end} | ${h.length} | ${est.pairs.length} | ${est.bM2Kg.toFixed(4)} | ${est.spreadM2Kg === undefined ? '–' : est.spreadM2Kg.toFixed(4)} | ${est.pairs.map((p) => `${p.bM2Kg.toFixed(4)} (${(p.observedDaKm * 1000).toFixed(0)} m)`).join(', ')} | ${est.warnings.map((w) => w.code).join(', ') || '–'} |`,
    );
  }
  return rows.join('\n');
}
