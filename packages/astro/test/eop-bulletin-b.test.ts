/**
 * IERS Bulletin B reader: final values of Bulletin B 337 and 338 (the EOP of Orekit's LAGEOS-2
 * case) read exactly as printed, the merge of the two, agreement with IERS finals2000A over the same
 * days, the malformed cases, and loading the merged table into an AstroContext.
 */
import { describe, expect, it } from 'vitest';
import { loadContext } from '../src/context/astro-context.js';
import { mergeEopTables, parseBulletinBEop } from '../src/eop/bulletin-b.js';
import { parseFinalsEop } from '../src/eop/finals-parser.js';
import { ARCSEC2RAD } from '../src/units/index.js';
import { readRefText } from './reference-data.js';
import { unwrap } from './test-support.js';

const B337 = readRefText('od/lageos2/bulletinb-337.txt');
const B338 = readRefText('od/lageos2/bulletinb-338.txt');
const MAS = ARCSEC2RAD / 1000;
/** Printed to 0.001 mas / 0.0001 ms; conversion to rad/s is exact to float64. */
const PRINTED_TOL = 1e-9;
/**
 * Bulletin B (the IERS C04 combination) against finals2000A (the USNO combination, whose first
 * columns are its own values) on the same 60 days: independent combinations of the same techniques,
 * measured here to differ by ≤ 0.13 mas in the pole, 0.16 mas in dX/dY, 0.075 ms in UT1−UTC and
 * 0.09 ms in LOD (0.075 ms of UT1 is 3.5 cm at the equator). Bounds: 0.5 mas, 0.15 ms, 0.15 ms.
 */
const POLE_MAS = 0.5;
const UT1_MS = 0.15;
const LOD_MS = 0.15;
const NUT_MAS = 0.5;

