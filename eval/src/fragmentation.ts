/**
 * Fragmentation evaluation against published breakups: the origin estimate (epoch, place) of
 * Kosmos 1408 (2021-11-15 ≈ 02:47 UTC) from debris sets of 2–15 days and of 5–8 weeks after, and of
 * Microsat-R (2019-03-27, 05:42–05:46 UTC) from sets of 7–9 days after, each with two baselines
 * (the plain mean distance and the median distance without the along-track slide), then what the
 * years-old Fengyun-1C and Iridium 33 / Cosmos 2251 debris in the catalog extracts still allow.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type AstroContext,
  detectFragmentations,
  type ElementSet,
  earliestSetPerObject,
  fragmentationOrigin,
  geodeticAtLabel,
  loadContext,
  normaliseJulian,
  orbitShape,
  parseElements,
  parseUtcString,
  type UtcJulianDate,
} from '@hoshimi/astro';

function read(data: string, rel: string): string {
  const raw = readFileSync(join(data, rel));
  return rel.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}

function sets(text: string): ElementSet[] {
  const r = parseElements(text);
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.issues[0])}`);
  return r.value.records.map((x) => x.elements);
}

function label(iso: string): UtcJulianDate {
  const t = parseUtcString(iso);
  if (t === undefined) throw new Error(`bad time ${iso}`);
  return t;
}

const seconds = (a: UtcJulianDate, b: UtcJulianDate) => (b.jd - a.jd + (b.jdFrac - a.jdFrac)) * 86400;

export interface OriginCase {
  readonly event: string;
  readonly debris: string;
  readonly truthUtc: string;
  readonly truthNote: string;
  readonly parent: (data: string) => ElementSet;
}

function kosmosParent(data: string): ElementSet {
  const ev = JSON.parse(read(data, 'fragmentation/events.json'));
  const tle = ev.events.find((e: { id: string }) => e.id === 'kosmos1408').last_pre_event_tle;
  return sets(`${tle.line1}\n${tle.line2}\n`)[0]!;
}

function microsatParent(data: string): ElementSet {
  const h = sets(read(data, 'fragmentation/microsat-r/microsat-r_43947_parent_2019-03-10_to_03-26.tle'));
  return h[h.length - 1]!;
}

export const ORIGIN_CASES: readonly OriginCase[] = [
  {
    event: 'Kosmos 1408',
    debris: 'fragmentation/kosmos1408/cosmos1408_debris_2021-11-30_bismurphy.3le.txt',
    truthUtc: '2021-11-15T02:47:00Z',
    truthNote: '≈02:45–02:50',
    parent: kosmosParent,
  },
  {
    event: 'Kosmos 1408',
    debris: 'fragmentation/kosmos1408/cosmos1408_debris_2022-01-10_duela.3le.txt',
    truthUtc: '2021-11-15T02:47:00Z',
    truthNote: '≈02:45–02:50',
    parent: kosmosParent,
  },
  {
    event: 'Microsat-R',
    debris: 'fragmentation/microsat-r/microsat-r_debris_2019-04-04.tle',
    truthUtc: '2019-03-27T05:44:00Z',
    truthNote: '05:42–05:46',
    parent: microsatParent,
  },
];

export function loadEvalContext(data: string): AstroContext {
  const r = loadContext({
    leapSecondsText: read(data, 'earth/Leap_Second.dat'),
    eopText: read(data, 'earth/finals2000A.all.gz'),
    eopFormat: 'finals2000A',
  });
  if (!r.ok) throw new Error('context failed');
  return r.value;
}

export interface OriginRow {
  readonly c: OriginCase;
  readonly fragments: number;
  readonly epochSpan: string;
  readonly epochUtc: string;
  readonly sigmaS: number;
  readonly errorS: number;
  readonly lat: number;
  readonly lon: number;
  readonly alt: number;
  readonly altSigma: number;
  readonly altErrorKm: number;
  readonly dispersionKm: number;
  readonly converged: boolean;
  readonly meanBaselineErrorS: number;
  readonly plainMedianErrorS: number;
  readonly earliestSetErrorS: number;
  readonly dvMedianMS: number;
  readonly seconds: number;
}

export function evaluateOrigin(data: string, ctx: AstroContext, c: OriginCase): OriginRow {
  const parent = c.parent(data);
  const debris = sets(read(data, c.debris));
  const truth = label(c.truthUtc);
  const t0 = performance.now();
  const o = fragmentationOrigin(parent, debris, { context: ctx });
  const s = (performance.now() - t0) / 1000;
  const frags = earliestSetPerObject(debris, parent.catalogNumber);
  let first = frags[0]!.epoch;
  let last = frags[0]!.epoch;
  for (const f of frags) {
    if (f.epoch.jd + f.epoch.jdFrac < first.jd + first.jdFrac) first = f.epoch;
    if (f.epoch.jd + f.epoch.jdFrac > last.jd + last.jdFrac) last = f.epoch;
  }
  const truthAlt = geodeticAtLabel(parent, truth, ctx).altKm;
  return {
    c,
    fragments: o.fragmentsUsed,
    epochSpan: `${(seconds(truth, first) / 86400).toFixed(1)}–${(seconds(truth, last) / 86400).toFixed(1)} d`,
    epochUtc: o.epochUtc,
    sigmaS: o.epochSigmaS,
    errorS: seconds(truth, o.epoch),
    lat: o.place?.latDeg ?? Number.NaN,
    lon: o.place?.lonDeg ?? Number.NaN,
    alt: o.place?.altKm ?? Number.NaN,
    altSigma: o.place?.altSigmaKm ?? Number.NaN,
    altErrorKm: (o.place?.altKm ?? Number.NaN) - truthAlt,
    dispersionKm: o.dispersionKm,
    converged: o.converged,
    meanBaselineErrorS: seconds(truth, label(`${o.meanBaselineEpochUtc}Z`)),
    plainMedianErrorS: seconds(truth, label(`${o.plainMedianEpochUtc}Z`)),
    earliestSetErrorS: seconds(truth, first),
    dvMedianMS: o.dvQuantilesKmS[1] * 1000,
    seconds: s,
  };
}

const fmtS = (s: number) => (Math.abs(s) >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${s.toFixed(0)} s`);

export function originTable(rows: readonly OriginRow[]): string {
  const head =
    '| event | debris sets | fragments | sets after event | estimate (UTC) | 1σ | error vs truth | place (lat, lon, alt) | height error | median distance | baseline: mean distance | baseline: median without slide | naive: earliest set | run |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.c.event} (truth ${r.c.truthNote}) | \`${r.c.debris.split('/').pop()}\` | ${r.fragments} | ${r.epochSpan} | ${r.epochUtc} | ${r.sigmaS.toFixed(1)} s | **${r.errorS.toFixed(0)} s** | ${r.lat.toFixed(2)}°, ${r.lon.toFixed(2)}°, ${r.alt.toFixed(1)} ± ${r.altSigma.toFixed(2)} km | **${r.altErrorKm.toFixed(2)} km** | ${r.dispersionKm.toFixed(1)} km${r.converged ? '' : ' (not converged)'} | ${fmtS(r.meanBaselineErrorS)} | ${fmtS(r.plainMedianErrorS)} | ${fmtS(r.earliestSetErrorS)} | ${r.seconds.toFixed(1)} s |`,
  );
  return [head, ...lines].join('\n');
}

/** Spread of a family of years-old debris: inclination and node (nodes as they are at each set's epoch). */
export interface OldEventRow {
  readonly event: string;
  readonly file: string;
  readonly objects: number;
  readonly inclinationIqrDeg: number;
  readonly raanIqrDeg: number;
  readonly aIqrKm: number;
  /** Node spread that differential J2 drift alone builds from the a spread since the event, degrees. */
  readonly predictedNodeSpreadDeg: number;
  readonly years: number;
  readonly originNote: string;
}

