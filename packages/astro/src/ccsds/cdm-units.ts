/**
 * Units a CDM declares (KVN `[unit]`, XML `units="..."`) read as a scale and a dimension, so that a
 * value written in other units than the standard's (CCSDS 508.0-B-1 Tables 3-2..3-4: m, m/s, m**2,
 * d, deg...) is converted instead of read as if it were in the standard's unit.
 *
 * Grammar (the CCSDS unit notation of 508.0-B-1 §6.3.5 and the SI prefixes CDM writers use):
 * factors joined by `*` or `/`, each a base unit with an optional integer power `**n`, parentheses
 * allowed (`m**3/(kg*s)`). Bases: m, km, cm, mm, s, sec, min, h, d, kg, g, deg, rad, W, N and `%`.
 * Anything else is not a unit this reader knows, and the caller refuses the value.
 */

/** Dimension exponents: length, mass, time, angle, percent. */
type Dim = readonly [number, number, number, number, number];

/** A parsed unit: its size in SI base units and its dimension. */
export interface CdmUnit {
  readonly scale: number;
  readonly dim: Dim;
}

const BASES: Readonly<Record<string, CdmUnit>> = {
  m: { scale: 1, dim: [1, 0, 0, 0, 0] },
  km: { scale: 1000, dim: [1, 0, 0, 0, 0] },
  cm: { scale: 0.01, dim: [1, 0, 0, 0, 0] },
  mm: { scale: 0.001, dim: [1, 0, 0, 0, 0] },
  s: { scale: 1, dim: [0, 0, 1, 0, 0] },
  sec: { scale: 1, dim: [0, 0, 1, 0, 0] },
  min: { scale: 60, dim: [0, 0, 1, 0, 0] },
  h: { scale: 3600, dim: [0, 0, 1, 0, 0] },
  d: { scale: 86400, dim: [0, 0, 1, 0, 0] },
  kg: { scale: 1, dim: [0, 1, 0, 0, 0] },
  g: { scale: 0.001, dim: [0, 1, 0, 0, 0] },
  deg: { scale: Math.PI / 180, dim: [0, 0, 0, 1, 0] },
  rad: { scale: 1, dim: [0, 0, 0, 1, 0] },
  W: { scale: 1, dim: [2, 1, -3, 0, 0] },
  N: { scale: 1, dim: [1, 1, -2, 0, 0] },
  '%': { scale: 1, dim: [0, 0, 0, 0, 1] },
};

function combine(a: CdmUnit, b: CdmUnit, power: number): CdmUnit {
  return {
    scale: a.scale * b.scale ** power,
    dim: a.dim.map((x, i) => x + (b.dim[i] as number) * power) as unknown as Dim,
  };
}

const ONE: CdmUnit = { scale: 1, dim: [0, 0, 0, 0, 0] };

/** Parses a CDM unit text; `undefined` when it is not one this reader knows. */
export function parseCdmUnit(text: string): CdmUnit | undefined {
  const s = text.replace(/\s+/g, '');
  if (s === '') return undefined;
  let pos = 0;
  const expr = (): CdmUnit | undefined => {
    let acc = ONE;
    let sign = 1;
    for (;;) {
      const f = factor();
      if (f === undefined) return undefined;
      acc = combine(acc, f, sign);
      const op = s[pos];
      if (op === '*') sign = 1;
      else if (op === '/') sign = -1;
      else return acc;
      pos++;
    }
  };
  const factor = (): CdmUnit | undefined => {
    let base: CdmUnit | undefined;
    if (s[pos] === '(') {
      pos++;
      base = expr();
      if (base === undefined || s[pos] !== ')') return undefined;
      pos++;
    } else {
      const m = /^(km|cm|mm|min|sec|kg|deg|rad|m|s|h|d|g|W|N|%)/.exec(s.slice(pos));
      if (m === null) return undefined;
      base = BASES[m[1] as string];
      pos += (m[1] as string).length;
    }
    const p = /^\*\*([+-]?\d+)/.exec(s.slice(pos));
    if (p !== null) {
      pos += p[0].length;
      return base === undefined ? undefined : combine(ONE, base, Number(p[1]));
    }
    return base;
  };
  const u = expr();
  return u !== undefined && pos === s.length ? u : undefined;
}

/** Whether two units measure the same quantity. */
export function cdmSameDimension(a: CdmUnit, b: CdmUnit): boolean {
  return a.dim.every((x, i) => x === b.dim[i]);
}

/**
 * Whether `declared` is `standard` without its trailing `/s` at the same scale (CARA's sample CDMs
 * label relative velocities `[m]`): a labelling slip, read in the standard unit with a warning.
 */
export function cdmMissingPerSecond(declared: CdmUnit, standard: CdmUnit): boolean {
  return (
    declared.scale === standard.scale &&
    declared.dim.every((x, i) => x === (standard.dim[i] as number) + (i === 2 ? 1 : 0))
  );
}

/**
 * A value's text times a unit ratio. A power-of-ten ratio (m → km, m² → km²) shifts the decimal
 * exponent of the text, so that the result is the double nearest the scaled decimal (what parsing
 * the value written in the standard's unit would give); other ratios multiply.
 */
export function cdmScaleText(text: string, value: number, ratio: number): number {
  if (Math.abs(ratio - 1) <= 1e-12) return value;
  const k = Math.round(Math.log10(ratio));
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m !== null && Math.abs(10 ** k - ratio) <= 1e-12 * ratio) {
    return Number(`${m[1]}e${Number(m[2] ?? 0) + k}`);
  }
  return value * ratio;
}
