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
  type ElementSet,
  formatIssue,
  formatUtcIso,
  PROXIMITY_KM,
  parseUtcString,
  RPO_MAX_DAYS,
  type RpoFinding,
  rpoDetectionEvents,
  rpoFindingMeasures,
  rpoRelativeSeries,
  SYNC_LOOKBACK_DAYS,
  searchRpo,
  type UtcJulianDate,
} from '@hoshimi/astro';
import { renderSvg, rpoChartData, rpoChartSpec } from '@hoshimi/plot';
import { detectSatcatFormat, ownerName, parseSatcat } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { loadCliContext } from '../data.js';
import { isoArg, loadElementSets } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet, readTextInput } from '../io.js';
import { openCatalogStore, storeName } from '../store-location.js';

export const RPO_USAGE = `Usage: hoshimi rpo (--elements FILE | --db PATH [--as-of ISO]) [--from ISO] [--days N] [--json] [--plot FILE]

Finds pairs of objects that come and stay close over a window: persistent proximity (within 50 km
for 24 h), LEO shadowing (within 300 km for half the window), GEO co-location (longitudes within
0.1° for half the window), repeated approaches, and orbit synchronisation after a maneuver.
Pairs explained by the catalog (attached/docked, same launch, formation, constellation, GEO
operator cluster, debris/rocket-body pairs) are labelled, not alarmed. An element file may hold
element-set histories (several sets per object): each sample uses the set in force.
  --from ISO          window start (default: --as-of with --db, else 00:00 UTC of the median epoch)
  --days N            window length, days (default 3, at most 7: search longer spans window by window)
  --satcat FILE       SATCAT (Space-Track JSON or CelesTrak CSV, gzip too; repeatable, later files
                      win) for the objects' owners:
                      a GEO co-location of two satellites of one owner (nation or organisation, as
                      the SATCAT's owner code says) is an operator cluster, not an alarm. With --db
                      the owners come from the store's SATCAT imports unless this is given
  --maneuvers FILE    maneuver events (JSON array of DetectionEvent records of type 'maneuver', or
                      of {id, time_utc, window_start_utc, window_end_utc}): a chaser maneuver up to
                      7 days before a finding makes it an orbit synchronisation (a rendezvous).
                      With --db and without this option, the store's maneuver events are used
  --all               list labelled findings too (default: alarms only; counts on stderr)
  --json              JSON: {window, stats, findings, events} (events: DetectionEvent records)
  --out FILE          write there instead of stdout
  --plot FILE         SVG chart of one pair over the window: range with the 50 km threshold and the
                      finding's episode, the chaser in the target's RTN frame, and in-track against
                      radial; the first finding listed (alarms first) unless --pair is given
  --pair T,C          the pair to plot: target and chaser catalog numbers (any two objects of the
                      input; the episode is shaded when they form a finding)
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
      satcat: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      events: { type: 'string' },
      plot: { type: 'string' },
      pair: { type: 'string' },
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
  const pair = values.pair === undefined ? undefined : pairArg(values.pair);
  if (pair !== undefined && values.plot === undefined)
    throw new CliError('USAGE', '--pair needs --plot FILE');
  let maneuvers = values.maneuvers === undefined ? undefined : readManeuvers(values.maneuvers);
  // The report and the events file are written together or not at all (main.ts rolls back).
  const outputs = new OutputSet();
  const out = outputs.file(values.out, '--out');
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const plotOut = values.plot === undefined ? undefined : outputs.file(values.plot, '--plot');
  const elements = await loadElementSets(
    { elements: values.elements, db: values.db, asOf: values['as-of'], leaveOutDecayed: true },
    ctx,
    warn,
  );
  if (elements.length === 0) throw new CliError('ELEMENTS_EMPTY', 'no element sets to search');
  for (const id of pair ?? []) {
    if (!elements.some((e) => e.catalogNumber === id)) {
      throw new CliError('RPO_PAIR_UNKNOWN', `--pair: object ${id} is not in the input`);
    }
  }
  let start: UtcJulianDate;
  if (values.from !== undefined) start = parseUtcString(isoArg(values.from, '--from', ctx))!;
  else if (values.db !== undefined && values['as-of'] !== undefined) {
    start = parseUtcString(isoArg(values['as-of'], '--as-of', ctx))!;
  } else {
    const jds = elements.map((e) => e.epoch.jd).sort((a, b) => a - b);
    start = { jd: jds[Math.floor(jds.length / 2)]!, jdFrac: 0 };
  }
  // With --db and no --maneuvers: the maneuver events the store holds from the lookback before the
  // window to its end (what `hoshimi maneuvers --events` + `events import` put there).
  if (maneuvers === undefined && values.db !== undefined) {
    maneuvers = await storeManeuvers(values.db, start, days);
    if (maneuvers.length > 0) warn(`rpo: ${maneuvers.length} maneuver events from ${storeName(values.db)}`);
  }
  const owners =
    values.satcat !== undefined
      ? new Map(values.satcat.flatMap((file) => [...satcatOwners(file, warn)]))
      : values.db !== undefined
        ? await storeOwners(values.db)
        : undefined;
  if (owners !== undefined) {
    const known = elements.filter((e) => owners.has(e.catalogNumber)).length;
    warn(`rpo: owners known for ${known} of ${elements.length} element sets`);
  }
  const t0 = performance.now();
  const res = searchRpo(elements, {
    start,
    days,
    ...(maneuvers === undefined ? {} : { maneuvers }),
    ...(owners === undefined ? {} : { owners }),
  });
  const seconds = (performance.now() - t0) / 1000;
  const shown = values.all ? res.findings : res.findings.filter((f) => f.alarm);
  const startUtc = `${formatUtcIso(start)}Z`;
  const window = {
    startUtc,
    days,
    source:
      values.elements ??
      `${storeName(values.db ?? '')}${values['as-of'] === undefined ? '' : ` as of ${values['as-of']}`}`,
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
  if (plotOut !== undefined)
    await plotOut.write(await pairPlot(elements, res.findings, shown, start, days, pair));
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

/** One owner per object: the owner's name where the code tables know it (Space-Track and CelesTrak twins agree), else the code. */
function ownerOf(code: string): string {
  return ownerName(code) ?? code;
}

/** Owners from a SATCAT file; rejected records are counted on stderr. */
function satcatOwners(file: string, warn: (line: string) => void): Map<string, string> {
  const text = readTextInput(file);
  const format = detectSatcatFormat(text.slice(0, 4096));
  if (format === undefined) {
    throw new CliError(
      'SATCAT_INVALID',
      `${file}: not a SATCAT (expected Space-Track SATCAT JSON or CelesTrak SATCAT CSV)`,
    );
  }
  const parsed = parseSatcat(text, format, file);
  if (parsed.rejected.length > 0) {
    warn(
      `${file}: ${parsed.rejected.length} SATCAT records rejected (first: ${formatIssue(parsed.rejected[0]!)})`,
    );
  }
  const owners = new Map<string, string>();
  for (const r of parsed.records) if (r.ownerCode !== null) owners.set(r.catalogNumber, ownerOf(r.ownerCode));
  return owners;
}

/** Owners from the store's SATCAT imports (empty when it has none). */
async function storeOwners(db: string): Promise<Map<string, string>> {
  const store = await openCatalogStore(db, { mode: 'read' });
  try {
    const sel = await store.selectObjects({});
    const owners = new Map<string, string>();
    sel.catalogNumbers.forEach((cn, i) => {
      const code = sel.ownerCodes[i];
      if (code !== undefined && code !== null) owners.set(cn, ownerOf(code));
    });
    return owners;
  } finally {
    await store.close();
  }
}

/** Maneuver events in the store from SYNC_LOOKBACK_DAYS before the window to its end. */
async function storeManeuvers(db: string, start: UtcJulianDate, days: number): Promise<DetectionEvent[]> {
  const iso = (d: number) => `${formatUtcIso({ jd: start.jd, jdFrac: start.jdFrac + d })}Z`;
  const store = await openCatalogStore(db, { mode: 'read' });
  try {
    return await store.events({ type: 'maneuver', from: iso(-SYNC_LOOKBACK_DAYS), to: iso(days) });
  } finally {
    await store.close();
  }
}

/** `--pair T,C`: two catalog numbers. */
function pairArg(text: string): [string, string] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || parts.some((p) => !/^[0-9A-Za-z]{1,9}$/.test(p)) || parts[0] === parts[1]) {
    throw new CliError(
      'USAGE',
      `--pair: expected two different catalog numbers TARGET,CHASER, got '${text}'`,
    );
  }
  return parts as [string, string];
}

/** The SVG of one pair: the given one, else the first finding shown. */
async function pairPlot(
  elements: readonly ElementSet[],
  findings: readonly RpoFinding[],
  shown: readonly RpoFinding[],
  start: UtcJulianDate,
  days: number,
  pair: [string, string] | undefined,
): Promise<string> {
  const ids = (f: RpoFinding) => [f.target.catalogNumber, f.chaser.catalogNumber];
  let finding: RpoFinding | undefined;
  let target: string;
  let chaser: string;
  if (pair === undefined) {
    finding = shown[0];
    if (finding === undefined) {
      throw new CliError(
        'RPO_NOTHING_TO_PLOT',
        'no finding to plot (add --all to include labelled findings, or --pair T,C)',
      );
    }
    [target, chaser] = ids(finding) as [string, string];
  } else {
    [target, chaser] = pair;
    finding = findings.find((f) => {
      const [a, b] = ids(f);
      return (a === target && b === chaser) || (a === chaser && b === target);
    });
  }
  const setsOf = (id: string) => {
    const sets = elements.filter((e) => e.catalogNumber === id);
    if (sets.length === 0) throw new CliError('RPO_PAIR_UNKNOWN', `--pair: object ${id} is not in the input`);
    return sets;
  };
  const series = rpoRelativeSeries(setsOf(target), setsOf(chaser), start, days);
  const name = (id: string) => {
    const n = elements.find((e) => e.catalogNumber === id)?.name;
    return n === undefined || n === '' ? id : `${id} ${n}`;
  };
  const episode =
    finding === undefined
      ? undefined
      : {
          start: `${finding.startUtc}Z`,
          end: `${finding.endUtc}Z`,
          label: `${finding.kind}${finding.labels.length === 0 ? ' (alarm)' : ` (${finding.labels.map((l) => l.kind).join(', ')})`}`,
        };
  const title = `${name(chaser)} relative to ${name(target)}${episode === undefined ? '' : `: ${episode.label}`}`;
  return renderSvg(rpoChartSpec(rpoChartData(series, PROXIMITY_KM, episode), { title }));
}
