/**
 * RPO evaluation on real catalog snapshots: runs `searchRpo` over 3 days of the 2022-01-22 and
 * 2023-10-09 full catalogs (owners from the Space-Track SATCAT of 2025-03-16) and scores it against
 * the objects known, from the operators' public records, to have been docked or berthed together
 * at those dates: every pair of one complex should be found and labelled attached (context, not an
 * alarm). The findings that remain alarms are listed by kind for the notes written by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type ElementSet,
  parseElements,
  parseUtcString,
  type RpoFinding,
  type RpoResult,
  searchRpo,
} from '@hoshimi/astro';
import { detectSatcatFormat, ownerName, parseSatcat } from '@hoshimi/store';

/** Objects docked or berthed together over a whole window (catalog numbers), with the public record. */
export interface AttachedComplex {
  readonly name: string;
  readonly members: readonly string[];
  readonly source: string;
}

export interface RpoSnapshotCase {
  readonly catalog: string;
  readonly start: string;
  readonly complexes: readonly AttachedComplex[];
}

/**
 * Known complexes. ISS visiting vehicles: NASA's ISS blog and Roscosmos dockings/undockings
 * (2022-01: Soyuz MS-19 on Rassvet, Progress MS-18 on Poisk, Crew-3 Endurance on Harmony; Dragon
 * CRS-24 left on 2022-01-21 and is not counted; 2023-10: Progress MS-23 and MS-24, Cygnus NG-19,
 * Crew-7 Endurance, Soyuz MS-24). Chinese station: CMSA (2022-01: Tianzhou 2 and 3, Shenzhou 13;
 * 2023-10: Wentian, Mengtian, Tianzhou 6, Shenzhou 16). MEV-1 on Intelsat 901 (docked 2020-02-25
 * to 2025-04) and MEV-2 on Intelsat 10-02 (docked 2021-04-12): Northrop Grumman / SpaceLogistics.
 * Shijian-21 docked to Beidou-2 G2 (Compass G2) from late December 2021 to 2022-01-26 (domain §3.3).
 */
export const RPO_CASES: readonly RpoSnapshotCase[] = [
  {
    catalog: 'catalog/full_catalog_2022-01-22.3le.txt.gz',
    start: '2022-01-22T00:00:00Z',
    complexes: [
      { name: 'ISS', members: ['25544', '49044', '49269', '49379', '49407'], source: 'NASA, Roscosmos' },
      { name: 'Tiangong', members: ['48274', '48803', '49222', '49326'], source: 'CMSA' },
      { name: 'SJ-21 on Compass G2', members: ['34779', '49330'], source: 'domain §3.3' },
      { name: 'MEV-1 on Intelsat 901', members: ['26824', '44625'], source: 'SpaceLogistics' },
      { name: 'MEV-2 on Intelsat 10-02', members: ['28358', '46113'], source: 'SpaceLogistics' },
    ],
  },
  {
    catalog: 'catalog/full_catalog_2023-10-09.3le.txt.gz',
    start: '2023-10-09T00:00:00Z',
    complexes: [
      {
        name: 'ISS',
        members: ['25544', '49044', '56740', '57488', '57691', '57697', '57862'],
        source: 'NASA, Roscosmos',
      },
      { name: 'Tiangong', members: ['48274', '53239', '54216', '56446', '56761'], source: 'CMSA' },
      { name: 'MEV-1 on Intelsat 901', members: ['26824', '44625'], source: 'SpaceLogistics' },
      { name: 'MEV-2 on Intelsat 10-02', members: ['28358', '46113'], source: 'SpaceLogistics' },
    ],
  },
];

export const SATCAT_FILES = [
  'satcat/spacetrack_satcat_current_2025-03-16.json.gz',
  'satcat/spacetrack_satcat_decayed_2025-03-16.json.gz',
];

export interface ComplexScore {
  readonly name: string;
  readonly pairs: number;
  /** Pairs found and labelled attached. */
  readonly attached: number;
  /** Pairs found as alarms (false alarms: the objects are one spacecraft). */
  readonly alarms: number;
  /** Pairs found with other labels only. */
  readonly otherLabels: number;
  /** Pairs not found at all. */
  readonly missed: number;
}

export interface RpoCaseResult {
  readonly catalog: string;
  readonly start: string;
  readonly seconds: number;
  readonly result: RpoResult;
  readonly complexes: readonly ComplexScore[];
}

function gz(path: string): string {
  return gunzipSync(readFileSync(path)).toString('utf8');
}

/** Owners by catalog number, as `hoshimi rpo --satcat` reads them. */
export function loadOwners(dataDir: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const f of SATCAT_FILES) {
    const text = gz(join(dataDir, f));
    const format = detectSatcatFormat(text.slice(0, 4096));
    if (format === undefined) throw new Error(`${f}: not a SATCAT`);
    for (const r of parseSatcat(text, format, f).records) {
      if (r.ownerCode !== null) owners.set(r.catalogNumber, ownerName(r.ownerCode) ?? r.ownerCode);
    }
  }
  return owners;
}

