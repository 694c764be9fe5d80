/**
 * `hoshimi maneuvers`: maneuver detection on element-set histories (a file, or one object's history
 * in the catalog store), printed as a table or JSON, with an optional SVG chart of the history.
 */
import {
  detectManeuvers,
  type ElementSet,
  formatTle,
  type ManeuverResult,
  maneuverEvents,
} from '@hoshimi/astro';
import { maneuverChartData, maneuverChartSpec, renderSvg } from '@hoshimi/plot';
import { numberArg, parseCliArgs } from '../args.js';
import { loadElementRecords } from '../element-source.js';
import { CliError } from '../errors.js';
import { OutputSet, openOutput } from '../io.js';
import { openCatalogStore, storeName } from '../store-location.js';

export const MANEUVERS_USAGE = `Usage: hoshimi maneuvers (--elements FILE | --db PATH --id ID) [--json] [--plot FILE]

Detects maneuvers in element-set histories: every object of FILE (TLE, 3LE, OMM, GP JSON/CSV; gzip
too), or the history of catalog object ID in the store.

Method: per pair of successive sets, the step of the SGP4 mean semi-major axis and of the
inclination beyond the local trend (drag decay, lunisolar drift), scored against an exponential tail
fitted to the object's own quiet steps (95th and 75th percentiles over about two months of sets):
score = −log10 of the probability of a step that large. A set that disagrees with both neighbours
is an outlier (listed on stderr), never a maneuver.

Options:
  --pfa P        false-alarm probability per pair of sets (default 0.001); threshold −log10(P/2)
  --json         a JSON array of {id, time_utc, window_start_utc, window_end_utc, dv_m_s,
                 dv_rtn_m_s, kind, score, threshold}; default a table
  --plot FILE    SVG chart of the element history (semi-major axis, eccentricity, inclination;
                 longitude drift for GEO) with the detections marked and the score beneath
                 (one object only)
  --out FILE     output file (default: standard output)
  --events FILE  also write the detections as a JSON array of DetectionEvent records (type
                 maneuver), which 'hoshimi events import' stores and 'hoshimi rpo --maneuvers' reads
`;

interface Row {
  readonly id: string;
  readonly time_utc: string;
  readonly window_start_utc: string;
  readonly window_end_utc: string;
  readonly dv_m_s: number;
  readonly dv_rtn_m_s: readonly [number, number, number];
  readonly kind: string;
  readonly score: number;
  readonly threshold: number;
}

