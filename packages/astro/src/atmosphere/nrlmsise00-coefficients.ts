/**
 * The coefficient tables of NRLMSISE-00 (Picone, Hedin, Drob & Aikin, J. Geophys. Res. 107(A12),
 * 1468, 2002), read from the JSON form of the model's block data (BLOCK DATA GTD7BK of NRL's
 * Fortran, as carried by D. Brodowski's C package `nrlmsise-00_data.c`): an object
 * `{ arrays: { <name>: { shape: number[], values: number[] } } }` whose values are the C arrays
 * flattened row-major (`x[r][c]` is `values[r*C + c]`).
 *
 * This package does no I/O: the caller reads the file and passes its text. Every array the model
 * reads is checked for presence, shape and count, and every value for being a finite number; a
 * failure is AstroError `NRLMSISE_COEFFICIENTS` naming the array, what was expected and what was
 * found. The tables are returned as Float64Arrays, never modified afterwards (the two run-time
 * writes of the C code, `p[99] = 2` in glob7s and the `p[24]` clamp in globe7, are applied where
 * the values are read instead).
 */
import { AstroError } from '../errors.js';

/** The parsed NRLMSISE-00 coefficient tables (C names, row-major flat arrays). */
export interface Nrlmsise00Coefficients {
  /** Exospheric temperature variations, 150. */
  readonly pt: Float64Array;
  /** Rows He, O, N2, TLB, O2, Ar, H, N, hot O; 9 × 150 row views of one buffer. */
  readonly pd: readonly Float64Array[];
  /** S parameter (temperature gradient), 150. */
  readonly ps: Float64Array;
  /** Turbopause and chemistry correction factors, 2 × 25. */
  readonly pdl: readonly Float64Array[];
  /** Lower-thermosphere temperature nodes, 4 × 100. */
  readonly ptl: readonly Float64Array[];
  /** Middle/lower atmosphere temperature nodes and gradients, 10 × 100. */
  readonly pma: readonly Float64Array[];
  /** Lower-boundary scalars, 10. */
  readonly ptm: Float64Array;
  /** Per-species lower-boundary parameters, 8 × 10. */
  readonly pdm: readonly Float64Array[];
  /** Middle-atmosphere averages, 10. */
  readonly pavgm: Float64Array;
}

/** Shape of every array the model reads ([n] or [rows, columns]). */
const SHAPES = {
  pt: [150],
  pd: [9, 150],
  ps: [150],
  pdl: [2, 25],
  ptl: [4, 100],
  pma: [10, 100],
  ptm: [10],
  pdm: [8, 10],
  pavgm: [10],
} as const;

type ArrayName = keyof typeof SHAPES;

function fail(message: string, details: Record<string, unknown>): never {
  throw new AstroError('NRLMSISE_COEFFICIENTS', message, details);
}

function readArray(arrays: Record<string, unknown>, name: ArrayName): Float64Array {
  const expectedShape: readonly number[] = SHAPES[name];
  const count = expectedShape.reduce((a, b) => a * b, 1);
  const entry = arrays[name];
  if (typeof entry !== 'object' || entry === null) {
    fail(`NRLMSISE-00 coefficients: array "${name}" is missing`, {
      array: name,
      expected: `an object with shape [${expectedShape.join(', ')}] and ${count} values`,
      found: entry === undefined ? 'nothing' : typeof entry,
    });
  }
  const { shape, values } = entry as { shape?: unknown; values?: unknown };
  if (
    !Array.isArray(shape) ||
    shape.length !== expectedShape.length ||
    shape.some((s, i) => s !== expectedShape[i])
  ) {
    fail(`NRLMSISE-00 coefficients: array "${name}" has the wrong shape`, {
      array: name,
      expected: `shape [${expectedShape.join(', ')}]`,
      found: JSON.stringify(shape),
    });
  }
  if (!Array.isArray(values) || values.length !== count) {
    fail(`NRLMSISE-00 coefficients: array "${name}" has the wrong number of values`, {
      array: name,
      expected: `${count} values`,
      found: Array.isArray(values) ? `${values.length} values` : typeof values,
    });
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail(`NRLMSISE-00 coefficients: array "${name}" has a value that is not a finite number`, {
        array: name,
        index: i,
        expected: 'a finite number',
        found: JSON.stringify(v),
      });
    }
    out[i] = v;
  }
  return out;
}

function rows(flat: Float64Array, n: number): Float64Array[] {
  const c = flat.length / n;
  const out: Float64Array[] = [];
  for (let r = 0; r < n; r++) out.push(flat.subarray(r * c, (r + 1) * c));
  return out;
}

/**
 * Parses the NRLMSISE-00 coefficient JSON (text). Throws AstroError `NRLMSISE_COEFFICIENTS` when
 * the text is not JSON, has no `arrays` object, or an array the model reads is missing, has the
 * wrong shape or count, or holds a non-finite value. Arrays the model never reads (`sam`) and
 * other keys are ignored.
 */
export function parseNrlmsise00Coefficients(jsonText: string): Nrlmsise00Coefficients {
  let doc: unknown;
  try {
    doc = JSON.parse(jsonText);
  } catch (e) {
    fail('NRLMSISE-00 coefficients: the text is not valid JSON', {
      expected: 'JSON text',
      found: e instanceof Error ? e.message : String(e),
    });
  }
  const arrays = typeof doc === 'object' && doc !== null ? (doc as { arrays?: unknown }).arrays : undefined;
  if (typeof arrays !== 'object' || arrays === null) {
    fail('NRLMSISE-00 coefficients: no "arrays" object', {
      expected: '{ "arrays": { "pt": …, "pd": …, … } }',
      found: typeof arrays,
    });
  }
  const a = arrays as Record<string, unknown>;
  return {
    pt: readArray(a, 'pt'),
    pd: rows(readArray(a, 'pd'), 9),
    ps: readArray(a, 'ps'),
    pdl: rows(readArray(a, 'pdl'), 2),
    ptl: rows(readArray(a, 'ptl'), 4),
    pma: rows(readArray(a, 'pma'), 10),
    ptm: readArray(a, 'ptm'),
    pdm: rows(readArray(a, 'pdm'), 8),
    pavgm: readArray(a, 'pavgm'),
  };
}
