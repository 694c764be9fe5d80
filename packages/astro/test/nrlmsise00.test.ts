/**
 * NRLMSISE-00 against the 17 cases of the C test driver test_gtd7 (DOCUMENTATION §7 of
 * D. Brodowski's package), and the coefficient parser's refusals.
 */
import { describe, expect, it } from 'vitest';
import {
  type Nrlmsise00Coefficients,
  type Nrlmsise00Output,
  Nrlmsise00Workspace,
  nrlmsise00,
  parseNrlmsise00Coefficients,
} from '../src/atmosphere/index.js';
import * as K from '../src/atmosphere/nrlmsise00-profiles.js';
import { DEG2RAD } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { codeOf } from './test-support.js';

/**
 * The expected values are printed with 7 significant digits (%E): rounding alone allows a
 * relative difference of 5e-7. 1e-5 leaves room for the few ulps by which a different compiler's
 * exp/pow/cos differ, amplified by the model's exponentials, and still fails on any wrong term.
 */
const PRINTED_REL = 1e-5;
/** cm⁻³ per m⁻³ and g/cm³ per kg/m³: the test cases are printed in the C code's cgs units. */
const M3_TO_CM3 = 1e-6;
const KGM3_TO_GCM3 = 1e-3;

interface Case {
  readonly case: number;
  readonly input: {
    readonly doy: number;
    readonly sec: number;
    readonly alt: number;
    readonly g_lat: number;
    readonly g_long: number;
    readonly lst: number;
    readonly f107A: number;
    readonly f107: number;
    readonly ap: number;
    readonly ap_a: number[] | null;
  };
  readonly switches: number[];
  readonly expected: { readonly d: number[]; readonly t: number[] };
  readonly expected_printed: string[];
}

const coeffText = readRefText('earth/atmosphere/nrlmsise00-coefficients.json');
const cases = (JSON.parse(readRefText('earth/atmosphere/nrlmsise00-test-cases.json')) as { cases: Case[] })
  .cases;

function run(coeffs: Nrlmsise00Coefficients, c: Case, workspace?: Nrlmsise00Workspace): Nrlmsise00Output {
  const i = c.input;
  return nrlmsise00(
    coeffs,
    {
      doy: i.doy,
      utSeconds: i.sec,
      altKm: i.alt,
      latRad: i.g_lat * DEG2RAD,
      lonRad: i.g_long * DEG2RAD,
      lstHours: i.lst,
      f107A: i.f107A,
      f107: i.f107,
      ap: i.ap,
      ...(i.ap_a === null ? {} : { apArray: i.ap_a }),
    },
    c.switches,
    workspace,
  );
}

/** The C output order d[0..8], t[0..1] in the C units (cm⁻³, g/cm³, K). */
function asC(o: Nrlmsise00Output): number[] {
  return [
    o.heM3 * M3_TO_CM3,
    o.oM3 * M3_TO_CM3,
    o.n2M3 * M3_TO_CM3,
    o.o2M3 * M3_TO_CM3,
    o.arM3 * M3_TO_CM3,
    o.massDensityKgM3 * KGM3_TO_GCM3,
    o.hM3 * M3_TO_CM3,
    o.nM3 * M3_TO_CM3,
    o.anomalousOM3 * M3_TO_CM3,
    o.exosphericTemperatureK,
    o.temperatureK,
  ];
}

