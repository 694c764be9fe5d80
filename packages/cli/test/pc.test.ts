/** `hoshimi pc` end to end on CARA's real CDMs, against CARA's published Pc2D. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conjunctionToCdm, formatCdmKvn, parseUtcString } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import { DATA, hoshimi } from './harness.js';

/** HST vs DELTA 2 R/B(1): CARA_PcMethod_Test_Conjunctions.csv row 1, Pc2D = 6.114793230828587e-4, HBR 10 m. */
const HST_CDM = join(
  DATA,
  'pc-cases/cara/PcTestCaseCDMs/000020580_conj_000022015_20210315_212955_20210313_065123.cdm',
);
const HST_PC2D = 6.114793230828587e-4;
/** CARA's README: Pc values differ near 1e-8 relative between MATLAB versions (see pc-cara-cdm.test.ts). */
const CARA_REL_TOL = 3e-8;

describe('hoshimi pc', () => {
  it("gives CARA's Pc2D for a real CDM, with the CDM's hard-body radius", () => {
    const r = hoshimi('pc', '--cdm', HST_CDM, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      method: string;
      pc: number;
      hbr_m: number;
      hbr_source: string;
      miss_m: number;
    };
    expect(out.method).toBe('FOSTER-1992');
    expect(out.hbr_m).toBe(10);
    expect(out.hbr_source).toBe('cdm');
    expect(Math.abs(out.pc - HST_PC2D) / HST_PC2D).toBeLessThan(CARA_REL_TOL);
    expect(out.miss_m).toBeGreaterThan(1200);
  });

  it('runs every method, and --hbr-m overrides the CDM', () => {
    const all = JSON.parse(hoshimi('pc', '--cdm', HST_CDM, '--method', 'all', '--json').stdout) as {
      method: string;
      pc: number;
      is_maximum: boolean;
    }[];
    expect(all.map((x) => x.method)).toEqual(['FOSTER-1992', 'CHAN-1997', 'ALFANO-2005-MAX']);
    // Here σx/σz ≈ 160 and the 10 m radius is twice σz: Chan's equivalent-area series is outside
    // its range of validity and comes out at about a third of Foster's exact integral (1.9e-4).
    expect(all[1]!.pc).toBeGreaterThan(1e-4);
    expect(all[1]!.pc).toBeLessThan(all[0]!.pc);
    // The maximum Pc bounds the Pc from above.
    expect(all[2]!.pc).toBeGreaterThanOrEqual(all[0]!.pc);
    expect(all[2]!.is_maximum).toBe(true);
    const big = JSON.parse(hoshimi('pc', '--cdm', HST_CDM, '--hbr-m', '20', '--json').stdout) as {
      pc: number;
    };
    expect(big.pc).toBeGreaterThan(3 * HST_PC2D);
  });

  it('rejects bad input clearly', () => {
    expect(hoshimi('pc').stderr).toContain('--cdm FILE is required');
    expect(hoshimi('pc', '--cdm', HST_CDM, '--method', 'bogus').status).toBe(2);
    expect(hoshimi('pc', '--cdm', HST_CDM, '--hbr-m', '-1').status).toBe(2);
    const missing = hoshimi('pc', '--cdm', join(DATA, 'ccsds/orekit/cdm/CDM-missing-TCA.txt'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('CDM_MISSING_KEY');
  });

  /** HST_CDM with one line changed, written to a temporary file. */
  function variant(line: number, text: string): string {
    const lines = readFileSync(HST_CDM, 'utf8').split('\n');
    lines[line - 1] = text;
    const file = join(mkdtempSync(join(tmpdir(), 'hoshimi-pc-')), 'v.cdm');
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  it('reads declared units, and flags a MISS_DISTANCE that disagrees with the states', () => {
    const declared = hoshimi('pc', '--cdm', variant(8, 'MISS_DISTANCE = 1.275 [km]'), '--json');
    expect(declared.status).toBe(0);
    const a = JSON.parse(declared.stdout) as { cdm_miss_m: number; miss_disagrees: boolean; pc: number };
    expect(a.cdm_miss_m).toBe(1275);
    expect(a.miss_disagrees).toBe(false);
    expect(Math.abs(a.pc - HST_PC2D) / HST_PC2D).toBeLessThan(CARA_REL_TOL);
    // Kilometres with no unit read as metres: 1.275 m against 1,275 m between the states.
    const undeclared = hoshimi('pc', '--cdm', variant(8, 'MISS_DISTANCE = 1.275'), '--json');
    expect(undeclared.status).toBe(0);
    const b = JSON.parse(undeclared.stdout) as { miss_disagrees: boolean; miss_difference_m: number };
    expect(b.miss_disagrees).toBe(true);
    expect(b.miss_difference_m).toBeGreaterThan(1200);
    expect(undeclared.stderr).toContain('disagrees with MISS_DISTANCE 1.275 m');
  });

  it('gives no Pc for a geometry it would misread: a position in metres with no unit', () => {
    const r = hoshimi('pc', '--cdm', variant(54, 'X = 6415116.608408431603'), '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/v\.cdm:54(:\d+)?: \[CDM_IMPLAUSIBLE_VALUE\] key X:/);
  });

  it('gives only the maximum Pc, named ALFANO-MAX-PROBABILITY, for a CDM without covariance', () => {
    const t = (s: string) => parseUtcString(s) as NonNullable<ReturnType<typeof parseUtcString>>;
    const o = { intlDesignator: undefined, name: undefined, elementAgeDays: 1 };
    const cdm = conjunctionToCdm({
      messageId: 'M',
      originator: 'HOSHIMI',
      creationDate: t('2023-10-09T00:00:00'),
      tca: t('2023-10-09T12:00:00.123456'),
      screenStart: t('2023-10-09T00:00:00'),
      screenStop: t('2023-10-10T00:00:00'),
      screenRadiusKm: 5,
      refFrame: 'EME2000',
      missKm: 0.5,
      relativeSpeedKmS: 10,
      missRtnKm: [0.5, 0, 0],
      relVelRtnKmS: [0, 10, 0],
      pc: 1e-4,
      pcMethod: 'ALFANO-2005-MAX',
      hbrKm: 0.02,
      objects: [
        { ...o, catalogNumber: '1', rKm: [7000, 0, 0], vKmS: [0, 7.5, 0] },
        { ...o, catalogNumber: '2', rKm: [7000.5, 0, 0], vKmS: [0, 0, 7.5] },
      ],
    });
    const file = join(mkdtempSync(join(tmpdir(), 'hoshimi-pc-')), 'nocov.cdm');
    writeFileSync(file, formatCdmKvn(cdm));
    const foster = hoshimi('pc', '--cdm', file);
    expect(foster.status).toBe(2);
    expect(foster.stderr).toContain('all zero (no covariance known)');
    const max = hoshimi('pc', '--cdm', file, '--method', 'alfano-max', '--json');
    expect(max.status).toBe(0);
    const m = JSON.parse(max.stdout) as {
      ccsds_method: string;
      covariance_source: string;
      is_maximum: boolean;
      pc: number;
    };
    expect(m).toMatchObject({
      ccsds_method: 'ALFANO-MAX-PROBABILITY',
      covariance_source: 'none',
      is_maximum: true,
    });
    // Isotropic maximum (R/d)²/e with R = 20 m, d = 500 m.
    expect(m.pc).toBeCloseTo((0.02 / 0.5) ** 2 / Math.E, 12);
  });

  it("flags a CDM whose own Pc disagrees with its covariance's (a covariance in other units than declared)", () => {
    const good = JSON.parse(hoshimi('pc', '--cdm', HST_CDM, '--json').stdout) as {
      cdm_pc_disagrees: boolean;
    };
    expect(good.cdm_pc_disagrees).toBe(false);
    // OBJECT2's covariance (lines 122-142) scaled by 100, as if written in dm² under [m**2].
    const lines = readFileSync(HST_CDM, 'utf8').split('\n');
    for (let i = 121; i < 142; i++)
      lines[i] = lines[i]!.replace(/=\s*(\S+)/, (_, v: string) => `= ${Number(v) * 100}`);
    const file = join(mkdtempSync(join(tmpdir(), 'hoshimi-pc-')), 'scaled.cdm');
    writeFileSync(file, lines.join('\n'));
    const r = hoshimi('pc', '--cdm', file, '--json');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { cdm_pc_disagrees: boolean }).cdm_pc_disagrees).toBe(true);
    expect(r.stderr).toContain('disagrees with its COLLISION_PROBABILITY');
  });
});
