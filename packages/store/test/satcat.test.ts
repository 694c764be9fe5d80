/**
 * SATCAT metadata: the readers on CelesTrak's CSV excerpt and Space-Track's full 2025 snapshot
 * (../shared/data/satcat, whose README gives the counts checked here), the import into a real
 * SQLite store (types override the name rule, decay dates count from their date on, owner and type
 * selections), bad rows reported with file, line, key, expectation and finding while the good rows
 * land, and the schema upgrade of a version-3 file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG_SCHEMA_VERSION } from '../src/migrations.js';
import { detectSatcatFormat, parseSatcat } from '../src/satcat.js';
import { migrateSqliteFile, openSqliteStore } from '../src/sqlite-store.js';
import { readRefRaw, refPath } from './reference-data.js';

const CURRENT = 'satcat/spacetrack_satcat_current_2025-03-16.json.gz';
const DECAYED = 'satcat/spacetrack_satcat_decayed_2025-03-16.json.gz';
const EXCERPT = 'satcat/celestrak_satcat_2023-10-25_excerpt.csv';

const dir = mkdtempSync(join(tmpdir(), 'hoshimi-satcat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const freshPath = () => join(dir, `satcat-${++seq}.db`);
const bytes = (text: string) => new TextEncoder().encode(text);

/** A TLE line with its mod-10 checksum (digits, and 1 for each minus sign) in column 69. */
function withChecksum(line: string): string {
  let sum = 0;
  for (const c of line.slice(0, 68)) sum += c === '-' ? 1 : /\d/.test(c) ? Number(c) : 0;
  return `${line.slice(0, 68)}${sum % 10}`;
}

function iss3le(catalogNumber: string, name: string, epochDay: string): string {
  return [
    `0 ${name}`,
    withChecksum(`1 ${catalogNumber}U 98067A   ${epochDay} -.00002182  00000-0 -11606-4 0  2927`),
    withChecksum(`2 ${catalogNumber}  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537`),
  ].join('\n');
}

const ISS_3LE = iss3le('25544', 'ISS (ZARYA)', '08264.51782528');

