/**
 * Breakup origin estimate (issue 11 goal: 1,000 fragments ≤ 10 s): `fragmentationOrigin` on the
 * Kosmos 1408 debris sets of 2021-12-20..2022-01-11 (923 fragments, made up to 1,000 with copies of
 * the first 77 under new catalog numbers), parent = its last set before the event; with the
 * geodetic place and the 200-resample bootstrap, as the CLI runs it. Median of 3 runs, one thread.
 * No peer: no public implementation of this estimator runs in Node.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type ElementSet, fragmentationOrigin, loadContext, parseElements } from '@hoshimi/astro';
import { record, refFile } from './harness.js';

const TARGET_FRAGMENTS = 1000;

function text(rel: string): string {
  const raw = readFileSync(refFile(rel));
  return rel.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}

function sets(t: string): ElementSet[] {
  const r = parseElements(t);
  if (!r.ok) throw new Error('parse failed');
  return r.value.records.map((x) => x.elements);
}

export async function benchFragmentation(): Promise<void> {
  const ctxR = loadContext({
    leapSecondsText: text('earth/Leap_Second.dat'),
    eopText: text('earth/finals2000A.all.gz'),
    eopFormat: 'finals2000A',
  });
  if (!ctxR.ok) throw new Error('context failed');
  const ev = JSON.parse(text('fragmentation/events.json'));
  const tle = ev.events.find((e: { id: string }) => e.id === 'kosmos1408').last_pre_event_tle;
  const parent = sets(`${tle.line1}\n${tle.line2}\n`)[0]!;
  const debris = sets(text('fragmentation/kosmos1408/cosmos1408_debris_2022-01-10_duela.3le.txt')).filter(
    (e) => e.catalogNumber !== parent.catalogNumber,
  );
  const fragments = [...debris];
  for (let i = 0; fragments.length < TARGET_FRAGMENTS; i++) {
    fragments.push({ ...debris[i % debris.length]!, catalogNumber: String(900000 + i) });
  }
  const times: number[] = [];
  let epoch = '';
  let converged = false;
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    const o = fragmentationOrigin(parent, fragments, { context: ctxR.value });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    epoch = o.epochUtc;
    converged = o.converged;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${fragments.length} fragments: estimate ${epoch}Z (converged: ${converged}); runs ${times.map((t) => t.toFixed(2)).join(', ')} s`,
  );
  record({
    bench: 'fragmentation',
    metric: `origin estimate, ${fragments.length} fragments (goal ≤ 10 s)`,
    ours: times[1]!,
    peer: null,
    unit: 's',
  });
}
