/**
 * Worker-thread side of the correlation pool: builds its own context from the texts it is sent,
 * initialises the catalog's SGP4 records once, and correlates each chunk of tracks it is given
 * with the fast path (`correlateTracks`).
 */
import { parentPort } from 'node:worker_threads';
import {
  type AstroContext,
  type CorrelationOptions,
  correlateTracks,
  type ElementSet,
  loadContext,
  type Satrec,
  sgp4Init,
} from '@hoshimi/astro';
import {
  errorModelOf,
  type FromCorrelationWorker,
  type SerialCorrelation,
  stationTableGcrfAt,
  type ToCorrelationWorker,
  trackOfSerial,
} from './correlation-protocol.js';

interface Setup {
  readonly elements: readonly ElementSet[];
  readonly records: readonly Satrec[];
  readonly options: CorrelationOptions;
}

let setup: Setup | undefined;

function post(msg: FromCorrelationWorker): void {
  parentPort?.postMessage(msg);
}

function handle(msg: ToCorrelationWorker): void {
  if (msg.type === 'init') {
    const c = loadContext(msg.context);
    if (!c.ok) throw new Error(`context did not load: ${JSON.stringify(c.issues.slice(0, 3))}`);
    const ctx: AstroContext = c.value;
    setup = {
      elements: msg.elements,
      records: msg.elements.map((e) => sgp4Init(e)),
      options: {
        ...(msg.settings.gateProbability === undefined
          ? {}
          : { gateProbability: msg.settings.gateProbability }),
        ...(msg.settings.ambiguityMargin === undefined
          ? {}
          : { ambiguityMargin: msg.settings.ambiguityMargin }),
        ...(msg.settings.gridStepS === undefined ? {} : { gridStepS: msg.settings.gridStepS }),
        errorModel: errorModelOf(msg.settings.errorModel),
        ctx,
        stationGcrfAt: stationTableGcrfAt(ctx, msg.stations),
      },
    };
    return;
  }
  if (setup === undefined) throw new Error('chunk before init');
  const tracks = msg.tracks.map(trackOfSerial);
  const r = correlateTracks(tracks, setup.elements, { ...setup.options, records: setup.records });
  const results: SerialCorrelation[] = r.tracks.map(({ track: _track, ...rest }) => rest);
  post({ type: 'done', chunk: msg.chunk, results, scored: r.scored });
}

parentPort?.on('message', (msg: ToCorrelationWorker) => {
  try {
    handle(msg);
  } catch (e) {
    post({ type: 'error', message: (e as Error).stack ?? String(e) });
  }
});
