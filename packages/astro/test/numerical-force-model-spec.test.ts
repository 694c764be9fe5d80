/**
 * The force-model file: validation names the offending key, defaults fill what is left out, and the
 * assembled forces are the ones described (checked by their accelerations against the forces built
 * by hand, and drag from B* against the SGP4 definition of B*).
 */
import { describe, expect, it } from 'vitest';
import { parseNrlmsise00Coefficients } from '../src/atmosphere/nrlmsise00-coefficients.js';
import { parseCelestrakSpaceWeatherCsv } from '../src/atmosphere/space-weather.js';
import { loadContext } from '../src/context/astro-context.js';
import { makeState } from '../src/frames/state.js';
import { parseEgm } from '../src/gravity/egm-reader.js';
import type { AtmosphericDrag } from '../src/numerical/drag.js';
import {
  buildForceModel,
  DEFAULT_FORCE_MODEL,
  parseForceModelSpec,
  SGP4_RHO0_KG_M2_ER,
} from '../src/numerical/force-model-spec.js';
import { propagateNumerical } from '../src/numerical/propagate.js';
import type { Relativity } from '../src/numerical/relativity.js';
import { instantFromUtcDaySeconds } from '../src/time/utc.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const context = unwrap(
  loadContext({
    leapSecondsText: readRefText('earth/Leap_Second.dat'),
    eopText: readRefText('earth/finals2000A.all.gz'),
    afterLeapSecondExpiry: 'hold-last',
  }),
);
const field = unwrap(parseEgm(readRefText('earth/gravity/EGM96-truncated-21x21'), { name: 'EGM96' }));
const msis = parseNrlmsise00Coefficients(readRefText('earth/atmosphere/nrlmsise00-coefficients.json'));
const sw = unwrap(parseCelestrakSpaceWeatherCsv(readRefText('earth/SW-All_1998-2026.csv.gz')));

function issuesOf(text: string): { code: string; key: string | undefined }[] {
  const r = parseForceModelSpec(text, { file: 'model.json' });
  if (r.ok) return [];
  return r.issues.map((i) => ({ code: i.code, key: i.key }));
}

