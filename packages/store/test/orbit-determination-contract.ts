/**
 * Orbit determinations in the store (schema v16), a contract run against each implementation
 * (orbit-determinations.test.ts: SQLite; postgres-identity-audit.test.ts: PostgreSQL): stored whole
 * or not at all, linked to the element set stored from the fit, marked like any derived product and
 * filtered by the one view condition.
 */
import type { Marking, Reader } from '@hoshimi/astro';
import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../src/catalog-store.js';
import type { OrbitDeterminationInput } from '../src/orbit-determination-store.js';

const ISS_TLE = [
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
].join('\n');

const m = (
  classification: string,
  releasableTo: Marking['releasableTo'],
  originator = 'USSPACECOM',
): Marking => ({
  classification,
  releasableTo,
  originator,
  dataMode: 'REAL',
});

const diag = (p: number, v: number): number[] =>
  Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? (k < 21 ? p : v) : 0));

function od(over: Partial<OrbitDeterminationInput> = {}): OrbitDeterminationInput {
  return {
    catalogNumber: '25544',
    epochUtc: '2008-09-20T12:25:40.104Z',
    frame: 'GCRF',
    positionKm: [4083.9, -993.6, 5243.6],
    velocityKmS: [2.512, 7.259, -0.583],
    covariance: diag(1e-6, 1e-12),
    parameters: [{ name: 'range-bias:YARL', value: 0.0012, sigma: 0.0001 }],
    propagator: 'numerical',
    iterations: 5,
    measurements: 95,
    rejected: 0,
    rms: { range_m: 0.26, stations: { YARL: { range_m: 0.2 } } },
    inputs: [{ file: 'lageos2.npt', sha256: 'a'.repeat(64) }],
    elementSetId: null,
    ...over,
  };
}

export function runOrbitDeterminationContract(name: string, open: () => Promise<CatalogStore>): void {
  describe(`orbit determinations in the store: ${name}`, () => {
    it('stores a fit with its covariance, parameters and statistics, and reads it back', async () => {
      const store = await open();
      const saved = await store.saveOrbitDetermination(od());
      expect(saved.id).toBeGreaterThan(0);
      const [back] = await store.orbitDeterminations({ catalogNumber: '25544' });
      expect(back).toEqual(saved);
      expect(back?.covariance).toEqual(diag(1e-6, 1e-12));
      expect(back?.parameters[0]).toEqual({ name: 'range-bias:YARL', value: 0.0012, sigma: 0.0001 });
      expect(back?.rms).toEqual({ range_m: 0.26, stations: { YARL: { range_m: 0.2 } } });
      expect(await store.getOrbitDetermination(saved.id)).toEqual(saved);
      expect(await store.getOrbitDetermination(saved.id + 1)).toBeNull();
      await store.close();
    });

    it('refuses a record with a wrong value, naming the key, and stores nothing', async () => {
      const store = await open();
      const asym = diag(1e-6, 1e-12);
      asym[1] = 1e-7;
      const cases: [Partial<OrbitDeterminationInput>, string][] = [
        [{ catalogNumber: 'ISS' }, 'catalogNumber'],
        [{ epochUtc: 'yesterday' }, 'epochUtc'],
        [{ frame: 'TEME' as 'GCRF' }, 'frame'],
        [{ positionKm: [1, Number.NaN, 3] }, 'positionKm'],
        [{ covariance: diag(1e-6, 1e-12).slice(0, 21) }, 'covariance'],
        [{ covariance: diag(-1, 1e-12) }, 'covariance[0][0]'],
        [{ covariance: asym }, 'covariance[1][0]'],
        [{ parameters: [{ name: 'cd', value: 2.2, sigma: -1 }] }, 'parameters[0].sigma'],
        [{ measurements: 0 }, 'measurements'],
        [{ inputs: [{ file: 'x', sha256: 'nope' }] }, 'inputs[0].sha256'],
        [{ elementSetId: 999 }, 'elementSetId'],
      ];
      for (const [change, key] of cases) {
        await expect(store.saveOrbitDetermination(od(change))).rejects.toMatchObject({
          code: 'STORE_BAD_ORBIT_DETERMINATION',
          details: { key },
        });
      }
      expect(await store.orbitDeterminations()).toEqual([]);
      await store.close();
    });

    it('links the element set stored from the fit, of the same object only', async () => {
      const store = await open();
      const report = await store.importFile({
        name: 'od.tle',
        bytes: Buffer.from(ISS_TLE),
        source: 'hoshimi-od',
      });
      expect(report.status).toBe('ok');
      const [set] = await store.history('25544');
      expect(set?.source).toBe('hoshimi-od');
      const saved = await store.saveOrbitDetermination(od({ elementSetId: set!.id, propagator: 'sgp4' }));
      expect(saved.elementSetId).toBe(set!.id);
      await expect(
        store.saveOrbitDetermination(od({ catalogNumber: '5', elementSetId: set!.id })),
      ).rejects.toMatchObject({ details: { key: 'elementSetId' } });
      // An uncorrelated candidate has no object.
      const uct = await store.saveOrbitDetermination(od({ catalogNumber: null }));
      expect(uct.catalogNumber).toBeNull();
      await store.close();
    });

    it('takes the most restrictive marking of its inputs and shows it only to its readers', async () => {
      const store = await open();
      const saved = await store.saveOrbitDetermination(
        od({ derivedFrom: [m('CONFIDENTIAL', ['JPN', 'USA']), m('SECRET', ['USA'])] }),
      );
      expect(saved.marking).toMatchObject({ classification: 'SECRET', releasableTo: ['USA'] });
      const usa: Reader = { organisation: 'USSPACECOM', nation: 'USA', clearance: 'SECRET' };
      const jpn: Reader = { organisation: 'JASDF', nation: 'JPN', clearance: 'CONFIDENTIAL' };
      expect(await store.view(usa).orbitDeterminations()).toHaveLength(1);
      expect(await store.view(jpn).orbitDeterminations()).toEqual([]);
      expect(await store.view(jpn).getOrbitDetermination(saved.id)).toBeNull();
      // Written through a view: stamped with the reader's organisation, refused above its clearance.
      const own = await store.view(jpn).saveOrbitDetermination(od({ catalogNumber: '7' }));
      expect(own.marking).toMatchObject({ originator: 'JASDF', releasableTo: ['JPN'] });
      await expect(
        store.view(jpn).saveOrbitDetermination(od({ marking: m('SECRET', 'ALL') })),
      ).rejects.toMatchObject({ code: 'STORE_MARKING_ABOVE_CLEARANCE' });
      await store.close();
    });
  });
}
