/**
 * A force-model description for the numerical propagator: what a user writes in a JSON file
 * (`hoshimi propagate --propagator numerical --force-model FILE`), its validation, a documented
 * default, and the assembly of the ForceModels and integrator options from it.
 *
 * The file format (every key optional; units in the key names, converted here at the edge):
 *
 *   {
 *     "gravity":   { "file": "earth/gravity/EGM96-truncated-21x21", "format": "egm" | "icgem",
 *                    "degree": 20, "order": 20 },
 *     "sun": true, "moon": true,
 *     "relativity": false,   (Schwarzschild term, IERS 2010 Eq. 10.12, with the gravity field's GM)
 *     "drag":      { "cd": 2.2, "area_m2": 1.2, "mass_kg": 100 }        (or "area_to_mass_m2_kg",
 *                  or "ballistic_from_bstar": true; "space_weather_file", "coefficients_file",
 *                  or fixed "activity": { "f107": 150, "f107a": 150, "ap": 15 });  false: no drag
 *     "srp":       { "cr": 1.3, "area_to_mass_m2_kg": 0.02, "shadow": "conical" }   false: no SRP
 *     "integrator": { "rel_tol": 1e-10, "abs_tol_m": 1e-3, "abs_tol_m_s": 1e-6, "max_step_s": 600 }
 *   }
 *
 * File paths are kept as written: the caller (the CLI) resolves and reads them; this module does
 * no I/O. `buildForceModel` takes the parsed gravity field, NRLMSISE-00 coefficients and space
 * weather as resources.
 *
 * Drag from B*: SGP4's B* = ρ0·(C_D·A/m)/2 with ρ0 = 0.15696615 kg/m²/ER (2.461e-5 kg/m³ × one
 * Earth radius in m; Hoots & Roehrich, Spacetrack Report No. 3, and Vallado et al. AIAA 2006-6753),
 * so C_D·A/m = 2·B* / ρ0 in m²/kg with B* in 1/ER. B* is a fitted free parameter that absorbs other
 * errors (it can even be negative): it is an estimate only, and a negative or zero B* turns drag
 * off with a note.
 */

import { type AtmosphereActivity, atmosphericDensity } from '../atmosphere/atmospheric-density.js';
import { Nrlmsise00Workspace } from '../atmosphere/nrlmsise00.js';
import type { Nrlmsise00Coefficients } from '../atmosphere/nrlmsise00-coefficients.js';
import type { SpaceWeatherTable } from '../atmosphere/space-weather.js';
import type { AstroContext } from '../context/astro-context.js';
import { AstroError, type ParseIssue, type ParseResult } from '../errors.js';
import type { GravityField } from '../gravity/gravity-field.js';
import { utcJulianDate } from '../time/utc.js';
import { AtmosphericDrag } from './drag.js';
import type { ForceModel } from './force-model.js';
import { HarmonicGravity } from './harmonic-gravity.js';
import type { NumericalPropagationOptions } from './propagate.js';
import { type ShadowModel, SolarRadiationPressure } from './radiation-pressure.js';
import { Relativity } from './relativity.js';
import { ThirdBodyGravity } from './third-body.js';

/** SGP4's reference density ρ0 = 2.461e-5 kg/m³ × 6378.135e3 m, in kg/m²/ER (Spacetrack Report 3). */
export const SGP4_RHO0_KG_M2_ER = 0.15696615;
/** Above this altitude (km over a 6378.137 km sphere) drag is taken as zero: NRLMSISE-00 reaches ~1000 km, and the density there is below 1e-14 kg/m³. */
export const DRAG_CEILING_ALT_KM = 1500;
const DRAG_CEILING_RADIUS_KM = 6378.137 + DRAG_CEILING_ALT_KM;

/** Gravity part of a force model. */
export interface GravitySpec {
  /** File path as written (resolved by the caller); undefined: the caller's default (EGM96). */
  readonly file: string | undefined;
  readonly format: 'egm' | 'icgem';
  readonly degree: number;
  readonly order: number;
}

/** Ballistic data of the drag force: one of three ways. */
export type DragBallistic =
  | { readonly kind: 'area-to-mass'; readonly areaToMassM2Kg: number }
  | { readonly kind: 'from-bstar' };

