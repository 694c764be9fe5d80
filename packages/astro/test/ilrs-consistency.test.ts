/**
 * The three ILRS readers checked against each other on the LAGEOS-2 case: every normal point of
 * 2016-02-13 (the day the SGF prediction covers) is compared with the range computed from the CPF
 * positions and the SINEX station (SLRF2014 position moved by its velocity, plus the UNE
 * eccentricity). The geometry is two-way light time in an Earth-centred frame, with Earth
 * rotation during the flight; polar motion and UT1 do not enter (both ends are in ITRF, rotated
 * about the z axis at the nominal rate over 40 ms). It validates the epochs (seconds of day, UTC,
 * transmit time tag), TOF·c/2 and the station coordinates together. Measured on these passes
 * (2026-12): O − C mean 3.0 m, worst 6.3 m; moving the bounce epoch by 10 ms makes the worst 24 m,
 * so an epoch error of about 5 ms, a wrong time tag (40 ms) or a leap second fails. The two-way
 * range is insensitive to Earth rotation to first order, so that part is a refinement only.
 */
import { describe, expect, it } from 'vitest';
import { itrfToGeodeticArray } from '../src/frames/geodetic.js';
import {
  cpfPositions,
  crdStationNames,
  measurementsFromCrd,
  parseCpf,
  parseCrd,
  parseSinex,
  sinexStations,
} from '../src/ilrs/index.js';
import type { Vec3 } from '../src/math/vec3.js';
import type { Instant } from '../src/time/instant.js';
import { SPEED_OF_LIGHT_KM_S } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { loadLeapSecondDat, unwrap } from './test-support.js';

const leapSeconds = loadLeapSecondDat();
const context = { leapSeconds };
/** Earth rotation rate, rad/s (IERS 2010 nominal). */
const OMEGA_EARTH = 7.292115e-5;
const DAYS_PER_JULIAN_YEAR = 365.25;
/**
 * Observed − computed bound, km: the computed range has no troposphere (2.3–7 m at the elevations
 * of these passes), no centre-of-mass offset (0.25 m) and the CPF is a prediction (metres); 15 m
 * covers those and still catches an epoch error of about 5 ms or a wrong station.
 */
const RANGE_AGREEMENT_KM = 0.015;
/** Lagrange interpolation order for the 300 s CPF table (LAGEOS period 3.8 h: sub-mm). */
const LAGRANGE_POINTS = 10;

function interpolate(epochs: readonly Instant[], pos: readonly Vec3[], t: Instant): Vec3 {
  const t0 = epochs[0];
  if (t0 === undefined) throw new Error('empty CPF');
  const x = t.secondsSince(t0);
  const step = epochs[1]?.secondsSince(t0) ?? 1;
  let start = Math.round(x / step) - LAGRANGE_POINTS / 2;
  start = Math.max(0, Math.min(epochs.length - LAGRANGE_POINTS, start));
  const out: Vec3 = [0, 0, 0];
  for (let i = start; i < start + LAGRANGE_POINTS; i++) {
    let w = 1;
    const ti = (epochs[i] as Instant).secondsSince(t0);
    for (let j = start; j < start + LAGRANGE_POINTS; j++) {
      if (j !== i)
        w *= (x - (epochs[j] as Instant).secondsSince(t0)) / (ti - (epochs[j] as Instant).secondsSince(t0));
    }
    const p = pos[i] as Vec3;
    out[0] += w * p[0];
    out[1] += w * p[1];
    out[2] += w * p[2];
  }
  return out;
}

/** Rotation about z by angle a applied to v (a frame fixed to the Earth seen a time a/ω later). */
function rotZ(v: Vec3, a: number): Vec3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]];
}

