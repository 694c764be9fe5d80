/**
 * RPO search: a rendezvous scenario the test builds from a real element set (a chaser phases in
 * from a lower orbit, maneuvers into the target's orbit and shadows it, element sets every 8 h with
 * fit-like noise), and the labels on the real 2023-10-09 catalog (ISS and its visiting vehicles;
 * GEO co-location, servicing vehicles docked to their clients, and the Luch/Olymp parking).
 */
import { describe, expect, it } from 'vitest';
import type { ElementSet, UtcJulianDate } from '../src/elements/element-set.js';
import { parseTleText } from '../src/elements/tle.js';
import { formatUtcIso, normaliseJulian, parseUtcString } from '../src/elements/utc-calendar.js';
import { checkDetectionEvent, detectionEventKey } from '../src/events/detection-event.js';
import { nameFamily, sameFamily } from '../src/rpo/pair-labels.js';
import { rpoDetectionEvents } from '../src/rpo/rpo-events.js';
import {
  type RpoFinding,
  rpoRegime,
  rpoRelativeSeries,
  searchRpo,
  semiMajorAxisKm,
} from '../src/rpo/rpo-search.js';
import { sgp4Init } from '../src/sgp4/propagate.js';
import { gstimeSgp4 } from '../src/sgp4/sgp4.js';
import { readRefText } from './reference-data.js';
import { codeOf, unwrap } from './test-support.js';

const catalog: readonly ElementSet[] = unwrap(
  parseTleText(readRefText('catalog/full_catalog_2023-10-09.3le.txt.gz')),
).records.map((r) => r.elements);
const byNumber = new Map(catalog.map((e) => [e.catalogNumber, e]));
const get = (n: string): ElementSet => {
  const e = byNumber.get(n);
  if (e === undefined) throw new Error(`catalog object ${n} missing`);
  return e;
};
const START = parseUtcString('2023-10-09T00:00:00Z')!;