export interface DragSpec {
  readonly cd: number;
  readonly ballistic: DragBallistic;
  /** Space-weather file path as written; undefined: the caller's default (CelesTrak SW-All). */
  readonly spaceWeatherFile: string | undefined;
  /** NRLMSISE-00 coefficient file as written; undefined: the caller's default. */
  readonly coefficientsFile: string | undefined;
  /** Fixed activity instead of a space-weather table. */
  readonly activity: AtmosphereActivity | undefined;
}

export interface SrpSpec {
  readonly cr: number;
  readonly areaToMassM2Kg: number;
  readonly shadow: ShadowModel;
}

export interface IntegratorSpec {
  readonly relTol: number;
  readonly absTolKm: number;
  readonly absTolKmS: number;
  /** Largest step, s (undefined: no limit). */
  readonly maxStepS: number | undefined;
}

/** A validated force model (internal units). */
export interface ForceModelSpec {
  readonly gravity: GravitySpec;
  readonly sun: boolean;
  readonly moon: boolean;
  /**
   * The Schwarzschild relativistic correction (numerical/relativity.ts), with the field's GM.
   * Optional so that specs written before it existed stay valid; absent means false.
   */
  readonly relativity?: boolean;
  readonly drag: DragSpec | undefined;
  readonly srp: SrpSpec | undefined;
  readonly integrator: IntegratorSpec;
}

/**
 * The default model: EGM96 20×20, Sun and Moon (analytic series), no relativity (≈ 1e-9 of the
 * central attraction in LEO, it matters for laser-ranging fits, not for catalog work), drag with NRLMSISE-00,
 * C_D = 2.2 and C_D·A/m from the element set's B*, space weather from the default table, no SRP
 * (it needs the object's area-to-mass ratio), relTol 1e-10, absTol 1 mm and 1 µm/s, steps ≤ 600 s.
 */
export const DEFAULT_FORCE_MODEL: ForceModelSpec = {
  gravity: { file: undefined, format: 'egm', degree: 20, order: 20 },
  sun: true,
  moon: true,
  relativity: false,
  drag: {
    cd: 2.2,
    ballistic: { kind: 'from-bstar' },
    spaceWeatherFile: undefined,
    coefficientsFile: undefined,
    activity: undefined,
  },
  srp: undefined,
  integrator: { relTol: 1e-10, absTolKm: 1e-6, absTolKmS: 1e-9, maxStepS: 600 },
};

type Json = unknown;

class SpecFailure extends Error {}

/**
 * Validates a force-model file (JSON text). Every problem is an issue `FORCE_MODEL_INVALID` (or
 * `FORCE_MODEL_JSON` for text that is not JSON) whose `key` is the JSON path (`drag.cd`), with what
 * was expected and what was found. Keys left out take the default model's values; an unknown key is
 * an error (a typo must not silently fall back to a default).
 */
