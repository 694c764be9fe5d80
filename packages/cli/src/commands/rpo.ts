/**
 * `hoshimi rpo`: rendezvous and proximity operations over a window (the search and its labels are
 * in @hoshimi/astro rpo/): persistent proximity, LEO shadowing, GEO co-location, repeated
 * approaches and, with maneuver events, orbit synchronisation. Labelled findings (attached,
 * same launch, formation, constellation, operator cluster, passive pair) are context; the others
 * are alarms and come first.
 */
import { readFileSync } from 'node:fs';
import {
  type DetectionEvent,
  formatUtcIso,
  parseUtcString,
  RPO_MAX_DAYS,
  type RpoFinding,
  rpoDetectionEvents,
  rpoFindingMeasures,
  searchRpo,
  type UtcJulianDate,
} from '@hoshimi/astro';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { isoArg, loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet } from '../io.js';

export const RPO_USAGE = `Usage: hoshimi rpo (--elements FILE | --db PATH [--as-of ISO]) [--from ISO] [--days N] [--json]

Finds pairs of objects that come and stay close over a window: persistent proximity (within 50 km
for 24 h), LEO shadowing (within 300 km for half the window), GEO co-location (longitudes within
0.1° for half the window), repeated approaches, and orbit synchronisation after a maneuver.
Pairs explained by the catalog (attached/docked, same launch, formation, constellation, GEO
operator cluster, debris/rocket-body pairs) are labelled, not alarmed. An element file may hold
element-set histories (several sets per object): each sample uses the set in force.
  --from ISO          window start (default: --as-of with --db, else 00:00 UTC of the median epoch)
  --days N            window length, days (default 3, at most 7: search longer spans window by window)
  --maneuvers FILE    maneuver events (JSON array of DetectionEvent records of type 'maneuver', or
                      of {id, time_utc, window_start_utc, window_end_utc}): a chaser maneuver up to
                      7 days before a finding makes it an orbit synchronisation (a rendezvous)
  --all               list labelled findings too (default: alarms only; counts on stderr)
  --json              JSON: {window, stats, findings, events} (events: DetectionEvent records)
  --out FILE          write there instead of stdout
  --events FILE       also write every finding (labelled ones too) as a JSON array of DetectionEvent
                      records, which 'hoshimi events import' stores
`;

/** Reads a maneuver file: DetectionEvent records or the maneuvers command's JSON rows. */
function readManeuvers(file: string): DetectionEvent[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('MANEUVERS_INVALID', `${file}: not a JSON file (${(e as Error).message})`);
  }
  if (!Array.isArray(doc))
    throw new CliError('MANEUVERS_INVALID', `${file}: expected a JSON array of maneuvers`);
  return doc.map((m: Record<string, unknown>, i): DetectionEvent => {
    if (m['type'] === 'maneuver' && Array.isArray(m['objects'])) return m as unknown as DetectionEvent;
    const id = m['id'];
    const t = m['time_utc'];
    if (
      (typeof id !== 'string' && typeof id !== 'number') ||
      typeof t !== 'string' ||
      parseUtcString(t) === undefined
    ) {
      throw new CliError(
        'MANEUVERS_INVALID',
        `${file}: entry ${i + 1}: expected {id, time_utc (ISO UTC), window_start_utc, window_end_utc} or a DetectionEvent, found ${JSON.stringify(m).slice(0, 120)}`,
      );
    }
    const ws = typeof m['window_start_utc'] === 'string' ? m['window_start_utc'] : t;
    const we = typeof m['window_end_utc'] === 'string' ? m['window_end_utc'] : t;
    return {
      type: 'maneuver',
      objects: [String(id)],
      timeUtc: t,
      windowStartUtc: ws,
      windowEndUtc: we,
      kind: String(m['kind'] ?? ''),
      score: Number(m['score'] ?? 0),
      threshold: Number(m['threshold'] ?? 0),
      detector: 'input',
      detectorVersion: '',
      evidence: typeof m['dv_m_s'] === 'number' ? { dv_m_s: m['dv_m_s'] } : {},
      inputs: { file },
    };
  });
}

function finding(f: RpoFinding): Record<string, unknown> {
  return {
    target: f.target,
    chaser: f.chaser,
    kind: f.kind,
    regime: f.regime,
    alarm: f.alarm,
    labels: f.labels,
    start_utc: `${f.startUtc}Z`,
    end_utc: `${f.endUtc}Z`,
    min_range_utc: `${f.minRangeUtc}Z`,
    ...rpoFindingMeasures(f),
    score: f.score,
    threshold: f.threshold,
    maneuvers: f.maneuvers,
  };
}

