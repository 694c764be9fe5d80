/** `hoshimi pc` end to end on CARA's real CDMs, against CARA's published Pc2D. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/hoshimi.js');
const DATA = resolve(
  process.env['HOSHIMI_REFERENCE_DATA'] ?? join(import.meta.dirname, '../../../../shared/data'),
);
/** HST vs DELTA 2 R/B(1): CARA_PcMethod_Test_Conjunctions.csv row 1, Pc2D = 6.114793230828587e-4, HBR 10 m. */
const HST_CDM = join(
  DATA,
  'pc-cases/cara/PcTestCaseCDMs/000020580_conj_000022015_20210315_212955_20210313_065123.cdm',
);
const HST_PC2D = 6.114793230828587e-4;
/** CARA's README: Pc values differ near 1e-8 relative between MATLAB versions (see pc-cara-cdm.test.ts). */
const CARA_REL_TOL = 3e-8;

function hoshimi(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

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
});