export function parseForceModelSpec(
  jsonText: string,
  options: { readonly file?: string } = {},
): ParseResult<ForceModelSpec> {
  const file = options.file;
  const issues: ParseIssue[] = [];
  const issue = (key: string, message: string, expected: string, found: unknown): void => {
    const base: ParseIssue = {
      code: 'FORCE_MODEL_INVALID',
      message,
      key,
      expected,
      found: typeof found === 'string' ? found : (JSON.stringify(found) ?? String(found)),
    };
    issues.push(file === undefined ? base : { ...base, file });
  };
  let root: Json;
  try {
    root = JSON.parse(jsonText);
  } catch (e) {
    const base: ParseIssue = {
      code: 'FORCE_MODEL_JSON',
      message: `not JSON: ${(e as Error).message}`,
      expected: 'a JSON object',
      found: jsonText.slice(0, 40),
    };
    return { ok: false, issues: [file === undefined ? base : { ...base, file }] };
  }
  const fail = (key: string, message: string, expected: string, found: unknown): never => {
    issue(key, message, expected, found);
    throw new SpecFailure();
  };
  const object = (v: Json, key: string, allowed: readonly string[]): Record<string, Json> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      fail(key, `${key || 'the file'} must be an object`, 'a JSON object', v);
    const o = v as Record<string, Json>;
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k))
        issue(key === '' ? k : `${key}.${k}`, `unknown key ${k}`, `one of ${allowed.join(', ')}`, k);
    }
    return o;
  };
  const num = (
    o: Record<string, Json>,
    key: string,
    path: string,
    fallback: number,
    check: (v: number) => boolean,
    expected: string,
  ): number => {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
      issue(path, `${path} is out of range or not a number`, expected, v);
      return fallback;
    }
    return v;
  };
  const bool = (o: Record<string, Json>, key: string, fallback: boolean): boolean => {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      issue(key, `${key} must be true or false`, 'true or false', v);
      return fallback;
    }
    return v;
  };
  const str = (o: Record<string, Json>, key: string, path: string): string | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      issue(path, `${path} must be a non-empty string`, 'a file path', v);
      return undefined;
    }
    return v;
  };
  const positive = (v: number) => v > 0;
  const D = DEFAULT_FORCE_MODEL;
  try {
    const top = object(root, '', [
      'gravity',
      'sun',
      'moon',
      'relativity',
      'drag',
      'srp',
      'integrator',
      'comment',
    ]);

    let gravity: GravitySpec = D.gravity;
    if (top['gravity'] !== undefined) {
      const g = object(top['gravity'], 'gravity', ['file', 'format', 'degree', 'order']);
      const format = g['format'] ?? 'egm';
      if (format !== 'egm' && format !== 'icgem')
        issue('gravity.format', 'unknown gravity file format', '"egm" or "icgem"', format);
      const isInt = (v: number) => Number.isInteger(v) && v >= 0;
      const degree = num(g, 'degree', 'gravity.degree', D.gravity.degree, isInt, 'an integer ≥ 0');
      const order = num(
        g,
        'order',
        'gravity.order',
        degree,
        (v) => isInt(v) && v <= degree,
        `an integer from 0 to the degree (${degree})`,
      );
      gravity = {
        file: str(g, 'file', 'gravity.file'),
        format: format === 'icgem' ? 'icgem' : 'egm',
        degree,
        order,
      };
    }

    let drag: DragSpec | undefined = D.drag;
    const dragJson = top['drag'];
    if (dragJson === false || dragJson === null) drag = undefined;
    else if (dragJson !== undefined) {
      const d = object(dragJson, 'drag', [
        'cd',
        'area_m2',
        'mass_kg',
        'area_to_mass_m2_kg',
        'ballistic_from_bstar',
        'space_weather_file',
        'coefficients_file',
        'activity',
        'atmosphere',
      ]);
      if (d['atmosphere'] !== undefined && d['atmosphere'] !== 'nrlmsise00')
        issue('drag.atmosphere', 'unknown atmosphere model', '"nrlmsise00"', d['atmosphere']);
      const cd = num(d, 'cd', 'drag.cd', 2.2, positive, 'a positive drag coefficient (≈ 2.2)');
      const ballistic = ballisticOf(d, 'drag', issue, num);
      let activity: AtmosphereActivity | undefined;
      if (d['activity'] !== undefined) {
        const a = object(d['activity'], 'drag.activity', ['f107', 'f107a', 'ap']);
        const need = (k: string) => {
          if (a[k] === undefined)
            issue(`drag.activity.${k}`, `drag.activity.${k} is missing`, 'a number', 'nothing');
        };
        need('f107');
        need('f107a');
        need('ap');
        activity = {
          f107: num(a, 'f107', 'drag.activity.f107', 150, positive, 'F10.7 in sfu (> 0)'),
          f107A: num(a, 'f107a', 'drag.activity.f107a', 150, positive, '81-day mean F10.7 in sfu (> 0)'),
          ap: num(a, 'ap', 'drag.activity.ap', 15, (v) => v >= 0, 'daily Ap (≥ 0)'),
        };
        if (d['space_weather_file'] !== undefined)
          issue(
            'drag.activity',
            'give either drag.activity or drag.space_weather_file',
            'one of them',
            'both',
          );
      }
      drag = {
        cd,
        ballistic: ballistic ?? { kind: 'from-bstar' },
        spaceWeatherFile: str(d, 'space_weather_file', 'drag.space_weather_file'),
        coefficientsFile: str(d, 'coefficients_file', 'drag.coefficients_file'),
        activity,
      };
    }

    let srp: SrpSpec | undefined = D.srp;
    const srpJson = top['srp'];
    if (srpJson === false || srpJson === null) srp = undefined;
    else if (srpJson !== undefined) {
      const s = object(srpJson, 'srp', ['cr', 'area_m2', 'mass_kg', 'area_to_mass_m2_kg', 'shadow']);
      const cr = num(s, 'cr', 'srp.cr', 1.3, positive, 'a positive reflectivity coefficient (1 to 2)');
      const ballistic = ballisticOf(s, 'srp', issue, num);
      if (ballistic === undefined)
        issue(
          'srp',
          'SRP needs the area-to-mass ratio',
          'area_to_mass_m2_kg, or area_m2 and mass_kg',
          'neither',
        );
      const shadow = s['shadow'] ?? 'conical';
      if (shadow !== 'conical' && shadow !== 'cylindrical' && shadow !== 'none')
        issue('srp.shadow', 'unknown shadow model', '"conical", "cylindrical" or "none"', shadow);
      srp = {
        cr,
        areaToMassM2Kg: ballistic?.kind === 'area-to-mass' ? ballistic.areaToMassM2Kg : 0,
        shadow: shadow === 'cylindrical' || shadow === 'none' ? shadow : 'conical',
      };
    }

    let integrator: IntegratorSpec = D.integrator;
    if (top['integrator'] !== undefined) {
      const it = object(top['integrator'], 'integrator', [
        'rel_tol',
        'abs_tol_m',
        'abs_tol_m_s',
        'max_step_s',
      ]);
      const tol = (v: number) => v > 0 && v < 1;
      const maxStep = it['max_step_s'];
      integrator = {
        relTol: num(
          it,
          'rel_tol',
          'integrator.rel_tol',
          D.integrator.relTol,
          tol,
          'a number in (0, 1), e.g. 1e-10',
        ),
        absTolKm:
          num(
            it,
            'abs_tol_m',
            'integrator.abs_tol_m',
            D.integrator.absTolKm * 1e3,
            positive,
            'metres (> 0)',
          ) * 1e-3,
        absTolKmS:
          num(
            it,
            'abs_tol_m_s',
            'integrator.abs_tol_m_s',
            D.integrator.absTolKmS * 1e3,
            positive,
            'm/s (> 0)',
          ) * 1e-3,
        maxStepS:
          maxStep === null
            ? undefined
            : num(
                it,
                'max_step_s',
                'integrator.max_step_s',
                D.integrator.maxStepS ?? 600,
                positive,
                'seconds (> 0)',
              ),
      };
    }

    const spec: ForceModelSpec = {
      gravity,
      sun: bool(top, 'sun', D.sun),
      moon: bool(top, 'moon', D.moon),
      relativity: bool(top, 'relativity', D.relativity ?? false),
      drag,
      srp,
      integrator,
    };
    if (issues.length > 0) return { ok: false, issues };
    return { ok: true, value: spec, warnings: [] };
  } catch (e) {
    if (e instanceof SpecFailure) return { ok: false, issues };
    throw e;
  }
}

