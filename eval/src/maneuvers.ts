/**
 * Maneuver-detection evaluation on the dpshorten TLE benchmark (operator maneuver logs): runs the
 * detector and the semi-major-axis baseline on every satellite with a log, matches detections to
 * the log one-to-one (±1 day LEO, ±2 days GEO), and reports precision, recall and F1 per satellite,
 * per regime and overall. Only logged maneuvers inside the span of the TLE history are counted.
 *
 * Two truths: the benchmark's `manoeuvres_*.yaml` (as published), and the operator files in
 * `raw_manoeuvres/` they were made from, read here directly. The YAML timestamps of the LEO
 * missions are the operator day-of-year times plus exactly one day (day-of-year n read as 1 January
 * + n days), and those of Fengyun are the operators' China Standard Time read as UTC (8 h late).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  detectManeuvers,
  detectSemiMajorAxisJumps,
  type ElementSet,
  parseTleText,
  parseUtcString,
} from '@hoshimi/astro';

export type Regime = 'LEO' | 'GEO';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface SatelliteResult {
  readonly name: string;
  readonly regime: Regime;
  readonly sets: number;
  readonly truth: number;
  readonly detector: Counts;
  readonly baseline: Counts;
  /** Against the operator files (start times, UTC). */
  readonly operatorTruth: number;
  readonly detectorOperator: Counts;
  readonly outliers: number;
}

const DAY_TOLERANCE: Readonly<Record<Regime, number>> = { LEO: 1, GEO: 2 };

function days(jd: number, jdFrac: number): number {
  return jd - 2451545.0 + jdFrac;
}

/** One-to-one matching: candidate pairs within tolerance, closest first, each used once. */
export function matchOneToOne(detected: readonly number[], truth: readonly number[], tol: number): Counts {
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < detected.length; i++) {
    for (let j = 0; j < truth.length; j++) {
      const d = Math.abs((detected[i] as number) - (truth[j] as number));
      if (d <= tol) pairs.push([d, i, j]);
    }
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const usedD = new Uint8Array(detected.length);
  const usedT = new Uint8Array(truth.length);
  let tp = 0;
  for (const [, i, j] of pairs) {
    if (usedD[i] || usedT[j]) continue;
    usedD[i] = 1;
    usedT[j] = 1;
    tp++;
  }
  return { tp, fp: detected.length - tp, fn: truth.length - tp };
}

export function prf(c: Counts): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function readTruth(path: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^-\s+'?(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(line);
    if (!m) continue;
    const j = parseUtcString(`${m[1]}T${m[2]}Z`);
    if (!j) throw new Error(`${path}: cannot read timestamp in line: ${line}`);
    out.push(days(j.jd, j.jdFrac));
  }
  return out;
}

/** Operator file of each satellite in `raw_manoeuvres/`. */
const OPERATOR_FILES: Readonly<Record<string, string>> = {
  'CryoSat-2': 'cs2man.txt',
  'Haiyang-2A': 'h2aman.txt',
  'Jason-1': 'ja1man.txt',
  'Jason-2': 'ja2man.txt',
  'Jason-3': 'ja3man.txt',
  SARAL: 'srlman.txt',
  'Sentinel-3A': 's3aman.txt',
  'Sentinel-3B': 's3bman.txt',
  'Sentinel-6A': 's6aman.txt',
  TOPEX: 'topman.txt',
  'Fengyun-2D': 'manFY2D.txt.fy',
  'Fengyun-2E': 'manFY2E.txt.fy',
  'Fengyun-2F': 'manFY2F.txt.fy',
  'Fengyun-2H': 'manFY2H.txt.fy',
};

/**
 * Burn start times (days since J2000, UTC) from an operator file: IDS/DORIS rows
 * `NAME YYYY DDD HH MM …` (day of year from 1), or Fengyun rows with a quoted
 * `"YYYY-MM-DDTHH:MM:SS CST"` start (UTC+8).
 */
export function readOperatorLog(path: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const cst = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d) CST"/.exec(line);
    if (cst) {
      const j = parseUtcString(`${cst[1]}Z`);
      if (!j) throw new Error(`${path}: cannot read time in line: ${line}`);
      out.push(days(j.jd, j.jdFrac) - 8 / 24);
      continue;
    }
    const m = /^\S+\s+(\d{4})\s+(\d{3})\s+(\d\d)\s+(\d\d)\s/.exec(line);
    if (!m) continue;
    const j = parseUtcString(`${m[1]}-01-01T00:00:00Z`);
    if (!j) throw new Error(`${path}: cannot read year in line: ${line}`);
    out.push(days(j.jd, j.jdFrac) + Number(m[2]) - 1 + Number(m[3]) / 24 + Number(m[4]) / 1440);
  }
  return out;
}