describe('IERS Bulletin B', () => {
  it('reads the final values of Bulletin 337 as printed, without the preliminary extension', () => {
    const t = unwrap(parseBulletinBEop(B337, { file: 'bulletinb-337.txt' }));
    expect([t.firstMjd, t.lastMjd, t.size]).toEqual([57389, 57419, 31]);
    // 2016 1 2 57389  48.883 257.337 79.6130 -0.201 0.014 ; LOD 1.9280 ms ; dPsi -93.897 dEps -9.455
    const n = t.node(0);
    expect(n.xpRad / MAS).toBeCloseTo(48.883, 9);
    expect(n.ypRad / MAS).toBeCloseTo(257.337, 9);
    expect(Math.abs(n.ut1MinusUtcS - 0.079613)).toBeLessThan(PRINTED_TOL);
    expect(n.dXRad / MAS).toBeCloseTo(-0.201, 9);
    expect(n.dYRad / MAS).toBeCloseTo(0.014, 9);
    expect(Math.abs(n.lodS - 0.001928)).toBeLessThan(PRINTED_TOL);
    expect(n.dPsiRad / MAS).toBeCloseTo(-93.897, 9);
    expect(n.dEpsRad / MAS).toBeCloseTo(-9.455, 9);
    expect(t.nutation).toEqual({ dXdY: true, dPsiDEps: true });
    // Last final row: 2016 2 1 57419 -3.291 299.534 26.2719 -0.120 -0.087.
    const last = t.node(t.size - 1);
    expect(last.xpRad / MAS).toBeCloseTo(-3.291, 9);
    expect(Math.abs(last.ut1MinusUtcS - 0.0262719)).toBeLessThan(PRINTED_TOL);
  });

  it('merges 337 and 338 over the LAGEOS-2 days; the later bulletin wins on a shared day', () => {
    const t337 = unwrap(parseBulletinBEop(B337));
    const t338 = unwrap(parseBulletinBEop(B338));
    const merged = mergeEopTables([t337, t338]);
    console.log(
      `337 finals MJD ${t337.firstMjd}..${t337.lastMjd}, 338 finals ${t338.firstMjd}..${t338.lastMjd}, merged ${merged.firstMjd}..${merged.lastMjd} (${merged.size} days)`,
    );
    expect(merged.firstMjd).toBe(57389);
    expect(merged.lastMjd).toBe(t338.lastMjd);
    // The LAGEOS-2 arc (2016-02-11 .. 02-14, MJD 57429..57432) is inside the final values.
    expect(merged.firstMjd).toBeLessThanOrEqual(57429);
    expect(merged.lastMjd).toBeGreaterThanOrEqual(57433);
    // A bulletin whose day-57400 row differs (x = 99.999 mas) wins when given later, loses earlier.
    const altered = unwrap(
      parseBulletinBEop(B337.replace('2016   1  13   57400   31.083', '2016   1  13   57400   99.999')),
    );
    const i400 = (t: typeof merged) => [...t.mjd].indexOf(57400);
    const later = mergeEopTables([t337, altered]);
    const earlier = mergeEopTables([altered, t337]);
    expect(later.node(i400(later)).xpRad / MAS).toBeCloseTo(99.999, 9);
    expect(earlier.node(i400(earlier)).xpRad / MAS).toBeCloseTo(31.083, 9);
  });

  it('agrees with finals2000A on the same days', () => {
    const merged = mergeEopTables([unwrap(parseBulletinBEop(B337)), unwrap(parseBulletinBEop(B338))]);
    const finals = unwrap(parseFinalsEop(readRefText('earth/finals2000A.all.gz')));
    const worst = { x: 0, y: 0, ut1: 0, lod: 0, dX: 0, dY: 0 };
    for (let i = 0; i < merged.size; i++) {
      const b = merged.node(i);
      const f = finals.interpolate(b.mjd);
      worst.x = Math.max(worst.x, Math.abs(b.xpRad - f.xpRad) / MAS);
      worst.y = Math.max(worst.y, Math.abs(b.ypRad - f.ypRad) / MAS);
      worst.ut1 = Math.max(worst.ut1, Math.abs(b.ut1MinusUtcS - f.ut1MinusUtcS) * 1e3);
      worst.lod = Math.max(worst.lod, Math.abs(b.lodS - f.lodS) * 1e3);
      worst.dX = Math.max(worst.dX, Math.abs(b.dXRad - f.dXRad) / MAS);
      worst.dY = Math.max(worst.dY, Math.abs(b.dYRad - f.dYRad) / MAS);
    }
    const day = merged.interpolate(57431.5);
    const fday = finals.interpolate(57431.5);
    console.log(
      `Bulletin B vs finals2000A over MJD ${merged.firstMjd}..${merged.lastMjd}: max |Δx| ${worst.x.toFixed(3)} mas, |Δy| ${worst.y.toFixed(3)} mas, |ΔUT1| ${worst.ut1.toFixed(4)} ms, |ΔLOD| ${worst.lod.toFixed(4)} ms, |ΔdX| ${worst.dX.toFixed(3)} mas, |ΔdY| ${worst.dY.toFixed(3)} mas; at 2016-02-13T12:00 UT1−UTC B ${(day.ut1MinusUtcS * 1e3).toFixed(4)} ms, finals ${(fday.ut1MinusUtcS * 1e3).toFixed(4)} ms`,
    );
    expect(worst.x).toBeLessThan(POLE_MAS);
    expect(worst.y).toBeLessThan(POLE_MAS);
    expect(worst.ut1).toBeLessThan(UT1_MS);
    expect(worst.lod).toBeLessThan(LOD_MS);
    expect(worst.dX).toBeLessThan(NUT_MAS);
    expect(worst.dY).toBeLessThan(NUT_MAS);
  });

  it('refuses what is not a Bulletin B and reports bad rows with their line', () => {
    const notB = parseBulletinBEop('hello\nworld\n', { file: 'x.txt' });
    expect(notB.ok).toBe(false);
    if (!notB.ok) expect(notB.issues[0]).toMatchObject({ code: 'BULLETIN_B_LAYOUT', file: 'x.txt', line: 1 });
    const old = parseBulletinBEop(' 1 - EARTH ORIENTATION PARAMETERS (IERS evaluation).\n');
    expect(!old.ok && old.issues[0]?.code).toBe('BULLETIN_B_LAYOUT');
    const lines = B337.split('\n');
    const at = lines.findIndex((l) => l.includes('57395'));
    const bad = [...lines];
    bad[at] = (bad[at] as string).replace('39.550', 'corrupt');
    bad[at + 1] = (bad[at + 1] as string).replace('57396', '57397');
    const r = parseBulletinBEop(bad.join('\n'), { file: 'bad.txt' });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.warnings.map((w) => [w.code, w.line])).toEqual([
        ['BULLETIN_B_BAD_LINE', at + 1],
        ['BULLETIN_B_BAD_DATE', at + 2],
      ]);
      expect([...r.value.mjd]).not.toContain(57395);
    }
  });

  it('loads into an AstroContext, as a merged table or as text', () => {
    const leapSecondsText = readRefText('earth/tai-utc.dat');
    const merged = mergeEopTables([unwrap(parseBulletinBEop(B337)), unwrap(parseBulletinBEop(B338))]);
    const ctx = unwrap(
      loadContext({ leapSecondsText, eopTable: merged, afterLeapSecondExpiry: 'hold-last' }),
    );
    expect(ctx.eop).toBe(merged);
    const fromText = unwrap(
      loadContext({ leapSecondsText, eopText: B338, afterLeapSecondExpiry: 'hold-last' }),
    );
    expect(fromText.eop?.source).toBe('IERS Bulletin B');
    const both = loadContext({ leapSecondsText, eopText: B338, eopTable: merged });
    expect(!both.ok && both.issues[0]?.code).toBe('CONTEXT_EOP_TWICE');
  });
});