type NumReader = (
  o: Record<string, Json>,
  key: string,
  path: string,
  fallback: number,
  check: (v: number) => boolean,
  expected: string,
) => number;

/** The area-to-mass ratio of a drag or SRP block: A/m, or A and m, or (drag) B*. */
function ballisticOf(
  o: Record<string, Json>,
  block: 'drag' | 'srp',
  issue: (key: string, message: string, expected: string, found: unknown) => void,
  num: NumReader,
): DragBallistic | undefined {
  const positive = (v: number) => v > 0;
  const hasAm = o['area_to_mass_m2_kg'] !== undefined;
  const hasA = o['area_m2'] !== undefined;
  const hasM = o['mass_kg'] !== undefined;
  const fromBstar = o['ballistic_from_bstar'];
  if (fromBstar !== undefined && typeof fromBstar !== 'boolean')
    issue(`${block}.ballistic_from_bstar`, 'must be true or false', 'true or false', fromBstar);
  const ways = [hasAm, hasA || hasM, fromBstar === true].filter(Boolean).length;
  if (ways > 1) {
    issue(
      block,
      `${block}: give one of area_to_mass_m2_kg, area_m2 with mass_kg, or ballistic_from_bstar`,
      'exactly one',
      'several',
    );
  }
  if (hasAm)
    return {
      kind: 'area-to-mass',
      areaToMassM2Kg: num(
        o,
        'area_to_mass_m2_kg',
        `${block}.area_to_mass_m2_kg`,
        0.01,
        positive,
        'm²/kg (> 0)',
      ),
    };
  if (hasA || hasM) {
    if (!hasA || !hasM)
      issue(
        block,
        `${block}: area_m2 and mass_kg go together`,
        'both',
        hasA ? 'area_m2 only' : 'mass_kg only',
      );
    const a = num(o, 'area_m2', `${block}.area_m2`, 1, positive, 'm² (> 0)');
    const m = num(o, 'mass_kg', `${block}.mass_kg`, 1, positive, 'kg (> 0)');
    return { kind: 'area-to-mass', areaToMassM2Kg: a / m };
  }
  if (fromBstar === true) {
    if (block === 'srp')
      issue('srp.ballistic_from_bstar', 'B* gives drag only', 'area_to_mass_m2_kg', 'ballistic_from_bstar');
    return { kind: 'from-bstar' };
  }
  return undefined;
}