export function readHistory(path: string): ElementSet[] {
  const parsed = parseTleText(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.issues.map((i) => i.message).join('; ')}`);
  return parsed.value.records.map((r) => r.elements);
}

export function evaluateSatellite(dir: string, name: string): SatelliteResult {
  const regime: Regime = name.startsWith('Fengyun') ? 'GEO' : 'LEO';
  const sets = readHistory(join(dir, `${name}.tle`));
  const t = sets.map((s) => days(s.epoch.jd, s.epoch.jdFrac));
  const first = Math.min(...t);
  const last = Math.max(...t);
  const truth = readTruth(join(dir, `manoeuvres_${name}.yaml`)).filter((x) => x >= first && x <= last);
  const res = detectManeuvers(sets);
  const t0 =
    res.sets.length > 0
      ? days((res.sets[0] as ElementSet).epoch.jd, (res.sets[0] as ElementSet).epoch.jdFrac)
      : 0;
  const det = res.detections.map((d) => t0 + d.timeDays);
  const base = detectSemiMajorAxisJumps(sets).map((d) => first + d.timeDays);
  const tol = DAY_TOLERANCE[regime];
  const opsFile = OPERATOR_FILES[name];
  const ops =
    opsFile === undefined
      ? []
      : readOperatorLog(join(dir, '../raw_manoeuvres', opsFile)).filter((x) => x >= first && x <= last);
  return {
    name,
    regime,
    sets: sets.length,
    truth: truth.length,
    detector: matchOneToOne(det, truth, tol),
    baseline: matchOneToOne(base, truth, tol),
    outliers: res.outliers.length,
    operatorTruth: ops.length,
    detectorOperator: matchOneToOne(det, ops, tol),
  };
}

export function benchmarkSatellites(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith('manoeuvres_') && f.endsWith('.yaml'))
    .map((f) => f.slice('manoeuvres_'.length, -'.yaml'.length))
    .sort();
}

export function evaluateAll(dir: string): SatelliteResult[] {
  return benchmarkSatellites(dir).map((n) => evaluateSatellite(dir, n));
}

function add(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

export function sumCounts(
  rs: readonly SatelliteResult[],
  which: 'detector' | 'baseline' | 'detectorOperator',
): Counts {
  return rs.reduce((acc, r) => add(acc, r[which]), { tp: 0, fp: 0, fn: 0 });
}

const f3 = (x: number) => x.toFixed(3);

/** Markdown table of the results (per satellite, per regime, overall), detector vs baseline. */
export function resultsTable(rs: readonly SatelliteResult[]): string {
  const head =
    '| satellite | regime | sets | logged | TP | FP | FN | precision | recall | F1 | baseline P | baseline R | baseline F1 | ops logged | ops P | ops R | ops F1 |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const row = (
    label: string,
    regime: string,
    sets: number,
    truth: number,
    d: Counts,
    b: Counts,
    opsTruth: number,
    o: Counts,
  ) => {
    const p = prf(d);
    const q = prf(b);
    const r = prf(o);
    return `| ${label} | ${regime} | ${sets} | ${truth} | ${d.tp} | ${d.fp} | ${d.fn} | ${f3(p.precision)} | ${f3(p.recall)} | ${f3(p.f1)} | ${f3(q.precision)} | ${f3(q.recall)} | ${f3(q.f1)} | ${opsTruth} | ${f3(r.precision)} | ${f3(r.recall)} | ${f3(r.f1)} |`;
  };
  const lines = [head];
  for (const r of rs)
    lines.push(
      row(r.name, r.regime, r.sets, r.truth, r.detector, r.baseline, r.operatorTruth, r.detectorOperator),
    );
  for (const regime of ['LEO', 'GEO'] as const) {
    const sub = rs.filter((r) => r.regime === regime);
    lines.push(
      row(
        `**all ${regime}**`,
        regime,
        sub.reduce((s, r) => s + r.sets, 0),
        sub.reduce((s, r) => s + r.truth, 0),
        sumCounts(sub, 'detector'),
        sumCounts(sub, 'baseline'),
        sub.reduce((s, r) => s + r.operatorTruth, 0),
        sumCounts(sub, 'detectorOperator'),
      ),
    );
  }
  lines.push(
    row(
      '**overall**',
      '',
      rs.reduce((s, r) => s + r.sets, 0),
      rs.reduce((s, r) => s + r.truth, 0),
      sumCounts(rs, 'detector'),
      sumCounts(rs, 'baseline'),
      rs.reduce((s, r) => s + r.operatorTruth, 0),
      sumCounts(rs, 'detectorOperator'),
    ),
  );
  return lines.join('\n');
}
