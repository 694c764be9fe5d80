/**
 * `saveOrbitDetermination` with an element-set file: the fit's element set and the record are
 * stored in one transaction. A record that fails its checks leaves no element set (and no
 * record); a file that stores no element set leaves no record; a good pair links the record to
 * the set the file stored. Each call is audited as `store.saveOrbitDetermination`.
 */
import { describe, expect, it } from 'vitest';
import { type OrbitDeterminationInput, openSqliteStore } from '../src/index.js';

const ISS_TLE = [
  '1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927',
  '2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537',
].join('\n');

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
    parameters: [],
    propagator: 'sgp4',
    iterations: 5,
    measurements: 95,
    rejected: 0,
    rms: { range: 0.26 },
    inputs: [{ file: 'obs.tdm', sha256: 'a'.repeat(64) }],
    elementSetId: null,
    ...over,
  };
}

const file = (text: string) => ({
  name: 'hoshimi od obs.tdm',
  bytes: Buffer.from(text),
  source: 'hoshimi-od',
});

describe('saveOrbitDetermination with an element-set file', () => {
  it('stores the set and the record together, linked', async () => {
    const store = await openSqliteStore(':memory:');
    const saved = await store.saveOrbitDetermination(od(), { elementSetFile: file(ISS_TLE) });
    const history = await store.history('25544');
    expect(history).toHaveLength(1);
    expect(history[0]?.source).toBe('hoshimi-od');
    expect(saved.elementSetId).toBe(history[0]!.id);
    expect(saved.ingest?.status).toBe('ok');
    expect(await store.orbitDeterminations()).toHaveLength(1);
    // The same set again (a repeated fit): linked to the stored set, no second set.
    const again = await store.saveOrbitDetermination(od(), { elementSetFile: file(ISS_TLE) });
    expect(again.elementSetId).toBe(history[0]!.id);
    expect(await store.history('25544')).toHaveLength(1);
    const audit = (await store.audit.list()).filter((e) => e.action === 'store.saveOrbitDetermination');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ outcome: 'allowed', target: `orbit-determination/${saved.id}` });
    expect(audit[0]?.details).toMatchObject({
      elementSetFile: 'hoshimi od obs.tdm',
      elementSetId: saved.elementSetId,
    });
    await store.close();
  });

  it('a record that fails its checks leaves no element set, and the failure is audited', async () => {
    const store = await openSqliteStore(':memory:');
    const covariance = diag(1e-6, 1e-12);
    covariance[0] = -1;
    await expect(
      store.saveOrbitDetermination(od({ covariance }), { elementSetFile: file(ISS_TLE) }),
    ).rejects.toMatchObject({ code: 'STORE_BAD_ORBIT_DETERMINATION' });
    // A record whose check passes the pre-check but fails inside the transaction: an element-set
    // id given with a file.
    await expect(
      store.saveOrbitDetermination(od({ elementSetId: 1 }), { elementSetFile: file(ISS_TLE) }),
    ).rejects.toMatchObject({ code: 'STORE_BAD_ORBIT_DETERMINATION', details: { key: 'elementSetId' } });
    // The file's element set of another object than the record's: refused inside the transaction.
    await expect(
      store.saveOrbitDetermination(od({ catalogNumber: '5' }), { elementSetFile: file(ISS_TLE) }),
    ).rejects.toMatchObject({ code: 'STORE_BAD_ORBIT_DETERMINATION', details: { key: 'elementSetId' } });
    expect(await store.history('25544')).toEqual([]);
    expect(await store.history('5')).toEqual([]);
    expect(await store.orbitDeterminations()).toEqual([]);
    const audit = (await store.audit.list()).filter((e) => e.action === 'store.saveOrbitDetermination');
    expect(audit.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed']);
    await store.close();
  });

  it('a file that stores no element set stores no record', async () => {
    const store = await openSqliteStore(':memory:');
    await expect(
      store.saveOrbitDetermination(od(), { elementSetFile: file('not an element set\n') }),
    ).rejects.toMatchObject({ code: 'STORE_IMPORT_FAILED' });
    expect(await store.orbitDeterminations()).toEqual([]);
    expect(await store.history('25544')).toEqual([]);
    await store.close();
  });
});