/** C printf("%E"): 7 significant digits, upper-case E, signed exponent of at least two digits. */
function printfE(x: number): string {
  const [m, e] = x.toExponential(6).split('e') as [string, string];
  const n = Number(e);
  return `${m}E${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

const NAMES = [
  'd0 He',
  'd1 O',
  'd2 N2',
  'd3 O2',
  'd4 Ar',
  'd5 rho',
  'd6 H',
  'd7 N',
  'd8 anomO',
  't0 Tinf',
  't1 T',
];

describe('NRLMSISE-00 test_gtd7 cases', () => {
  const coeffs = parseNrlmsise00Coefficients(coeffText);

  it('holds the 17 cases', () => {
    expect(cases.length).toBe(17);
  });

  it.each(cases.map((c) => [c.case, c] as const))('case %i: every d[] and t[] to 7 digits', (_n, c) => {
    const got = asC(run(coeffs, c));
    const want = [...c.expected.d, ...c.expected.t];
    const bad: string[] = [];
    for (let k = 0; k < want.length; k++) {
      const w = want[k] as number;
      const g = got[k] as number;
      const rel = w === 0 ? Math.abs(g) : Math.abs(g - w) / Math.abs(w);
      if (!(rel <= PRINTED_REL))
        bad.push(`${NAMES[k]}: got ${g.toExponential(6)}, want ${w.toExponential(6)}`);
    }
    expect(bad).toEqual([]);
  });

  it('prints every value exactly as the C driver does (printf %E)', () => {
    const differ: string[] = [];
    for (const c of cases) {
      const got = asC(run(coeffs, c));
      got.forEach((g, k) => {
        const printed = printfE(g);
        if (printed !== c.expected_printed[k])
          differ.push(`case ${c.case} ${NAMES[k]}: ${printed} vs ${c.expected_printed[k]}`);
      });
    }
    expect(differ).toEqual([]);
  });

  it('gives the same results with a reused workspace, in any call order', () => {
    const ws = new Nrlmsise00Workspace();
    for (const c of [...cases, ...[...cases].reverse()]) expect(run(coeffs, c, ws)).toEqual(run(coeffs, c));
  });

  it('reports the worst relative error per output over the 17 cases', () => {
    const worst = new Array<number>(11).fill(0);
    for (const c of cases) {
      const got = asC(run(coeffs, c));
      const want = [...c.expected.d, ...c.expected.t];
      for (let k = 0; k < 11; k++) {
        const w = want[k] as number;
        if (w === 0) continue;
        worst[k] = Math.max(worst[k] as number, Math.abs((got[k] as number) - w) / Math.abs(w));
      }
    }
    console.log(NAMES.map((n, k) => `${n}: ${(worst[k] as number).toExponential(2)}`).join(', '));
    for (const x of worst) expect(x).toBeLessThanOrEqual(PRINTED_REL);
  });
});

describe('NRLMSISE-00 coefficient file checks', () => {
  type Doc = { arrays: Record<string, { shape: number[]; values: unknown[] }> };
  const mutate = (f: (d: Doc) => void): string => {
    const doc = JSON.parse(coeffText) as Doc;
    f(doc);
    return JSON.stringify(doc);
  };
  const detailsOf = (text: string): Record<string, unknown> | undefined => {
    try {
      parseNrlmsise00Coefficients(text);
    } catch (e) {
      return (e as { details?: Record<string, unknown> }).details;
    }
    return undefined;
  };

  it('refuses a truncated array, naming it and the expected count', () => {
    const text = mutate((d) => {
      d.arrays['pd']?.values.pop();
    });
    expect(codeOf(() => parseNrlmsise00Coefficients(text))).toBe('NRLMSISE_COEFFICIENTS');
    expect(detailsOf(text)).toMatchObject({ array: 'pd', expected: '1350 values', found: '1349 values' });
  });

  it('refuses a missing array, a wrong shape, a non-number and text that is not JSON', () => {
    const missing = mutate((d) => {
      delete d.arrays['pavgm'];
    });
    expect(codeOf(() => parseNrlmsise00Coefficients(missing))).toBe('NRLMSISE_COEFFICIENTS');
    expect(detailsOf(missing)).toMatchObject({ array: 'pavgm' });
    const shape = mutate((d) => {
      (d.arrays['pdm'] as { shape: number[] }).shape = [10, 8];
    });
    expect(detailsOf(shape)).toMatchObject({ array: 'pdm', expected: 'shape [8, 10]' });
    const nonNumber = mutate((d) => {
      (d.arrays['ptm'] as { values: unknown[] }).values[3] = '1.0';
    });
    expect(detailsOf(nonNumber)).toMatchObject({ array: 'ptm', index: 3 });
    expect(codeOf(() => parseNrlmsise00Coefficients(coeffText.slice(0, 5000)))).toBe('NRLMSISE_COEFFICIENTS');
    expect(codeOf(() => parseNrlmsise00Coefficients('{"arrays": 3}'))).toBe('NRLMSISE_COEFFICIENTS');
  });

  it('refuses an invalid switch, a missing ap array and a non-finite input', () => {
    const coeffs = parseNrlmsise00Coefficients(coeffText);
    const base = {
      doy: 172,
      utSeconds: 29000,
      altKm: 400,
      latRad: 60 * DEG2RAD,
      lonRad: -70 * DEG2RAD,
      lstHours: 16,
      f107A: 150,
      f107: 150,
      ap: 4,
    };
    const sw = [0, ...new Array<number>(23).fill(1)];
    sw[9] = -1;
    expect(codeOf(() => nrlmsise00(coeffs, base, sw))).toBe('NRLMSISE_INPUT');
    expect(codeOf(() => nrlmsise00(coeffs, base, [0, 1, 3]))).toBe('NRLMSISE_INPUT');
    expect(codeOf(() => nrlmsise00(coeffs, { ...base, altKm: Number.NaN }))).toBe('NRLMSISE_INPUT');
  });
});

describe('NRLMSISE-00 SI output', () => {
  const coeffs = parseNrlmsise00Coefficients(coeffText);
  const base = {
    doy: 172,
    utSeconds: 29000,
    altKm: 400,
    latRad: 60 * DEG2RAD,
    lonRad: -70 * DEG2RAD,
    lstHours: 16,
    f107A: 150,
    f107: 150,
    ap: 4,
  };

  it('gives ~4e-12 kg/m³ at 400 km for moderate activity, and adds anomalous O for drag', () => {
    const o = nrlmsise00(coeffs, base);
    // Case 0 of the driver: 4.074714e-15 g/cm³ = 4.074714e-12 kg/m³.
    expect(o.massDensityKgM3).toBeCloseTo(4.074714e-12, 17);
    // gtd7d adds 16 amu × n(anomalous O): 26672.73 cm⁻³ × 16 × 1.66e-24 g = 7.08e-19 g/cm³.
    const added = (o.dragMassDensityKgM3 - o.massDensityKgM3) / 1e3;
    expect(added / (16 * 1.66e-24 * 26672.73)).toBeCloseTo(1, 5);
  });

  it('defaults to the ap-array mode when an ap array is given (case 15)', () => {
    const o = nrlmsise00(coeffs, { ...base, apArray: [100, 100, 100, 100, 100, 100, 100] });
    expect(o.exosphericTemperatureK).toBeCloseTo(1426.412, 3);
  });

  it('below 72.5 km with switch 15 off, gives a finite result that no earlier call changes', () => {
    const sw = [0, ...new Array<number>(23).fill(1)];
    sw[15] = 0;
    const low = { ...base, altKm: 50 };
    const fresh = nrlmsise00(coeffs, low, sw);
    expect(Number.isFinite(fresh.massDensityKgM3) && fresh.massDensityKgM3 > 0).toBe(true);
    const ws = new Nrlmsise00Workspace();
    nrlmsise00(coeffs, { ...base, altKm: 30, f107: 250 }, undefined, ws);
    expect(nrlmsise00(coeffs, low, sw, ws)).toEqual(fresh);
  });

  it('decreases monotonically with altitude from 0 to 1000 km', () => {
    let prev = Number.POSITIVE_INFINITY;
    for (let h = 0; h <= 1000; h += 5) {
      const rho = nrlmsise00(coeffs, { ...base, altKm: h }).dragMassDensityKgM3;
      expect(rho).toBeLessThan(prev);
      prev = rho;
    }
  });
});

describe('NRLMSISE-00 constants', () => {
  it('equal the code_constants the reference pack read from nrlmsise-00.c', () => {
    const cc = (
      JSON.parse(coeffText) as { code_constants: Record<string, { value?: number; values?: number[] }> }
    ).code_constants;
    const arr = (k: string): number[] => cc[k]?.values ?? [];
    const val = (k: string): number | undefined => cc[k]?.value;
    expect([...K.ZN1]).toEqual(arr('zn1'));
    expect([...K.ZN2]).toEqual(arr('zn2'));
    expect([...K.ZN3]).toEqual(arr('zn3'));
    expect([...K.ALPHA]).toEqual(arr('alpha'));
    expect([...K.ALTL]).toEqual(arr('altl'));
    expect([K.ZMIX, K.DGTR, K.DR, K.SR, K.HR, K.RGAS, K.PSET]).toEqual(
      ['zmix', 'dgtr', 'dr', 'sr', 'hr', 'rgas', 'pset'].map(val),
    );
  });
});