const z = (iso: string) => (iso.endsWith('Z') ? iso : `${iso}Z`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function rows(res: ManeuverResult): Row[] {
  return res.detections.map((d) => ({
    id: d.catalogNumber,
    time_utc: z(d.timeUtc),
    window_start_utc: z(d.windowStartUtc),
    window_end_utc: z(d.windowEndUtc),
    dv_m_s: r3(d.dvMS),
    dv_rtn_m_s: [r3(d.dvRtnMS[0]), r3(d.dvRtnMS[1]), r3(d.dvRtnMS[2])],
    kind: d.kind,
    score: r3(d.score),
    threshold: r3(d.threshold),
  }));
}

async function storeHistory(db: string, id: string): Promise<ElementSet[]> {
  const store = await openCatalogStore(db, { mode: 'read' });
  try {
    const h = await store.history(id);
    if (h.length === 0)
      throw new CliError('OBJECT_NOT_FOUND', `${storeName(db)}: no element sets for catalog object ${id}`);
    return h.map((s) => s.elements);
  } finally {
    await store.close();
  }
}

export async function maneuversCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi maneuvers', MANEUVERS_USAGE, {
    args: [...argv],
    options: {
      elements: { type: 'string' },
      db: { type: 'string' },
      id: { type: 'string' },
      pfa: { type: 'string' },
      json: { type: 'boolean' },
      plot: { type: 'string' },
      out: { type: 'string' },
      events: { type: 'string' },
    },
    allowPositionals: false,
  });
  const warn = (line: string) => process.stderr.write(`${line}\n`);
  if ((values.elements === undefined) === (values.db === undefined)) {
    throw new CliError(
      'USAGE',
      `give exactly one of --elements FILE or --db PATH --id ID\n\n${MANEUVERS_USAGE}`,
    );
  }
  if (values.db !== undefined && values.id === undefined) {
    throw new CliError(
      'USAGE',
      `--db needs --id ID (the catalog number whose history to read)\n\n${MANEUVERS_USAGE}`,
    );
  }
  if (values.elements !== undefined && values.id !== undefined) {
    throw new CliError('USAGE', `--id goes with --db; with --elements every object of the file is analysed`);
  }
  const pfa = numberArg(values.pfa, '--pfa', { min: 1e-12, max: 0.5 }) ?? 1e-3;

  // The report and the events file are written together or not at all (main.ts rolls back); their
  // paths are checked before any work.
  const outputs = new OutputSet();
  const out = outputs.file(values.out);
  const eventsOut = values.events === undefined ? undefined : outputs.file(values.events, '--events');
  const byObject = new Map<string, ElementSet[]>();
  if (values.db !== undefined) {
    byObject.set(values.id as string, await storeHistory(values.db, values.id as string));
  } else {
    const recs = await loadElementRecords({ elements: values.elements }, undefined, warn);
    for (const r of recs) {
      const list = byObject.get(r.elements.catalogNumber);
      if (list === undefined) byObject.set(r.elements.catalogNumber, [r.elements]);
      else list.push(r.elements);
    }
  }
  if (values.plot !== undefined && byObject.size !== 1) {
    throw new CliError(
      'USAGE',
      `--plot draws one object's history; the input holds ${byObject.size} objects`,
    );
  }

  const all: Row[] = [];
  const results: ManeuverResult[] = [];
  for (const [id, sets] of byObject) {
    if (sets.length < 10) {
      warn(`${id}: ${sets.length} element sets, too few for a noise model (need 10); skipped`);
      continue;
    }
    const res = detectManeuvers(sets, { falseAlarmProbability: pfa });
    results.push(res);
    for (const o of res.outliers) {
      warn(
        `outlier: ${id} element set of ${z(o.epochUtc)}: ${o.reason}${o.score > 0 ? ` (score ${o.score.toFixed(1)})` : ''}`,
      );
      warn(`  ${formatTle(o.elements).join('\n  ')}`);
    }
    warn(
      `${id}: ${res.regime}, ${res.sets.length} element sets, ${res.detections.length} maneuvers, ${res.outliers.length} outliers, threshold ${res.threshold.toFixed(2)} (false-alarm probability ${pfa} per pair)`,
    );
    all.push(...rows(res));
  }

  if (eventsOut !== undefined) {
    await eventsOut.write(`${JSON.stringify(results.flatMap(maneuverEvents), null, 1)}\n`);
  }
  if (values.json) await out.write(`${JSON.stringify(all, null, 2)}\n`);
  else {
    const head = [
      'id',
      'time_utc',
      'window_start_utc',
      'window_end_utc',
      'dv_m_s',
      'dv_R',
      'dv_T',
      'dv_N',
      'kind',
      'score',
      'threshold',
    ];
    const lines = [head.join('  ')];
    for (const r of all) {
      lines.push(
        [
          r.id.padEnd(6),
          r.time_utc.slice(0, 19),
          r.window_start_utc.slice(0, 19),
          r.window_end_utc.slice(0, 19),
          r.dv_m_s.toFixed(3).padStart(8),
          ...r.dv_rtn_m_s.map((x) => x.toFixed(3).padStart(8)),
          r.kind.padEnd(31),
          r.score.toFixed(2).padStart(7),
          r.threshold.toFixed(2),
        ].join('  '),
      );
    }
    await out.write(`${lines.join('\n')}\n`);
  }
  await outputs.commit();
  outputs.finish();

  if (values.plot !== undefined && results[0] !== undefined) {
    const [id] = [...byObject.keys()];
    const svg = await renderSvg(
      maneuverChartSpec(maneuverChartData(results[0]), {
        title: `Object ${id}: element history and maneuvers`,
      }),
    );
    const plot = openOutput(values.plot, '--plot');
    try {
      await plot.write(svg);
      await plot.close();
    } catch (e) {
      plot.abort();
      throw e;
    }
  }
  return 0;
}