function iqr(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const q = (p: number) => {
    const pos = p * (s.length - 1);
    const i = Math.floor(pos);
    return s[i]! + (pos - i) * ((s[Math.min(i + 1, s.length - 1)] ?? s[i]!) - s[i]!);
  };
  return q(0.75) - q(0.25);
}

/** Circular spread of nodes: 1 − mean resultant length (0 = one node, 1 = uniform). */
function nodeIqrDeg(nodesRad: number[]): number {
  // IQR of nodes unwrapped around their circular mean.
  let c = 0;
  let s = 0;
  for (const n of nodesRad) {
    c += Math.cos(n);
    s += Math.sin(n);
  }
  const mean = Math.atan2(s, c);
  return iqr(
    nodesRad.map((n) => {
      let d = n - mean;
      while (d > Math.PI) d -= 2 * Math.PI;
      while (d <= -Math.PI) d += 2 * Math.PI;
      return (d * 180) / Math.PI;
    }),
  );
}

export function evaluateOldEvents(data: string): OldEventRow[] {
  const rows: OldEventRow[] = [];
  const family = (
    event: string,
    eventUtc: string,
    file: string,
    filter: (e: ElementSet) => boolean,
    note: string,
  ) => {
    const all = sets(read(data, file)).filter(filter);
    // Nodes carried to one epoch (the latest) with each set's J2 rate.
    let last = all[0]!.epoch;
    for (const e of all) if (e.epoch.jd + e.epoch.jdFrac > last.jd + last.jdFrac) last = e.epoch;
    const nodes = all.map((e) => {
      const sh = orbitShape(e);
      return e.raanRad + sh.raanRateRadPerDay * (last.jd - e.epoch.jd + (last.jdFrac - e.epoch.jdFrac));
    });
    // dΩ̇/da ≈ −(7/2)·Ω̇/a (domain §2.2): the spread of Ω̇ over the a spread, times the years since.
    const shapes = all.map((e) => orbitShape(e));
    const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
    const aMed = med(shapes.map((x) => x.aKm));
    const rate = Math.abs(med(shapes.map((x) => x.raanRateRadPerDay))) * (180 / Math.PI);
    const aSpread = iqr(shapes.map((x) => x.aKm));
    const days = seconds(label(eventUtc), last) / 86400;
    rows.push({
      event,
      file,
      predictedNodeSpreadDeg: ((3.5 * rate * aSpread) / aMed) * days,
      years: days / 365.25,
      objects: all.length,
      inclinationIqrDeg: iqr(all.map((e) => (e.inclinationRad * 180) / Math.PI)),
      raanIqrDeg: nodeIqrDeg(nodes),
      aIqrKm: iqr(all.map((e) => orbitShape(e).aKm)),
      originNote: note,
    });
  };
  const debOf = (prefix: string) => (e: ElementSet) => (e.name ?? '').toUpperCase().startsWith(prefix);
  family(
    'Fengyun-1C (2007-01-11)',
    '2007-01-11T22:26:00Z',
    'fragmentation/fengyun1c/fengyun1c_from_catalog_2019-03-19.3le.txt',
    debOf('FENGYUN 1C DEB'),
    'no pre-event parent set in the data',
  );
  family(
    'Iridium 33 (2009-02-10)',
    '2009-02-10T16:56:00Z',
    'fragmentation/iridium33-cosmos2251/iridium33-cosmos2251_from_catalog_2019-03-19.3le.txt',
    debOf('IRIDIUM 33 DEB'),
    '',
  );
  family(
    'Cosmos 2251 (2009-02-10)',
    '2009-02-10T16:56:00Z',
    'fragmentation/iridium33-cosmos2251/iridium33-cosmos2251_from_catalog_2019-03-19.3le.txt',
    debOf('COSMOS 2251 DEB'),
    '',
  );
  return rows;
}