function loadCatalog(path: string): ElementSet[] {
  const r = parseElements(gz(path), { file: path });
  if (!r.ok) throw new Error(`${path}: not readable`);
  return r.value.records.map((x) => x.elements);
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Scores one snapshot against its complexes. */
export function evaluateCase(
  dataDir: string,
  c: RpoSnapshotCase,
  owners: Map<string, string>,
): RpoCaseResult {
  const elements = loadCatalog(join(dataDir, c.catalog));
  const start = parseUtcString(c.start.replace(/Z$/, ''));
  if (start === undefined) throw new Error(`bad start ${c.start}`);
  const t0 = performance.now();
  const result = searchRpo(elements, { start, days: 3, owners });
  const seconds = (performance.now() - t0) / 1000;
  const byPair = new Map<string, RpoFinding[]>();
  for (const f of result.findings) {
    const k = pairKey(f.target.catalogNumber, f.chaser.catalogNumber);
    byPair.set(k, [...(byPair.get(k) ?? []), f]);
  }
  const complexes = c.complexes.map((cx): ComplexScore => {
    let pairs = 0;
    let attached = 0;
    let alarms = 0;
    let otherLabels = 0;
    let missed = 0;
    for (let i = 0; i < cx.members.length; i++) {
      for (let j = i + 1; j < cx.members.length; j++) {
        pairs++;
        const fs = byPair.get(pairKey(cx.members[i]!, cx.members[j]!)) ?? [];
        if (fs.length === 0) missed++;
        else if (fs.some((f) => f.alarm)) alarms++;
        else if (fs.some((f) => f.labels.some((l) => l.kind === 'attached'))) attached++;
        else otherLabels++;
      }
    }
    return { name: cx.name, pairs, attached, alarms, otherLabels, missed };
  });
  return { catalog: c.catalog, start: c.start, seconds, result, complexes };
}

/** Markdown tables of the results. */
export function rpoTables(rs: readonly RpoCaseResult[]): string {
  const lines: string[] = [];
  lines.push('| snapshot (3 days from) | objects | pairs after prefilter | findings | alarms | seconds |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const r of rs) {
    const s = r.result.stats;
    lines.push(
      `| ${r.start} | ${s.objects} | ${s.pairsAfterPrefilter} | ${s.findings} | ${s.alarms} | ${r.seconds.toFixed(1)} |`,
    );
  }
  lines.push('');
  lines.push('Known docked complexes: every pair of each complex, by outcome.');
  lines.push('');
  lines.push('| snapshot | complex | pairs | labelled attached | alarm (false) | other label | not found |');
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  const total = { pairs: 0, attached: 0, alarms: 0, otherLabels: 0, missed: 0 };
  for (const r of rs) {
    for (const c of r.complexes) {
      lines.push(
        `| ${r.start.slice(0, 10)} | ${c.name} | ${c.pairs} | ${c.attached} | ${c.alarms} | ${c.otherLabels} | ${c.missed} |`,
      );
      total.pairs += c.pairs;
      total.attached += c.attached;
      total.alarms += c.alarms;
      total.otherLabels += c.otherLabels;
      total.missed += c.missed;
    }
  }
  lines.push(
    `| **all** | | ${total.pairs} | ${total.attached} (${((100 * total.attached) / total.pairs).toFixed(0)} %) | ${total.alarms} | ${total.otherLabels} | ${total.missed} |`,
  );
  lines.push('');
  lines.push('Alarms by kind and regime (unlabelled findings):');
  lines.push('');
  lines.push('| snapshot | kind | LEO | GEO | other |');
  lines.push('|---|---|---:|---:|---:|');
  for (const r of rs) {
    const counts = new Map<string, Record<string, number>>();
    for (const f of r.result.findings) {
      if (!f.alarm) continue;
      const row = counts.get(f.kind) ?? { LEO: 0, GEO: 0, other: 0 };
      row[f.regime] = (row[f.regime] ?? 0) + 1;
      counts.set(f.kind, row);
    }
    for (const [kind, row] of [...counts].sort()) {
      lines.push(`| ${r.start.slice(0, 10)} | ${kind} | ${row['LEO']} | ${row['GEO']} | ${row['other']} |`);
    }
  }
  return lines.join('\n');
}

/** One line per GEO alarm (the ones an analyst reads first). */
export function geoAlarmLines(r: RpoCaseResult): string[] {
  const who = (o: RpoFinding['target']) => `${o.catalogNumber} ${o.name ?? ''}`.trim();
  return r.result.findings
    .filter((f) => f.alarm && f.regime === 'GEO')
    .map(
      (f) =>
        `- ${r.start.slice(0, 10)} ${f.kind}: ${who(f.target)} / ${who(f.chaser)}, min ${f.minRangeKm.toFixed(1)} km, mean ${f.meanRangeKm.toFixed(1)} km`,
    );
}
