/**
 * Maneuver detection over every TLE history in ../shared/data/history (dpshorten benchmark,
 * facchinelli, orekit): parse once, then time `detectManeuvers` on each object's history (goal: all
 * of them in at most 2 s). No peer: the plain semi-major-axis jump baseline is timed alongside.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { detectManeuvers, detectSemiMajorAxisJumps, type ElementSet, parseTleText } from '@hoshimi/astro';
import { record, refFile } from './harness.js';

function tleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tleFiles(p));
    else if (e.name.endsWith('.tle') || e.name.endsWith('.tle.gz')) out.push(p);
  }
  return out.sort();
}

export async function benchManeuvers(): Promise<void> {
  const files = tleFiles(refFile('history'));
  const histories: ElementSet[][] = [];
  for (const f of files) {
    const raw = readFileSync(f);
    const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const r = parseTleText(text);
    if (!r.ok) throw new Error(`${f}: not readable`);
    const byId = new Map<string, ElementSet[]>();
    for (const rec of r.value.records) {
      const list = byId.get(rec.elements.catalogNumber) ?? [];
      list.push(rec.elements);
      byId.set(rec.elements.catalogNumber, list);
    }
    histories.push(...byId.values());
  }
  const sets = histories.reduce((n, h) => n + h.length, 0);
  console.log(`  ${files.length} files, ${histories.length} histories, ${sets} element sets`);
  // One warm-up pass (JIT), then the timed pass.
  for (const h of histories.slice(0, 2)) detectManeuvers(h);
  let detections = 0;
  const t0 = performance.now();
  for (const h of histories) detections += detectManeuvers(h).detections.length;
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (const h of histories) detectSemiMajorAxisJumps(h);
  const baseSeconds = (performance.now() - t1) / 1000;
  console.log(`  ${detections} detections`);
  record({ bench: 'maneuvers', metric: 'detection, all histories', ours: seconds, peer: null, unit: 's' });
  record({ bench: 'maneuvers', metric: 'detection rate', ours: sets / seconds, peer: null, unit: 'sets/s' });
  record({
    bench: 'maneuvers',
    metric: 'baseline (a jumps), all histories',
    ours: baseSeconds,
    peer: null,
    unit: 's',
  });
}
