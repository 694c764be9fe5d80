/**
 * Orekit's 77 encounter-plane test vectors (pc-cases/orekit-2d-encounter-cases.json, transcribed
 * from Orekit's Alfano2005/Chan1997/Laas2015/Patera2005 tests). Inputs are already in principal
 * axes (metres). Chan cases run Chan's series; the other methods' cases run Foster (the exact
 * integral, which those methods approximate), each under Orekit's own absolute tolerance.
 *
 * Two cases are expected to miss their tolerance because the *reference method* is an
 * approximation that differs from the exact integral by more than Orekit's tolerance; both are
 * confirmed by the brute-force integral (see KNOWN_METHOD_ERRORS).
 */
import { describe, expect, it } from 'vitest';
import { pcChanEncounter } from '../src/pc/chan.js';
import { pcFosterEncounter } from '../src/pc/foster.js';
import { bruteForceCirclePc, M_PER_KM, relErr } from './pc-fixtures.js';
import { readRefText } from './reference-data.js';

interface OrekitCase {
  name: string;
  xm: number;
  ym: number;
  sigmaX: number;
  sigmaY: number;
  radius: number;
  expected_Pc: number;
  absTol: number;
}
const data = JSON.parse(readRefText('pc-cases/orekit-2d-encounter-cases.json')) as {
  methods: Record<string, { cases: OrekitCase[] }>;
};

/**
 * Cases whose published value comes from an approximate method that is farther from the exact
 * integral than the test's tolerance: Alfano 2005's erf series on "CDM test case 2" (2.1652e-20
 * against the exact 2.2796e-20, −5%), and Laas 2015 on "Alfano test case 5" (0.044507 against
 * 0.0445099, −6e-5). For these we assert the relative gap instead, with this bound.
 */
const KNOWN_METHOD_ERRORS: Record<string, number> = {
  'Alfano2005/CDM test case 2': 0.06,
  'Laas2015/Alfano test case 5': 1e-4,
};
/** Foster against the brute-force integral (same inputs). */
const BRUTE_FORCE_REL_TOL = 1e-9;

const toKm = (m: number): number => m / M_PER_KM;

describe("Orekit 2-D encounter cases (Chan → Chan's series, others → Foster)", () => {
  const rows: string[] = [];
  let total = 0;
  let passed = 0;
  const worstRel = new Map<string, number>();
  for (const [method, { cases }] of Object.entries(data.methods)) {
    for (const c of cases) {
      const key = `${method}/${c.name}`;
      it(key, () => {
        const enc = {
          xmKm: toKm(c.xm),
          zmKm: toKm(c.ym),
          sigmaXKm: toKm(c.sigmaX),
          sigmaZKm: toKm(c.sigmaY),
        };
        const hbrKm = toKm(c.radius);
        const pc = method === 'Chan1997' ? pcChanEncounter(enc, hbrKm).pc : pcFosterEncounter(enc, hbrKm).pc;
        const absErr = Math.abs(pc - c.expected_Pc);
        const rel = relErr(pc, c.expected_Pc);
        total++;
        const ok = absErr <= c.absTol;
        if (ok) passed++;
        worstRel.set(method, Math.max(worstRel.get(method) ?? 0, ok ? rel : 0));
        rows.push(
          `${ok ? 'pass' : 'MISS'} ${key}: ${pc.toExponential(6)} vs ${c.expected_Pc} (abs ${absErr.toExponential(1)}, tol ${c.absTol})`,
        );
        const known = KNOWN_METHOD_ERRORS[key];
        if (known === undefined) {
          expect(absErr, `${key}: ${pc} vs ${c.expected_Pc}`).toBeLessThanOrEqual(c.absTol);
        } else {
          expect(ok).toBe(false); // still a documented miss; remove the entry if this changes
          expect(rel).toBeLessThan(known);
        }
        if (method !== 'Chan1997') {
          const ref = bruteForceCirclePc(enc.xmKm, enc.zmKm, enc.sigmaXKm, enc.sigmaZKm, hbrKm);
          expect(relErr(pc, ref), `${key} brute force ${ref}`).toBeLessThan(BRUTE_FORCE_REL_TOL);
        }
      });
    }
  }
  it('prints the summary', () => {
    for (const r of rows) console.log(r);
    console.log(`Orekit 2-D cases: ${passed}/${total} within Orekit's absolute tolerance`);
    for (const [m, w] of worstRel)
      console.log(`  ${m}: max relative error among passing cases ${w.toExponential(2)}`);
    expect(total).toBe(77);
    expect(passed).toBe(total - Object.keys(KNOWN_METHOD_ERRORS).length);
  });
});