describe('SATCAT readers', () => {
  it('recognise both formats by content, and not element-set formats', () => {
    const csv = readFileSync(refPath(EXCERPT), 'utf8');
    const json = gunzipSync(readRefRaw(CURRENT)).toString('utf8');
    expect(detectSatcatFormat(csv)).toBe('satcat-csv');
    expect(detectSatcatFormat(json.slice(0, 16_384))).toBe('satcat-json');
    // GP records carry OBJECT_TYPE and NORAD_CAT_ID too, with an EPOCH.
    expect(
      detectSatcatFormat(
        '[{"OBJECT_NAME":"ISS","OBJECT_ID":"1998-067A","EPOCH":"2023-10-09T12:00:00","NORAD_CAT_ID":25544,"OBJECT_TYPE":"PAYLOAD","COUNTRY_CODE":"ISS"}]',
      ),
    ).toBeUndefined();
    expect(
      detectSatcatFormat(
        'OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,NORAD_CAT_ID,OBJECT_TYPE,OWNER,LAUNCH_DATE\n',
      ),
    ).toBeUndefined();
    expect(detectSatcatFormat(ISS_3LE)).toBeUndefined();
    // Either catalog's field names in either container.
    expect(
      detectSatcatFormat(
        '"INTLDES","NORAD_CAT_ID","OBJECT_TYPE","SATNAME","COUNTRY","LAUNCH","SITE","DECAY"\n',
      ),
    ).toBe('satcat-csv');
    expect(
      detectSatcatFormat(
        '[{"OBJECT_NAME":"ISS (ZARYA)","NORAD_CAT_ID":25544,"OBJECT_TYPE":"PAY","OWNER":"ISS","LAUNCH_DATE":"1998-11-20"}]',
      ),
    ).toBe('satcat-json');
  });

  it('read CelesTrak’s CSV excerpt: every row, codes named, RCS classed', () => {
    const csv = readFileSync(refPath(EXCERPT), 'utf8');
    const r = parseSatcat(csv, 'satcat-csv', EXCERPT);
    expect(r.rejected).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.records).toHaveLength(29);
    const iss = r.records.find((x) => x.catalogNumber === '25544');
    expect(iss).toMatchObject({
      objectType: 'PAYLOAD',
      ownerCode: 'ISS',
      ownerName: 'International Space Station',
      launchDate: '1998-11-20',
      launchSiteCode: 'TYMSC',
      decayDate: null,
      rcsSize: 'LARGE',
    });
    const sl1 = r.records.find((x) => x.catalogNumber === '1');
    expect(sl1).toMatchObject({ objectType: 'ROCKET BODY', decayDate: '1957-12-01', ownerCode: 'CIS' });
    // Vanguard 1: RCS 0.1220 m² is MEDIUM in Space-Track's classes.
    expect(r.records.find((x) => x.catalogNumber === '5')).toMatchObject({ rcsM2: 0.122, rcsSize: 'MEDIUM' });
    expect(r.records.find((x) => x.catalogNumber === '57800')).toMatchObject({ ownerCode: 'JPN' });
  });

  it('read Space-Track’s fields in CSV and CelesTrak’s in JSON the same way', () => {
    const stCsv = [
      'INTLDES,NORAD_CAT_ID,OBJECT_TYPE,SATNAME,COUNTRY,LAUNCH,SITE,DECAY,PERIOD,INCLINATION,APOGEE,PERIGEE,COMMENT,COMMENTCODE,RCSVALUE,RCS_SIZE',
      '1998-067A,25544,PAYLOAD,ISS (ZARYA),ISS,1998-11-20,TTMTR,,92.90,51.64,421,412,,,0,LARGE',
      '1982-092A,13552,PAYLOAD,COSMOS 1408,CIS,1982-09-16,PKMTR,2024-10-27,,,,,,,0,LARGE',
    ].join('\r\n');
    const a = parseSatcat(stCsv, 'satcat-csv', 'st.csv');
    expect(a.rejected).toEqual([]);
    expect(
      a.records.map((r) => [r.catalogNumber, r.ownerCode, r.launchSiteName, r.decayDate, r.rcsSize]),
    ).toEqual([
      ['25544', 'ISS', 'Tyuratam Missile and Space Center, Kazakhstan', null, 'LARGE'],
      ['13552', 'CIS', 'Plesetsk Missile and Space Complex, Russia', '2024-10-27', 'LARGE'],
    ]);
    const ctJson = JSON.stringify([
      {
        OBJECT_NAME: 'XRISM',
        OBJECT_ID: '2023-137A',
        NORAD_CAT_ID: 57800,
        OBJECT_TYPE: 'PAY',
        OWNER: 'JPN',
        LAUNCH_DATE: '2023-09-06',
        LAUNCH_SITE: 'TANSC',
        DECAY_DATE: null,
        RCS: null,
      },
    ]);
    const b = parseSatcat(ctJson, 'satcat-json', 'ct.json');
    expect(b.records).toMatchObject([
      {
        catalogNumber: '57800',
        objectType: 'PAYLOAD',
        ownerName: 'Japan',
        launchSiteCode: 'TANSC',
        rcsSize: null,
      },
    ]);
  });

  it('report bad rows with file, line, key, expected and found, and keep the good ones', () => {
    const json = `[
  {"NORAD_CAT_ID":"25544","OBJECT_TYPE":"PAYLOAD","SATNAME":"ISS (ZARYA)","COUNTRY":"ISS","LAUNCH":"1998-11-20","SITE":"TTMTR","DECAY":null,"RCS_SIZE":"LARGE"},
  {"NORAD_CAT_ID":"ABC","OBJECT_TYPE":"PAYLOAD","SATNAME":"X","COUNTRY":"US","LAUNCH":null,"SITE":null,"DECAY":null},
  {"NORAD_CAT_ID":"7","OBJECT_TYPE":"SPACESHIP","SATNAME":"X","COUNTRY":"US","LAUNCH":null,"SITE":null,"DECAY":null},
  {"NORAD_CAT_ID":"8","OBJECT_TYPE":"DEBRIS","SATNAME":"X","COUNTRY":"US",
   "LAUNCH":"2023-02-30","SITE":null,"DECAY":null},
  "not a record",
  {"NORAD_CAT_ID":"9","OBJECT_TYPE":"DEBRIS","SATNAME":"Y DEB","COUNTRY":"XXQ","LAUNCH":"2001-01-01","SITE":"NOWHERE","DECAY":"2002-03-04"}
]`;
    expect(detectSatcatFormat(json)).toBe('satcat-json');
    const r = parseSatcat(json, 'satcat-json', 'bad.json');
    expect(r.records.map((x) => x.catalogNumber)).toEqual(['25544', '9']);
    expect(r.rejected.map((i) => [i.file, i.line, i.key, i.code])).toEqual([
      ['bad.json', 3, 'NORAD_CAT_ID', 'SATCAT_BAD_FIELD'],
      ['bad.json', 4, 'OBJECT_TYPE', 'SATCAT_BAD_FIELD'],
      ['bad.json', 5, 'LAUNCH', 'SATCAT_BAD_FIELD'],
      ['bad.json', 7, undefined, 'SATCAT_BAD_RECORD'],
    ]);
    expect(r.rejected[1]).toMatchObject({
      expected: 'PAYLOAD, ROCKET BODY, DEBRIS or UNKNOWN',
      found: 'SPACESHIP',
    });
    expect(r.rejected[2]).toMatchObject({ expected: 'a date YYYY-MM-DD', found: '2023-02-30' });
    expect(r.warnings.map((i) => [i.line, i.key, i.found, i.code])).toEqual([
      [8, 'COUNTRY', 'XXQ', 'SATCAT_UNKNOWN_CODE'],
      [8, 'SITE', 'NOWHERE', 'SATCAT_UNKNOWN_CODE'],
    ]);

    const csv = [
      'OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE',
      'VANGUARD 1,1958-002B,5,PAY,,US,1958-03-17,AFETR,,132.71,34.25,3829,651,0.1220,,EA,ORB',
      'SHORT ROW,1958-002C,6,PAY',
      'ODD,1958-002D,7,XYZ,,US,1958-03-17,AFETR,,,,,,,,EA,ORB',
      'BAD RCS,1958-002E,8,DEB,,US,1958-03-17,AFETR,,,,,,big,,EA,ORB',
      '"QUOTED, NAME",1958-002F,11,DEB,,US,1958-03-17,AFETR,1960-01-02,,,,,,,EA,ORB',
      '',
    ].join('\n');
    const c = parseSatcat(csv, 'satcat-csv', 'bad.csv');
    expect(c.records.map((x) => [x.catalogNumber, x.name])).toEqual([
      ['5', 'VANGUARD 1'],
      ['11', 'QUOTED, NAME'],
    ]);
    expect(c.rejected.map((i) => [i.file, i.line, i.key, i.code])).toEqual([
      ['bad.csv', 3, undefined, 'SATCAT_BAD_RECORD'],
      ['bad.csv', 4, 'OBJECT_TYPE', 'SATCAT_BAD_FIELD'],
      ['bad.csv', 5, 'RCS', 'SATCAT_BAD_FIELD'],
    ]);
  });
});