/** Deterministic normal deviates (mulberry32 + Box–Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uni = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uni() + 1e-12)) * Math.cos(2 * Math.PI * uni());
}

const addDays = (t: UtcJulianDate, d: number) => normaliseJulian(t.jd, t.jdFrac + d);
const days = (a: UtcJulianDate, b: UtcJulianDate) => b.jd - a.jd + (b.jdFrac - a.jdFrac);

describe('RPO scenario: a chaser synchronises with a real target', () => {
  // Target: Sentinel-2A's real set (LEO, 786 km, sun-synchronous).
  const target = get('40697');
  const rec = sgp4Init(target);
  const t0 = target.epoch;
  const maneuverAt = addDays(t0, 1.3);
  const intervalDays = 8 / 24; // one element set every 8 hours
  const noise = gaussian(20231009);
  // Element-set noise (1σ), the size of public LEO fits: ~1.4 km in track, ~70 m cross-track, ~10 m in a.
  const SIGMA_M_RAD = 2e-4;
  const SIGMA_PLANE_RAD = 1e-5;
  const SIGMA_N_REL = 1e-6;
  const PHASE_OFFSET_RAD = 0.002; // ≈ 14 km ahead of the target after the maneuver
  const aT = semiMajorAxisKm(target);
  const nChaserBefore = target.meanMotionRadPerMin * (aT / (aT - 40)) ** 1.5; // 40 km below
  /** A chaser set at `epoch`: before the maneuver in the lower orbit, after it in the target's. */
  const chaserSet = (
    catalogNumber: string,
    epoch: UtcJulianDate,
    after: boolean,
    phase: number,
  ): ElementSet => {
    const dtMin = days(t0, epoch) * 1440;
    const toManeuverMin = days(maneuverAt, epoch) * 1440;
    const n = after ? target.meanMotionRadPerMin : nChaserBefore;
    const drift = after ? 0 : (nChaserBefore - target.meanMotionRadPerMin) * toManeuverMin;
    return {
      catalogNumber,
      name: `CHASER ${catalogNumber}`,
      classification: 'U',
      epoch,
      meanMotionRadPerMin: n * (1 + SIGMA_N_REL * noise()),
      eccentricity: target.eccentricity,
      inclinationRad: target.inclinationRad + SIGMA_PLANE_RAD * noise(),
      raanRad: target.raanRad + rec.nodedot * dtMin + SIGMA_PLANE_RAD * noise(),
      argPerigeeRad: target.argPerigeeRad + rec.argpdot * dtMin,
      meanAnomalyRad: target.meanAnomalyRad + rec.mdot * dtMin + phase + drift + SIGMA_M_RAD * noise(),
      bstar: target.bstar,
      meanMotionDotRevPerDay2: 0,
      meanMotionDdotRevPerDay3: 0,
      ephemerisType: 0,
      elementSetNumber: 999,
      revolutionNumber: 0,
    };
  };
  const chaser: ElementSet[] = [];
  for (let k = -1; k * intervalDays < 3; k++) {
    const epoch = addDays(t0, k * intervalDays + 0.05);
    chaser.push(chaserSet('90001', epoch, days(maneuverAt, epoch) >= 0, PHASE_OFFSET_RAD));
  }
  // Unrelated neighbours: the same plane 15 km higher (drifts through, inside the prefilter) and
  // the target's orbit 40° behind (always far).
  const drifter: ElementSet = {
    ...chaserSet('90002', t0, true, 0.3),
    meanMotionRadPerMin: target.meanMotionRadPerMin * (aT / (aT + 15)) ** 1.5,
    name: 'DRIFTER',
  };
  const trailer: ElementSet = { ...chaserSet('90003', t0, true, (-40 * Math.PI) / 180), name: 'TRAILER' };
  const others = catalog.filter((e) => rpoRegime(e) === 'LEO').slice(0, 300);
  const input = [target, ...chaser, drifter, trailer, ...others];
  const window = { start: t0, days: 3 };
  const maneuvers = [
    {
      catalogNumber: '90001',
      timeUtc: formatUtcIso(maneuverAt),
      windowStartUtc: formatUtcIso(addDays(maneuverAt, -intervalDays)),
      windowEndUtc: formatUtcIso(maneuverAt),
      dvMS: 21,
    },
  ];

  it('finds the pair, starting within one element-set interval of the maneuver, as a rendezvous', () => {
    const res = searchRpo(input, { ...window, maneuvers });
    const scenario = res.findings.filter((f) =>
      ['90001', '90002', '90003', '40697'].some((n) => involves(f, n)),
    );
    expect(scenario).toHaveLength(1);
    const f = scenario[0]!;
    expect(f.target.catalogNumber).toBe('40697');
    expect(f.chaser.catalogNumber).toBe('90001');
    expect(f.kind).toBe('orbit-synchronisation');
    expect(f.alarm).toBe(true);
    expect(Math.abs(days(maneuverAt, f.start))).toBeLessThanOrEqual(intervalDays);
    // It ends at the window's end (the chaser stays), with the range near the phase offset.
    expect(days(f.end, addDays(t0, 3))).toBeLessThan(SAMPLE_DAYS);
    const offsetKm = PHASE_OFFSET_RAD * aT;
    expect(f.meanRangeKm).toBeGreaterThan(offsetKm - 5);
    expect(f.meanRangeKm).toBeLessThan(offsetKm + 5);
    // The chaser is ahead in track: +T in the target's RTN frame, with small R and N.
    expect(f.rtnKm.inTrack.mean).toBeGreaterThan(offsetKm - 5);
    expect(Math.abs(f.rtnKm.radial.mean)).toBeLessThan(2);
    expect(Math.abs(f.rtnKm.crossTrack.mean)).toBeLessThan(2);
    // Metres per second (plane noise 1e-5 rad × 7.5 km/s), not a km/s flyby.
    expect(f.relativeSpeedAtMinKmS).toBeLessThan(0.1);
    expect(f.synodicPeriodDays).toBeGreaterThan(30);
    expect(f.maneuvers.map((m) => m.catalogNumber)).toEqual(['90001']);
    expect(f.labels).toEqual([]);
    // As event records: a rendezvous, and a re-run gives the same keys.
    const ev = rpoDetectionEvents([f], { startUtc: formatUtcIso(t0), days: 3 });
    expect(ev[0]!.type).toBe('rendezvous');
    expect(ev[0]!.objects).toEqual(['40697', '90001']);
    const again = searchRpo(input, { ...window, maneuvers }).findings.filter((g) => involves(g, '90001'));
    expect(rpoDetectionEvents(again, { startUtc: formatUtcIso(t0), days: 3 }).map(detectionEventKey)).toEqual(
      ev.map(detectionEventKey),
    );
  });

  it('without maneuver events it is a persistent proximity alarm with the same start', () => {
    // An object whose only set is after the window is counted, not searched.
    const late: ElementSet = { ...chaserSet('90004', addDays(t0, 5), true, 1), name: 'LATE' };
    const res = searchRpo([...input, late], window);
    expect(res.stats.skippedAfterEnd).toBe(1);
    expect(res.stats.objects).toBe(new Set(input.map((e) => e.catalogNumber)).size - res.stats.skippedOld);
    const f = res.findings.find((g) => involves(g, '90001'))!;
    expect(f.kind).toBe('persistent-proximity');
    expect(f.score).toBeGreaterThanOrEqual(24);
    expect(Math.abs(days(maneuverAt, f.start))).toBeLessThanOrEqual(intervalDays);
    expect(res.findings.some((g) => involves(g, '90002') || involves(g, '90003'))).toBe(false);
    expect(rpoDetectionEvents([f], { startUtc: formatUtcIso(t0), days: 3 })[0]!.type).toBe('proximity');
  });

  it('the relative series (what the chart draws) agrees with the finding over its episode', () => {
    const f = searchRpo(input, window).findings.find((g) => involves(g, '90001'))!;
    const series = rpoRelativeSeries([target], chaser, t0, 3);
    expect(series.timeMin).toHaveLength(3 * 288 + 1);
    const k0 = Math.round((days(t0, f.start) * 1440) / series.stepMin);
    const k1 = Math.round((days(t0, f.end) * 1440) / series.stepMin);
    let sum = 0;
    let sumT = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let k = k0; k <= k1; k++) {
      const r = series.rangeKm[k]!;
      // Range is the norm of the RTN position (RTN is orthonormal).
      expect(Math.hypot(series.radialKm[k]!, series.inTrackKm[k]!, series.crossTrackKm[k]!)).toBeCloseTo(
        r,
        9,
      );
      sum += r;
      sumT += series.inTrackKm[k]!;
      min = Math.min(min, r);
    }
    const n = k1 - k0 + 1;
    // The same samples as the search: identical means; its minimum is refined on a finer grid.
    expect(sum / n).toBeCloseTo(f.meanRangeKm, 6);
    expect(sumT / n).toBeCloseTo(f.rtnKm.inTrack.mean, 6);
    expect(f.minRangeKm).toBeLessThanOrEqual(min + 1e-9);
    expect(codeOf(() => rpoRelativeSeries([target], [], t0, 3))).toBe('RPO_NO_ELEMENTS');
    expect(codeOf(() => rpoRelativeSeries([target], chaser, t0, 0))).toBe('RPO_BAD_WINDOW');
  });

  it('rejects a bad window and a maneuver time that is not ISO UTC', () => {
    expect(codeOf(() => searchRpo(input, { start: t0, days: 0 }))).toBe('RPO_BAD_WINDOW');
    expect(codeOf(() => searchRpo(input, { start: t0, days: 8 }))).toBe('RPO_BAD_WINDOW');
    expect(
      codeOf(() => searchRpo(input, { ...window, maneuvers: [{ ...maneuvers[0]!, timeUtc: 'yesterday' }] })),
    ).toBe('RPO_BAD_MANEUVER');
  });
});