/** What `buildForceModel` needs besides the spec (already parsed by the caller). */
export interface ForceModelResources {
  /** The gravity field (degree ≥ the spec's). */
  readonly field: GravityField;
  /** Leap seconds and EOP (the field and drag work in ITRF). */
  readonly context: AstroContext;
  /** NRLMSISE-00 coefficients (needed when the spec has drag). */
  readonly msisCoefficients?: Nrlmsise00Coefficients;
  /** Space weather (needed with drag unless the spec gives fixed activity). */
  readonly spaceWeather?: SpaceWeatherTable;
  /** The object's SGP4 B*, 1/ER (needed for drag from B*). */
  readonly bstar?: number;
}

/** Forces and integrator options for `propagateNumerical`, and notes on what was assumed. */
export interface BuiltForceModel {
  readonly forces: ForceModel[];
  readonly options: NumericalPropagationOptions;
  /** One line per force, e.g. "gravity EGM96 20×20", for reports and OEM comments. */
  readonly description: readonly string[];
  /** Things the user should know (e.g. drag turned off for a negative B*). */
  readonly notes: readonly string[];
  /**
   * Filled while the forces run: true once the drag density used predicted space weather (a PRD
   * row or a centred mean reaching past the observed days; see spaceWeatherAt).
   */
  readonly usage: { spaceWeatherPredicted: boolean };
}

/**
 * Assembles the forces of `spec`. Throws AstroError `FORCE_MODEL_RESOURCE` when a resource it needs
 * is missing (naming the key) and the gravity module's `GRAVITY_BAD_DEGREE` when the field is too
 * small for the requested degree.
 */