function textLine(f: RpoFinding): string {
  const who = (o: RpoFinding['target']) => `${o.catalogNumber}${o.name === undefined ? '' : ` (${o.name})`}`;
  const labels = f.labels.length === 0 ? 'ALARM' : f.labels.map((l) => l.kind).join('+');
  return (
    `${labels}\t${f.kind}\t${f.regime}\t${who(f.target)} <- ${who(f.chaser)}\t${f.startUtc}Z .. ${f.endUtc}Z\t` +
    `min ${f.minRangeKm.toFixed(2)} km, mean ${f.meanRangeKm.toFixed(2)} km, ` +
    `RTN mean ${f.rtnKm.radial.mean.toFixed(1)}/${f.rtnKm.inTrack.mean.toFixed(1)}/${f.rtnKm.crossTrack.mean.toFixed(1)} km, ` +
    `v_rel ${(f.relativeSpeedAtMinKmS * 1000).toFixed(1)} m/s` +
    (f.maneuvers.length === 0
      ? ''
      : `, maneuvers ${f.maneuvers.map((m) => `${m.catalogNumber}@${m.timeUtc}`).join(' ')}`)
  );
}

export async function rpoCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi rpo', RPO_USAGE, {
    args: [...argv],
    options: {
      elements: { type: 'string' },
      db: { type: 'string' },
      'as-of': { type: 'string' },
      from: { type: 'string' },
      days: { type: 'string' },
      maneuvers: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  const ctx = loadCliContext({ tolerant: true, withEop: false }, warn);
  const days = values.days === undefined ? 3 : Number(values.days);
  if (!(days > 0 && days <= RPO_MAX_DAYS)) {
    throw new CliError('USAGE', `--days: expected a number in (0, ${RPO_MAX_DAYS}], got ${values.days}`);
  }
  const maneuvers = values.maneuvers === undefined ? undefined : readManeuvers(values.maneuvers);
  // The report and the events file are written together or not at all (main.ts rolls back).
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const elements = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'] },
    ctx,
    warn,
  );
  if (elements.length === 0) throw new CliError('ELEMENTS_EMPTY', 'no element sets to search');
  let start: UtcJulianDate;
  if (values.from !== undefined) start = parseUtcString(isoArg(values.from, '--from', ctx))!;
  else if (values.db !== undefined && values['as-of'] !== undefined) {
    start = parseUtcString(isoArg(values['as-of'], '--as-of', ctx))!;
  } else {
    const jds = elements.map((e) => e.epoch.jd).sort((a, b) => a - b);
    start = { jd: jds[Math.floor(jds.length / 2)]!, jdFrac: 0 };
  }
  const t0 = performance.now();
  const res = searchRpo(elements, { start, days, ...(maneuvers === undefined ? {} : { maneuvers }) });
  const seconds = (performance.now() - t0) / 1000;
  const shown = values.all ? res.findings : res.findings.filter((f) => f.alarm);
  const startUtc = `${formatUtcIso(start)}Z`;
  const window = {
    startUtc,
    days,
    source:
      values.elements ?? `${values.db}${values['as-of'] === undefined ? '' : ` as of ${values['as-of']}`}`,
  };
  if (values.json) {
    const doc = {
      window: { start_utc: startUtc, days },
      stats: res.stats,
      findings: shown.map(finding),
      events: rpoDetectionEvents(shown, window),
    };
    await out.write(`${JSON.stringify(doc, null, 1)}\n`);
  } else {
    for (const f of shown) await out.write(`${textLine(f)}\n`);
  }
  if (eventsOut !== undefined) {
    await eventsOut.write(`${JSON.stringify(rpoDetectionEvents(res.findings, window), null, 1)}\n`);
  }
  await outputs.commit();
  outputs.finish();
  const counts = new Map<string, number>();
  for (const f of res.findings) {
    for (const l of f.labels.length === 0 ? [{ kind: 'unlabelled (alarm)' }] : f.labels) {
      counts.set(l.kind, (counts.get(l.kind) ?? 0) + 1);
    }
  }
  const s = res.stats;
  warn(
    `rpo: ${s.objects} objects (left out: ${s.skippedOld} with element sets older than 30 days at the start, ${s.skippedAfterEnd} with every set after the window; ` +
      `${s.objectsWithSgp4Errors} sampled objects with SGP4 errors at some samples), ${s.pairsAfterPrefilter} of ${s.pairsTotal} pairs after the element prefilter, ` +
      `${s.findings} findings, ${s.alarms} alarms in ${seconds.toFixed(1)} s; labels: ` +
      [...counts].map(([k, v]) => `${k} ${v}`).join(', '),
  );
  return 0;
}