describe('force-model file', () => {
  it('an empty object is the documented default model', () => {
    const spec = unwrap(parseForceModelSpec('{}'));
    expect(spec).toEqual(DEFAULT_FORCE_MODEL);
    expect(spec.gravity).toMatchObject({ degree: 20, order: 20, format: 'egm' });
  });

  it('reads every key with its unit', () => {
    const spec = unwrap(
      parseForceModelSpec(
        JSON.stringify({
          gravity: { file: 'x.gfc', format: 'icgem', degree: 12, order: 8 },
          sun: false,
          moon: true,
          drag: { cd: 2.0, area_m2: 2, mass_kg: 100, activity: { f107: 120, f107a: 130, ap: 7 } },
          srp: { cr: 1.5, area_to_mass_m2_kg: 0.03, shadow: 'cylindrical' },
          integrator: { rel_tol: 1e-11, abs_tol_m: 0.01, abs_tol_m_s: 1e-5, max_step_s: 120 },
        }),
      ),
    );
    expect(spec.gravity).toEqual({ file: 'x.gfc', format: 'icgem', degree: 12, order: 8 });
    expect([spec.sun, spec.moon]).toEqual([false, true]);
    expect(spec.drag?.ballistic).toEqual({ kind: 'area-to-mass', areaToMassM2Kg: 0.02 });
    expect(spec.drag?.activity).toEqual({ f107: 120, f107A: 130, ap: 7 });
    expect(spec.srp).toEqual({ cr: 1.5, areaToMassM2Kg: 0.03, shadow: 'cylindrical' });
    // Metres at the edge, km inside.
    expect(spec.integrator.absTolKm).toBeCloseTo(1e-5, 18);
    expect(spec.integrator.absTolKmS).toBeCloseTo(1e-8, 20);
    expect(spec.integrator.maxStepS).toBe(120);
    expect(unwrap(parseForceModelSpec('{"drag": false, "srp": null}')).drag).toBeUndefined();
  });

  it.each([
    ['not json', 'FORCE_MODEL_JSON', undefined],
    ['[1]', 'FORCE_MODEL_INVALID', ''],
    ['{"gravty": {}}', 'FORCE_MODEL_INVALID', 'gravty'],
    ['{"gravity": {"degree": 20.5}}', 'FORCE_MODEL_INVALID', 'gravity.degree'],
    ['{"gravity": {"degree": 4, "order": 5}}', 'FORCE_MODEL_INVALID', 'gravity.order'],
    ['{"gravity": {"format": "shm"}}', 'FORCE_MODEL_INVALID', 'gravity.format'],
    ['{"sun": "yes"}', 'FORCE_MODEL_INVALID', 'sun'],
    ['{"drag": {"cd": -1}}', 'FORCE_MODEL_INVALID', 'drag.cd'],
    ['{"drag": {"area_m2": 1}}', 'FORCE_MODEL_INVALID', 'drag'],
    ['{"drag": {"area_to_mass_m2_kg": 0.01, "ballistic_from_bstar": true}}', 'FORCE_MODEL_INVALID', 'drag'],
    ['{"drag": {"activity": {"f107": 100, "ap": 4}}}', 'FORCE_MODEL_INVALID', 'drag.activity.f107a'],
    ['{"drag": {"atmosphere": "jacchia"}}', 'FORCE_MODEL_INVALID', 'drag.atmosphere'],
    ['{"srp": {"cr": 1.3}}', 'FORCE_MODEL_INVALID', 'srp'],
    [
      '{"srp": {"cr": 1.3, "area_to_mass_m2_kg": 0.01, "shadow": "soft"}}',
      'FORCE_MODEL_INVALID',
      'srp.shadow',
    ],
    ['{"relativity": "on"}', 'FORCE_MODEL_INVALID', 'relativity'],
    ['{"integrator": {"rel_tol": 2}}', 'FORCE_MODEL_INVALID', 'integrator.rel_tol'],
    ['{"integrator": {"abs_tol_km": 1}}', 'FORCE_MODEL_INVALID', 'integrator.abs_tol_km'],
  ])('refuses %s with %s at key %s', (text, code, key) => {
    const found = issuesOf(text);
    expect(found[0]?.code).toBe(code);
    expect(found.map((f) => f.key)).toContain(key);
  });

  it('adds relativity with the gravity field’s GM when "relativity": true (default off)', () => {
    expect(DEFAULT_FORCE_MODEL.relativity).toBe(false);
    const spec = unwrap(
      parseForceModelSpec('{"drag": false, "sun": false, "moon": false, "relativity": true}'),
    );
    const built = buildForceModel(spec, { field, context });
    expect(built.forces.map((f) => f.name)).toEqual(['gravity-field', 'relativity']);
    const rel = built.forces[1] as Relativity;
    expect(rel.muKm3S2).toBe(field.muKm3S2);
    expect(built.description.join()).toMatch(/relativity/);
  });

  it('builds the described forces; drag from B* follows B* = ρ0·Cd·(A/m)/2', () => {
    const spec = unwrap(parseForceModelSpec('{"srp": {"cr": 1.3, "area_to_mass_m2_kg": 0.02}}'));
    const bstar = 1e-4;
    const built = buildForceModel(spec, { field, context, msisCoefficients: msis, spaceWeather: sw, bstar });
    expect(built.forces.map((f) => f.name)).toEqual(['gravity-field', 'sun', 'moon', 'drag', 'srp']);
    const drag = built.forces.find((f) => f.name === 'drag') as AtmosphericDrag;
    expect((drag.cd * drag.areaToMassM2Kg * SGP4_RHO0_KG_M2_ER) / 2).toBeCloseTo(bstar, 15);
    expect(built.options).toMatchObject({ relTol: 1e-10, maxStepS: 600 });
    // A negative B* turns drag off, with a note.
    const neg = buildForceModel(spec, {
      field,
      context,
      msisCoefficients: msis,
      spaceWeather: sw,
      bstar: -1e-5,
    });
    expect(neg.forces.some((f) => f.name === 'drag')).toBe(false);
    expect(neg.notes.join()).toMatch(/B\*/);
    // Missing resources name the key.
    let key: unknown;
    try {
      buildForceModel(spec, { field, context, bstar });
    } catch (e) {
      key = (e as { details?: { key?: unknown } }).details?.key;
    }
    expect(key).toBe('drag.coefficients_file');
    expect(() =>
      buildForceModel({ ...spec, gravity: { ...spec.gravity, degree: 30, order: 30 } }, { field, context }),
    ).toThrow(/exceed/);
  });

  it('a LEO day with NRLMSISE-00 drag lowers the semi-major axis at the rate drag implies', () => {
    // 400 km circular, 2015-03-12: the semi-major axis must drop, by tens to hundreds of metres
    // per day for A/m·Cd ≈ 0.022 m²/kg (a = 6778 km, ρ ≈ 3e-12 kg/m³: Δa ≈ 2π·Cd·A/m·ρ·a² per
    // revolution ≈ 19 m per revolution, ~300 m per day).
    const epoch = instantFromUtcDaySeconds(57093, 0, 0, context.leapSeconds);
    const r = 6778.137;
    const vc = Math.sqrt(field.muKm3S2 / r);
    const inc = (51.6 * Math.PI) / 180;
    const state = makeState('GCRF', [r, 0, 0], [0, vc * Math.cos(inc), vc * Math.sin(inc)]);
    const spec = unwrap(parseForceModelSpec('{"drag": {"cd": 2.2, "area_to_mass_m2_kg": 0.01}}'));
    const built = buildForceModel(spec, { field, context, msisCoefficients: msis, spaceWeather: sw });
    const noDrag = buildForceModel({ ...spec, drag: undefined }, { field, context });
    const grid = [86400];
    const smaOf = (s: { rKm: readonly number[]; vKmS: readonly number[] }) => {
      const rn = Math.hypot(...s.rKm);
      const v2 = s.vKmS.reduce((a, b) => a + b * b, 0);
      return 1 / (2 / rn - v2 / field.muKm3S2);
    };
    const withDrag = propagateNumerical({ epoch, state }, built.forces, grid, built.options);
    const without = propagateNumerical({ epoch, state }, noDrag.forces, grid, noDrag.options);
    // Osculating a varies by ~10 km with J2 along the orbit; both runs end at the same phase
    // within a few km, so compare their difference, which is drag's doing.
    const dropKm = smaOf(without.states[0]!) - smaOf(withDrag.states[0]!);
    // Observed space weather all day: no prediction was used. With the days from 2015-03-01 on
    // marked as predictions (PRD), the run says so.
    expect(built.usage.spaceWeatherPredicted).toBe(false);
    const swText = readRefText('earth/SW-All_1998-2026.csv.gz')
      .split('\n')
      .map((l) => (l.slice(0, 10) >= '2015-03-01' ? l.replace(',OBS,', ',PRD,') : l))
      .join('\n');
    const predictedTable = unwrap(parseCelestrakSpaceWeatherCsv(swText));
    const withPredictions = buildForceModel(spec, {
      field,
      context,
      msisCoefficients: msis,
      spaceWeather: predictedTable,
    });
    propagateNumerical({ epoch, state }, withPredictions.forces, [3600], withPredictions.options);
    expect(withPredictions.usage.spaceWeatherPredicted).toBe(true);
    console.log(`NRLMSISE-00 drag, 400 km, 1 day: drag lowers a by ${(dropKm * 1000).toFixed(0)} m`);
    const DRAG_DROP_RANGE_KM = [0.05, 1.5];
    expect(dropKm).toBeGreaterThan(DRAG_DROP_RANGE_KM[0]!);
    expect(dropKm).toBeLessThan(DRAG_DROP_RANGE_KM[1]!);
  });
});