describe('SATCAT import', () => {
  it('imports the full Space-Track snapshot: counts, owners, the ISS a payload, codes without a name reported', async () => {
    const store = await openSqliteStore(freshPath());
    const current = await store.importFile({ name: CURRENT, bytes: readRefRaw(CURRENT) });
    const decayed = await store.importFile({ name: DECAYED, bytes: readRefRaw(DECAYED) });
    expect(current).toMatchObject({ status: 'ok', format: 'satcat-json', read: 30_142, newObjects: 30_142 });
    expect(decayed).toMatchObject({ status: 'ok', format: 'satcat-json', read: 32_966, newObjects: 32_966 });
    expect(current.source).toBe('spacetrack');
    // JOR, KWT, SVK, PRI and UGA have no CelesTrak code (the README's table): kept, without a name.
    const unnamed = [...current.warnings, ...decayed.warnings].map((w) => w.found).sort();
    expect(unnamed).toEqual(['JOR', 'KWT', 'KWT', 'PRI', 'SVK', 'UGA']);
    expect((await store.selectObjects({ owners: ['JPN'] })).catalogNumbers).toHaveLength(862);
    expect((await store.selectObjects({ owners: ['us'] })).catalogNumbers).toHaveLength(23_290);
    // TWN is CelesTrak's ROC: either code selects the same objects.
    const twn = await store.selectObjects({ owners: ['TWN'] });
    expect(twn.catalogNumbers.length).toBeGreaterThan(0);
    expect((await store.selectObjects({ owners: ['ROC'] })).catalogNumbers).toEqual(twn.catalogNumbers);
    const payloads = await store.selectObjects({ types: ['PAYLOAD'] });
    expect(payloads).toEqual({
      catalogNumbers: expect.any(Array),
      objectTypes: expect.any(Array),
      decayDates: expect.any(Array),
      ownerCodes: expect.any(Array),
      byNameRule: 0,
    });
    expect(new Set(payloads.objectTypes)).toEqual(new Set(['PAYLOAD']));
    expect(payloads.catalogNumbers).toHaveLength(19_957);
    const iss = await store.getObject('25544', '2023-10-09T00:00:00Z');
    expect(iss?.object).toMatchObject({
      objectType: 'PAYLOAD',
      typeSource: 'satcat',
      ownerCode: 'ISS',
      ownerName: 'International Space Station',
      launchDate: '1998-11-20',
      launchSiteCode: 'TTMTR',
      launchSiteName: 'Tyuratam Missile and Space Center, Kazakhstan',
      rcsSize: 'LARGE',
      rcsM2: null,
      satcatSource: 'spacetrack',
      satcatIngestId: current.ingestId,
    });
    // The same content again adds nothing.
    expect((await store.importFile({ name: 'again', bytes: readRefRaw(CURRENT) })).alreadyImportedAs).toBe(
      current.ingestId,
    );
    const log = await store.ingestLog(5);
    expect(log.map((l) => l.format)).toEqual(['satcat-json', 'satcat-json']);
    await store.close();
  });

  it('counts a decay only from its date on', async () => {
    const store = await openSqliteStore(freshPath());
    await store.importFile({ name: DECAYED, bytes: readRefRaw(DECAYED) });
    // COSMOS 1408: decayed 2024-10-27 (Space-Track).
    const before = await store.getObject('13552', '2024-10-26T23:59:59.999999Z');
    expect(before?.object.decayDate).toBe('2024-10-27');
    expect(before?.decayed).toBe(false);
    const on = await store.getObject('13552', '2024-10-27T00:00:00Z');
    expect(on?.decayed).toBe(true);
    expect(on?.decayReason).toBe('decay date 2024-10-27');
    await store.close();
  });

  it('SATCAT types override the name rule, before and after later element sets', async () => {
    const store = await openSqliteStore(freshPath());
    await store.importFile({ name: 'iss.3le', bytes: bytes(ISS_3LE) });
    await store.importFile({
      name: 'other.3le',
      bytes: bytes(iss3le('25545', 'SOMESAT', '08264.51782528')),
    });
    expect((await store.getObject('25544'))?.object.objectType).toBe('UNKNOWN');
    // Without SATCAT data, a payload filter takes objects by the name rule, and says how many.
    expect(await store.selectObjects({ types: ['PAYLOAD'] })).toEqual({
      catalogNumbers: ['25544', '25545'],
      objectTypes: ['UNKNOWN', 'UNKNOWN'],
      decayDates: [null, null],
      ownerCodes: [null, null],
      byNameRule: 2,
    });
    const csv = readFileSync(refPath(EXCERPT));
    const r = await store.importFile({ name: EXCERPT, bytes: csv });
    expect(r).toMatchObject({
      format: 'satcat-csv',
      read: 29,
      newObjects: 28,
      inserted: 29,
      source: 'celestrak',
    });
    const iss = await store.getObject('25544');
    expect(iss?.object).toMatchObject({ objectType: 'PAYLOAD', typeSource: 'satcat', name: 'ISS (ZARYA)' });
    expect(await store.selectObjects({ types: ['PAYLOAD'] })).toMatchObject({ byNameRule: 1 });
    // A newer element set named like debris changes neither type nor SATCAT values.
    const newer = iss3le('25544', 'ISS DEB', '08265.51782528');
    await store.importFile({ name: 'newer.3le', bytes: bytes(newer) });
    expect((await store.getObject('25544'))?.object).toMatchObject({
      objectType: 'PAYLOAD',
      ownerCode: 'ISS',
    });
    // Listing filters by owner and type.
    const jpn = await store.listObjects({ owners: ['JPN'], types: ['PAYLOAD'] });
    expect(jpn.map((s) => s.object.catalogNumber)).toEqual(['25383', '25424', '57800', '57803']);
    expect(jpn.every((s) => s.object.ownerCode === 'JPN' && s.object.objectType === 'PAYLOAD')).toBe(true);
    await store.close();
  });

  it('upgrades a schema-version-3 file in place (objects kept, SATCAT columns empty until imported)', async () => {
    const path = freshPath();
    expect(await migrateSqliteFile(path, 3)).toBe(3);
    const raw = new Database(path);
    raw
      .prepare(
        `INSERT INTO objects (catalog_number, name, object_type) VALUES ('25544', 'ISS (ZARYA)', 'UNKNOWN')`,
      )
      .run();
    raw.close();
    const store = await openSqliteStore(path);
    expect(store.schemaVersion).toBe(CATALOG_SCHEMA_VERSION);
    expect((await store.getObject('25544'))?.object).toMatchObject({
      name: 'ISS (ZARYA)',
      ownerCode: null,
      typeSource: 'name',
    });
    await store.importFile({ name: EXCERPT, bytes: readFileSync(refPath(EXCERPT)) });
    expect((await store.getObject('25544'))?.object).toMatchObject({
      objectType: 'PAYLOAD',
      ownerCode: 'ISS',
    });
    await store.close();
  });
});
