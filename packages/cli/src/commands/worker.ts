/**
 * `hoshimi worker`: a worker process of distributed screening (@hoshimi/queue): takes screening
 * units from a Redis queue and screens them on worker threads until stopped. Needs no store: a unit
 * carries its input. SIGTERM or SIGINT stops taking units and lets the running ones finish; a second
 * signal hands them back to the queue after their current block.
 */

import { availableParallelism } from 'node:os';
import {
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_STALLED_INTERVAL_MS,
  redactUrl,
  startScreeningWorker,
} from '@hoshimi/queue';
import { numberArg, parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';

export const WORKER_USAGE = `Usage: hoshimi worker --queue redis://HOST:PORT [--concurrency N]

Takes screening units (ranges of a screening's time window) from the Redis queue and screens
them, one worker thread per unit, until stopped; start as many workers, on as many machines, as
you like. 'hoshimi screen --queue URL' and 'hoshimi serve --queue URL' put screenings on the queue.
  --queue URL         the Redis server (default $HOSHIMI_QUEUE), e.g. redis://127.0.0.1:6379
  --concurrency N     units screened at once, one thread each (default 1; at most the cores)
  --lock-ms N         a unit's lock: a worker silent for this long is taken for dead and its unit
                      re-run by another (default ${DEFAULT_LOCK_DURATION_MS})
  --stalled-check-ms N  how often workers look for units of dead workers (default ${DEFAULT_STALLED_INTERVAL_MS})
  --max-stalled N     times a unit may be taken back from dead workers before it fails (default ${DEFAULT_MAX_STALLED_COUNT})
  --quiet             no line per unit on stderr
SIGTERM or SIGINT: stop taking units and finish the running ones; a second signal hands them back
to the queue after their current block.
`;

export async function workerCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi worker', WORKER_USAGE, {
    args: [...argv],
    options: {
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      'lock-ms': { type: 'string' },
      'stalled-check-ms': { type: 'string' },
      'max-stalled': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const url = values.queue ?? process.env['HOSHIMI_QUEUE'];
  if (url === undefined || url === '') {
    throw new CliError(
      'USAGE',
      `hoshimi worker: --queue redis://HOST:PORT is required (or $HOSHIMI_QUEUE)\n\n${WORKER_USAGE}`,
    );
  }
  const warn = (line: string) => process.stderr.write(`worker: ${line}\n`);
  let concurrency = numberArg(values.concurrency, '--concurrency', { min: 1, integer: true }, 1);
  if (concurrency > availableParallelism()) {
    warn(
      `--concurrency ${concurrency}: this machine offers ${availableParallelism()} parallel threads; using that many`,
    );
    concurrency = availableParallelism();
  }
  const lockDurationMs = numberArg(
    values['lock-ms'],
    '--lock-ms',
    { min: 100, integer: true },
    DEFAULT_LOCK_DURATION_MS,
  );
  const stalledIntervalMs = numberArg(
    values['stalled-check-ms'],
    '--stalled-check-ms',
    { min: 100, integer: true },
    DEFAULT_STALLED_INTERVAL_MS,
  );
  const maxStalledCount = numberArg(
    values['max-stalled'],
    '--max-stalled',
    { min: 0, integer: true },
    DEFAULT_MAX_STALLED_COUNT,
  );
  const log =
    values.quiet === true
      ? () => undefined
      : (line: string) =>
          process.stderr.write(`${new Date().toISOString()} worker ${process.pid}: ${line}\n`);
  const worker = await startScreeningWorker({
    connection: url,
    concurrency,
    lockDurationMs,
    stalledIntervalMs,
    maxStalledCount,
    log,
  });
  process.stderr.write(
    `worker ${process.pid}: taking screening units from ${redactUrl(url)}, ${concurrency} at a time\n`,
  );
  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = (sig: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        process.stderr.write(
          `worker ${process.pid}: ${sig}: finishing the running units (again to hand them back)\n`,
        );
        void worker.close().then(resolve);
      } else {
        process.stderr.write(`worker ${process.pid}: ${sig}: handing the running units back\n`);
        void worker.close({ handBack: true });
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write(`worker ${process.pid}: stopped after ${worker.unitsDone()} units\n`);
  return 0;
}