const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('CRD normal points against CPF and SINEX geometry (LAGEOS-2, 2016-02-13)', () => {
  const crd = unwrap(parseCrd(readRefText('od/lageos2/lageos2_20160214.npt')));
  const cpf = cpfPositions(unwrap(parseCpf(readRefText('od/lageos2/lageos2_cpf_160213_5441.sgf'))), context);
  const positions = unwrap(parseSinex(readRefText('od/lageos2/SLRF2014_POS+VEL_2030.0_200428.snx')));
  const eccentricities = unwrap(parseSinex(readRefText('od/lageos2/ecc_une.snx')));
  const measurements = measurementsFromCrd(crd, { context });
  const first = cpf.epochs[0] as Instant;
  const last = cpf.epochs[cpf.epochs.length - 1] as Instant;
  const inCpf = measurements.filter(
    (m) => m.epoch.secondsSince(first) >= 0 && m.epoch.secondsSince(last) <= 0,
  );

  it('agrees within the troposphere and prediction error budget', () => {
    expect(inCpf.length).toBeGreaterThan(20);
    const stations = sinexStations(positions, inCpf[0]?.epoch as Instant, {
      context,
      eccentricities,
      names: crdStationNames(crd),
    });
    const residualsM: number[] = [];
    for (const m of inCpf) {
      const st = stations.get(m.station);
      if (st === undefined || st.referenceEpoch === undefined) throw new Error(`no station ${m.station}`);
      const years = m.epoch.secondsSince(st.referenceEpoch) / 86400 / DAYS_PER_JULIAN_YEAR;
      const v = st.velocityKmPerYear ?? [0, 0, 0];
      const ref: Vec3 = [
        st.itrfKm[0] + v[0] * years,
        st.itrfKm[1] + v[1] * years,
        st.itrfKm[2] + v[2] * years,
      ];
      const [lat, lon] = itrfToGeodeticArray(ref, [0, 0, 0]);
      const [u, n, e] = st.eccentricityUneKm ?? [0, 0, 0];
      const up: Vec3 = [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
      const north: Vec3 = [-Math.sin(lat) * Math.cos(lon), -Math.sin(lat) * Math.sin(lon), Math.cos(lat)];
      const east: Vec3 = [-Math.sin(lon), Math.cos(lon), 0];
      const s: Vec3 = [0, 1, 2].map(
        (k) => (ref[k] ?? 0) + u * (up[k] ?? 0) + n * (north[k] ?? 0) + e * (east[k] ?? 0),
      ) as Vec3;
      // Inertial frame aligned with ITRF at the transmit epoch (the time tag of epoch event 2).
      expect(m.timeTag).toBe('transmit');
      let upS = (m.values[0] ?? 0) / SPEED_OF_LIGHT_KM_S;
      let satI: Vec3 = [0, 0, 0];
      for (let k = 0; k < 4; k++) {
        const bounce = m.epoch.plusSeconds(upS);
        satI = rotZ(interpolate(cpf.epochs, cpf.positionsKm, bounce), OMEGA_EARTH * upS);
        upS = dist(satI, s) / SPEED_OF_LIGHT_KM_S;
      }
      let downS = upS;
      for (let k = 0; k < 4; k++)
        downS = dist(satI, rotZ(s, OMEGA_EARTH * (upS + downS))) / SPEED_OF_LIGHT_KM_S;
      const computed = ((upS + downS) * SPEED_OF_LIGHT_KM_S) / 2;
      residualsM.push(((m.values[0] ?? 0) - computed) * 1000);
    }
    const worst = Math.max(...residualsM.map(Math.abs));
    const mean = residualsM.reduce((a, b) => a + b, 0) / residualsM.length;
    console.info(
      `CRD vs CPF+SINEX on 2016-02-13: n=${residualsM.length}, mean ${mean.toFixed(3)} m, worst |O−C| ${worst.toFixed(3)} m`,
    );
    expect(worst).toBeLessThan(RANGE_AGREEMENT_KM * 1000);
    // The troposphere lengthens every observed range: O − C is positive on average.
    expect(mean).toBeGreaterThan(0);
  });
});