export function buildForceModel(spec: ForceModelSpec, resources: ForceModelResources): BuiltForceModel {
  const forces: ForceModel[] = [];
  const description: string[] = [];
  const notes: string[] = [];
  const usage = { spaceWeatherPredicted: false };
  const g = spec.gravity;
  if (g.degree > resources.field.degree || g.order > resources.field.order) {
    throw new AstroError(
      'FORCE_MODEL_RESOURCE',
      `gravity.degree/order ${g.degree}×${g.order} exceed the field's ${resources.field.degree}×${resources.field.order}`,
      { key: 'gravity.degree', expected: `≤ ${resources.field.degree}`, found: g.degree },
    );
  }
  forces.push(new HarmonicGravity(resources.field, g.degree, g.order));
  description.push(`gravity ${resources.field.name || 'field'} ${g.degree}x${g.order}`);
  if (spec.sun) forces.push(new ThirdBodyGravity('SUN'));
  if (spec.moon) forces.push(new ThirdBodyGravity('MOON'));
  if (spec.sun || spec.moon)
    description.push(
      `third body ${[spec.sun ? 'Sun' : '', spec.moon ? 'Moon' : ''].filter(Boolean).join(', ')}`,
    );
  if (spec.relativity === true) {
    forces.push(new Relativity(resources.field.muKm3S2));
    description.push(`relativity (Schwarzschild, GM ${resources.field.muKm3S2} km3/s2)`);
  }
  if (spec.drag !== undefined) {
    const d = spec.drag;
    let areaToMass: number | undefined;
    if (d.ballistic.kind === 'area-to-mass') areaToMass = d.ballistic.areaToMassM2Kg;
    else {
      const bstar = resources.bstar;
      if (bstar === undefined) {
        throw new AstroError('FORCE_MODEL_RESOURCE', 'drag.ballistic_from_bstar needs an element set’s B*', {
          key: 'drag.ballistic_from_bstar',
          expected: 'an element set, or drag.area_to_mass_m2_kg',
          found: 'no B*',
        });
      }
      if (bstar > 0) areaToMass = (2 * bstar) / SGP4_RHO0_KG_M2_ER / d.cd;
      else notes.push(`B* = ${bstar} is not positive: drag left out (give drag.area_to_mass_m2_kg)`);
    }
    if (areaToMass !== undefined) {
      const coeffs = resources.msisCoefficients;
      if (coeffs === undefined)
        throw new AstroError('FORCE_MODEL_RESOURCE', 'drag needs the NRLMSISE-00 coefficients', {
          key: 'drag.coefficients_file',
          expected: 'parsed coefficients',
          found: 'none',
        });
      const activity = d.activity ?? resources.spaceWeather;
      if (activity === undefined)
        throw new AstroError('FORCE_MODEL_RESOURCE', 'drag needs space weather or fixed activity', {
          key: 'drag.space_weather_file',
          expected: 'a space-weather table or drag.activity',
          found: 'none',
        });
      const ctx = resources.context;
      const workspace = new Nrlmsise00Workspace();
      forces.push(
        new AtmosphericDrag({
          cd: d.cd,
          areaToMassM2Kg: areaToMass,
          density: (instant, r) => {
            if (r[0] * r[0] + r[1] * r[1] + r[2] * r[2] > DRAG_CEILING_RADIUS_KM * DRAG_CEILING_RADIUS_KM)
              return 0;
            const u = utcJulianDate(instant, ctx);
            const d = atmosphericDensity(coeffs, r, u.jd, u.frac, activity, { workspace });
            if (d.spaceWeather?.predicted === true) usage.spaceWeatherPredicted = true;
            return d.rhoKgM3;
          },
        }),
      );
      description.push(
        `drag NRLMSISE-00 Cd ${d.cd} A/m ${areaToMass.toPrecision(4)} m2/kg${d.ballistic.kind === 'from-bstar' ? ' (from B*)' : ''}${d.activity === undefined ? '' : ` fixed F10.7 ${d.activity.f107} Ap ${d.activity.ap}`}`,
      );
    }
  }
  if (spec.srp !== undefined) {
    forces.push(
      new SolarRadiationPressure({
        cr: spec.srp.cr,
        areaToMassM2Kg: spec.srp.areaToMassM2Kg,
        shadow: spec.srp.shadow,
      }),
    );
    description.push(
      `SRP Cr ${spec.srp.cr} A/m ${spec.srp.areaToMassM2Kg.toPrecision(4)} m2/kg shadow ${spec.srp.shadow}`,
    );
  }
  const it = spec.integrator;
  description.push(
    `DOP853 relTol ${it.relTol} absTol ${it.absTolKm * 1e3} m${it.maxStepS === undefined ? '' : ` maxStep ${it.maxStepS} s`}`,
  );
  return {
    forces,
    options: {
      context: resources.context,
      relTol: it.relTol,
      absTolKm: it.absTolKm,
      absTolKmS: it.absTolKmS,
      ...(it.maxStepS === undefined ? {} : { maxStepS: it.maxStepS }),
    },
    description,
    notes,
    usage,
  };
}