/**
 * The origin method on 10-year-old Iridium 33 debris with Iridium 33's last pre-event set, over a
 * ±1 day window around the known collision (16:55:59.8 UTC): what it returns and how far off.
 */
export function iridiumOriginAttempt(data: string, ctx: AstroContext): string {
  const ev = JSON.parse(read(data, 'fragmentation/events.json'));
  const ir = ev.events.find((e: { id: string }) => e.id === 'iridium33-cosmos2251').parents[0]
    .last_pre_event_tle;
  const parent = sets(`${ir.line1}\n${ir.line2}\n`)[0]!;
  const debris = sets(
    read(data, 'fragmentation/iridium33-cosmos2251/iridium33-cosmos2251_from_catalog_2019-03-19.3le.txt'),
  ).filter((e) => (e.name ?? '').toUpperCase().startsWith('IRIDIUM 33 DEB'));
  const truth = label('2009-02-10T16:55:59.8Z');
  const o = fragmentationOrigin(parent, debris, {
    context: ctx,
    searchStart: normaliseJulian(truth.jd, truth.jdFrac - 1),
    searchEnd: normaliseJulian(truth.jd, truth.jdFrac + 1),
  });
  return (
    `Iridium 33 origin from ${o.fragmentsUsed} debris sets of 2019 (10 years after), window ±1 day around the collision: ` +
    `${o.epochUtc} (error ${fmtS(seconds(truth, o.epoch))}), median closest approach ${o.dispersionKm.toFixed(0)} km, ` +
    `converged: ${o.converged}; revolution candidates' slide IQRs: ${o.revolutionCandidates.map((c) => `${c.tauIqrS.toFixed(0)} s`).join(', ')}.`
  );
}

/** Detection between the 2021-05-29 and 2022-01-22 full catalogs: the groups found. */
export function detectionLines(data: string): string[] {
  const before = sets(read(data, 'catalog/full_catalog_2021-05-29.3le.txt.gz'));
  const after = sets(read(data, 'catalog/full_catalog_2022-01-22.3le.txt.gz'));
  const t0 = performance.now();
  const clusters = detectFragmentations(before, after);
  const s = (performance.now() - t0) / 1000;
  const lines = [
    `Detection, full catalogs 2021-05-29 (${before.length} sets) → 2022-01-22 (${after.length} sets), ${s.toFixed(1)} s: ${clusters.length} groups of ≥ 5 new objects of an older launch.`,
    '',
    '| launch | new objects | named debris | parent | parent evidence | i IQR | node IQR | median along-track Δv (Gabbard) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of clusters.slice(0, 10)) {
    lines.push(
      `| ${c.launch ?? '–'} | ${c.fragmentCount} | ${(c.debrisNamedFraction * 100).toFixed(0)} % | ${c.parent === undefined ? '–' : `${c.parent.catalogNumber} ${c.parent.name?.trim() ?? ''}`} | ${c.parent?.evidence.join('; ') ?? ''} | ${c.inclinationIqrDeg.toFixed(2)}° | ${c.raanIqrDeg.toFixed(2)}° | ${c.dvAlongTrackQuantilesKmS === undefined ? '–' : `${(c.dvAlongTrackQuantilesKmS[1] * 1000).toFixed(0)} m/s`} |`,
    );
  }
  return lines;
}