/** One sample step, days (the finding's end is the last sample in proximity). */
const SAMPLE_DAYS = 5 / 1440 + 1e-9;

function involves(f: RpoFinding, n: string): boolean {
  return f.target.catalogNumber === n || f.chaser.catalogNumber === n;
}

describe('RPO labels on the 2023-10-09 catalog', () => {
  it('labels the ISS visiting vehicles and modules attached, not alarms', () => {
    const iss = get('25544');
    const nearIss = catalog.filter(
      (e) =>
        Math.abs(e.inclinationRad - iss.inclinationRad) < 0.01 &&
        Math.abs(semiMajorAxisKm(e) - semiMajorAxisKm(iss)) < 30,
    );
    const res = searchRpo(nearIss, { start: START, days: 1 });
    const withIss = res.findings.filter((f) => involves(f, '25544'));
    const names = withIss
      .map((f) => (f.target.catalogNumber === '25544' ? f.chaser.name : f.target.name))
      .sort();
    // Nauka, the two Progress, Cygnus NG-19, Crew Dragon and Soyuz MS-24 in the snapshot.
    expect(names).toEqual([
      'CYGNUS NG-19',
      'DRAGON ENDURANCE 3',
      'ISS (NAUKA)',
      'PROGRESS MS-23',
      'PROGRESS MS-24',
      'SOYUZ MS-24',
    ]);
    for (const f of withIss) {
      expect(f.labels[0]!.kind).toBe('attached');
      expect(f.alarm).toBe(false);
      expect(f.minRangeKm).toBeLessThan(1);
      expect(f.meanRangeKm).toBeLessThan(3);
    }
    const events = rpoDetectionEvents(withIss, { startUtc: '2023-10-09T00:00:00Z', days: 1 });
    expect(events[0]!.type).toBe('attached');
    // Every record is one the events store accepts: the minimum's time lies inside the episode's
    // window, also for episodes that span the whole search window.
    for (const e of events) {
      const c = checkDetectionEvent(e);
      expect(c.ok ? [] : c.issues).toEqual([]);
    }
  });

  it('GEO: co-located operator clusters, servicing vehicles docked to clients, and the Luch/Olymp parking', () => {
    // The GEO belt from 35°W to 25°E (the four pairs below and their neighbours): mean longitude
    // at epoch = right ascension of the mean position − Greenwich sidereal time.
    const geo = catalog.filter((e) => {
      if (rpoRegime(e) !== 'GEO') return false;
      const ra = e.raanRad + e.argPerigeeRad + e.meanAnomalyRad;
      const lonDeg =
        ((((((ra - gstimeSgp4(e.epoch.jd + e.epoch.jdFrac)) * 180) / Math.PI) % 360) + 540) % 360) - 180;
      return lonDeg > -35 && lonDeg < 25;
    });
    const res = searchRpo(geo, { start: START, days: 3 });
    const pair = (a: string, b: string) => res.findings.find((f) => involves(f, a) && involves(f, b));
    // MEV-1 docked to Intelsat 901 and MEV-2 to Intelsat 1002 since 2020 and 2021.
    for (const [client, mev] of [
      ['26824', '44625'],
      ['28358', '46113'],
    ] as const) {
      const f = pair(client, mev)!;
      expect(f.labels.map((l) => l.kind)).toContain('attached');
      expect(f.alarm).toBe(false);
    }
    // Astra 1KR and 1L share the 19.2°E slot: an operator cluster.
    const astra = pair('29055', '31306')!;
    expect(astra.labels.map((l) => l.kind)).toEqual(['operator-cluster']);
    expect(astra.meanDeltaLongitudeDeg).toBeLessThan(0.1);
    // Luch (Olymp) parked next to Intelsat 37e: no label explains it, an alarm.
    const luch = pair('40258', '42950')!;
    expect(luch.alarm).toBe(true);
    expect(luch.labels).toEqual([]);
    expect(luch.regime).toBe('GEO');
    expect(luch.meanRangeKm).toBeLessThan(50);
    expect(luch.score).toBeGreaterThanOrEqual(24);
  });

  it('reports each minimum inside its episode, also at the edges of the search window', () => {
    // Pairs whose closest sample is the window's first or last: the refinement on a finer grid
    // around it must not step outside the episode (the events store refuses such a record).
    const ids = ['40733', '42740', '57943', '57944', '58021', '58022', '58018', '58019'];
    const start = { jd: 2460227.5, jdFrac: 0 };
    const res = searchRpo(
      ids.map((id) => get(id)),
      { start, days: 3 },
    );
    expect(res.findings.length).toBeGreaterThanOrEqual(3);
    const events = rpoDetectionEvents(res.findings, { startUtc: formatUtcIso(start), days: 3 });
    for (const e of events) {
      const c = checkDetectionEvent(e);
      expect(c.ok ? [] : c.issues).toEqual([]);
    }
  });

  it('name families', () => {
    expect(nameFamily('STARLINK-1234')).toBe('STARLINK');
    expect(nameFamily('HOT BIRD 13E')).toBe('HOT BIRD');
    expect(nameFamily('COSMOS 2251 DEB')).toBeUndefined();
    expect(nameFamily('O3B FM13')).toBe('O3B');
    expect(nameFamily('2023-047B')).toBeUndefined();
    expect(sameFamily(nameFamily('EUTELSAT HOTBIRD 13E'), nameFamily('HOTBIRD 13G'))).toBe(true);
    expect(sameFamily(nameFamily('EUTE 10A'), nameFamily('EUTELSAT 10B'))).toBe(true);
    expect(sameFamily(nameFamily('GALAXY 32'), nameFamily('INTELSAT 40E'))).toBe(false);
  });
});
