/**
 * `hoshimi serve`: the HTTP API (and, once built, the web console) over a catalog store. A missing
 * database is created empty, and an empty one is served, each with a message saying how to fill it.
 *
 * Operations: the log is JSON lines on stdout (server ops/logging.ts; --log-level, --quiet for
 * none); --metrics-port serves Prometheus metrics on a listener of its own (loopback unless
 * --metrics-host); on SIGINT/SIGTERM the server shuts down gracefully (ops/shutdown.ts: /ready
 * answers 503 and new jobs are refused at once, running jobs get --shutdown-grace seconds, then
 * are cancelled with SERVER_STOPPED; the listeners and the store close; exit 0). A second signal
 * exits at once (128 + the signal's number; jobs still running are marked SERVER_RESTARTED by the
 * next start).
 */
import { createPrivateKey } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HbrTable } from '@hoshimi/astro/conjunction';
import { checkRedisUrl, JobQueue, redactUrl } from '@hoshimi/queue';
import {
  buildExchangeListener,
  buildMetricsListener,
  buildServer,
  DEFAULT_BUNDLE_ITEMS,
  defaultKeyPath,
  drainServer,
  ExchangeService,
  isLogLevel,
  LOG_LEVELS,
  loadNodeIdentity,
  serverLogOptions,
} from '@hoshimi/server';
import { isPostgresUrl, type SqliteStoreOptions } from '@hoshimi/store';
import { parseCliArgs, workersArg } from '../args.js';
import { loadCliContext, referenceDataDir } from '../data.js';
import { CliError } from '../errors.js';
import { loadHbrTable } from '../hbr.js';
import { openCatalogStore, requireSqliteStore, storeName } from '../store-location.js';

export const SERVE_USAGE = `Usage: hoshimi serve [--db PATH] [--host H] [--port N] [--quiet | --log-level L]
       [--metrics-port N [--metrics-host H]] [--shutdown-grace SECONDS]
       [--exchange-port N --tls-cert FILE --tls-key FILE [--tls-ca FILE]]

Serves the Hoshimi HTTP API over a catalog store: the API document at /openapi.json, its docs page
at /docs, /health (liveness) and /ready (readiness: 503 when the store does not answer or the
server is shutting down). A missing database is created empty (and said so); import a catalog with
'hoshimi catalog import FILE --db PATH' or 'hoshimi catalog sync'.
  --db PATH     the catalog store (default $HOSHIMI_DB, else out/hoshimi.db)
  --host H      address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port N      port (default 8080; 0 picks a free one)
  --quiet       no log at all (the same as --log-level silent)
  --log-level L the log's level: fatal, error, warn, info (default), debug, trace, silent. The log
                is JSON lines on stdout: time, level, msg; a line per request (reqId, method, url,
                route, status, responseTimeMs) and per job step (jobId, kind, state, durationMs,
                code); never a token, cookie or password
  --metrics-port N  serve Prometheus metrics at http://HOST:N/metrics on a listener of its own
                (request latency by route, jobs by kind and state, queue depth, process metrics;
                no catalog data, no user names)
  --metrics-host H  address of the metrics listener (default 127.0.0.1: loopback only)
  --shutdown-grace SECONDS  on SIGTERM/SIGINT, how long running jobs may go on before they are
                cancelled (default 30); /ready answers 503 and new jobs are refused at once. A
                second signal stops at once
  --trust-proxy behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers (client
                address for the login rate limit, https for the Secure session cookie)
  --import-dir DIR  a folder whose files import jobs may read by path (repeatable; default none:
                uploads to POST /jobs/import only)
  --workers N   worker threads of a screening job (default every core)
  --hbr-table FILE  hard-body radii for Pc (CARA's HBR_Mass_Estimates CSV, gzip too; default the
                reference data's table when present, else 10 m per object)
  --audit-checkpoints FILE  every --audit-checkpoint-every records of the audit log (default 1000),
                append the head {seq, hash} to FILE as one JSON line (keep FILE on another disk or
                machine: it is the anchor 'hoshimi audit verify --checkpoint FILE' checks against)
  --audit-key PEM  sign those checkpoints with this Ed25519 private key
Every request and every change is appended to the store's hash-chained audit log ('hoshimi audit').
  --exchange-port N  also serve the node exchange to partners on this port (HTTPS, mutual TLS;
                needs --tls-cert and --tls-key, and 'hoshimi exchange keygen' run once)
  --tls-cert FILE, --tls-key FILE  this node's TLS certificate and key (PEM)
  --tls-ca FILE  a CA whose client certificates the exchange accepts (repeatable; each partner's
                pinned CA is accepted too)
  --exchange-key PATH  the node's Ed25519 key (default beside the database: DB.exchange-key.pem);
                when the node has one, it also signs case exports (unless $HOSHIMI_CASE_SIGNING_KEY
                names another PEM file); with neither, a key made at start-up signs them
  --bundle-items N  element sets per bundle the exchange builds (default 2000)
Every route but the console, /openapi.json, /docs, /health and POST /auth/login needs credentials:
an API token ('hoshimi token create', sent as Authorization: Bearer …) or a console login
('hoshimi org add', 'hoshimi user add'). A store without an admin user is served with a message
saying how to create one.
Jobs (screening, maneuvers, rpo, import) run in the background (POST /jobs, progress at
/jobs/ID/events); watch lists screen on their schedules and raise alerts (/watch-lists, /alerts).
  --queue URL   put jobs on this Redis (redis://HOST:PORT[/DB], default $HOSHIMI_QUEUE): every
                server started with the same queue and store takes jobs from it, a job outlives
                the server that accepted it, and a stopping server hands its running jobs back;
                screening jobs are split into units that 'hoshimi worker --queue URL' processes
                screen (start at least one)
  --queue-jobs N  jobs this server takes from the queue at once (default 1; 0: it only accepts
                and watches jobs, others run them)
  --queue-lock-seconds S  a server silent this long has lost its running jobs: another takes them
                again (default 30; shorter finds a dead server sooner, too short takes jobs from
                a busy one)
`;

/** What to do when the store has no admin: every API route needs credentials, so say how to get some. */
export function noAdminMessage(db: string): string {
  return `serve: ${db} has no admin user, and every API route but /health needs credentials. Create one:
  hoshimi org add ORG --nation USA --name "Your organisation" --db ${db}
  HOSHIMI_PASSWORD='a long passphrase' hoshimi user add admin --org ORG --role admin --clearance SECRET --password-env HOSHIMI_PASSWORD --db ${db}
then log in to the console, or make an API token: hoshimi token create --user admin --scopes read,write,admin --db ${db}
`;
}

export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi serve', SERVE_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      quiet: { type: 'boolean' },
      'log-level': { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      'shutdown-grace': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'import-dir': { type: 'string', multiple: true },
      workers: { type: 'string' },
      'hbr-table': { type: 'string' },
      'audit-checkpoints': { type: 'string' },
      'audit-checkpoint-every': { type: 'string' },
      'audit-key': { type: 'string' },
      'exchange-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string', multiple: true },
      'exchange-key': { type: 'string' },
      'bundle-items': { type: 'string' },
      queue: { type: 'string' },
      'queue-jobs': { type: 'string' },
      'queue-lock-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const dbLocation = values.db ?? process.env['HOSHIMI_DB'] ?? 'out/hoshimi.db';
  // PostgreSQL: identity and the audit log are there, the node exchange and case files not yet
  // (their routes answer 501 STORE_UNSUPPORTED); the exchange listener is refused before starting.
  const postgres = isPostgresUrl(dbLocation);
  if (postgres && values['exchange-port'] !== undefined) {
    requireSqliteStore(dbLocation, 'hoshimi serve --exchange-port', 'the node exchange');
  }
  const db = storeName(dbLocation);
  const host = values.host ?? '127.0.0.1';
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError('USAGE', `--port: expected an integer 0..65535, got ${values.port}`);
  }
  const exchangePort = values['exchange-port'] === undefined ? undefined : Number(values['exchange-port']);
  if (
    exchangePort !== undefined &&
    (!Number.isInteger(exchangePort) || exchangePort < 0 || exchangePort > 65535)
  ) {
    throw new CliError(
      'USAGE',
      `--exchange-port: expected an integer 0..65535, got ${values['exchange-port']}`,
    );
  }
  if (exchangePort !== undefined && (values['tls-cert'] === undefined || values['tls-key'] === undefined)) {
    throw new CliError('USAGE', '--exchange-port needs --tls-cert and --tls-key (mutual TLS between nodes)');
  }
  const bundleItems =
    values['bundle-items'] === undefined ? DEFAULT_BUNDLE_ITEMS : Number(values['bundle-items']);
  if (!Number.isInteger(bundleItems) || bundleItems < 1 || bundleItems > 100_000) {
    throw new CliError(
      'USAGE',
      `--bundle-items: expected an integer 1..100000, got ${values['bundle-items']}`,
    );
  }
  const queueUrl = values.queue ?? (process.env['HOSHIMI_QUEUE'] || undefined);
  if (values['queue-jobs'] !== undefined && queueUrl === undefined) {
    throw new CliError('USAGE', '--queue-jobs goes with --queue (or $HOSHIMI_QUEUE)');
  }
  if (queueUrl !== undefined) {
    try {
      checkRedisUrl(queueUrl);
    } catch (e) {
      throw new CliError((e as { code?: string }).code ?? 'USAGE', `--queue: ${(e as Error).message}`);
    }
  }
  const queueJobs = values['queue-jobs'] === undefined ? 1 : Number(values['queue-jobs']);
  if (!Number.isInteger(queueJobs) || queueJobs < 0 || queueJobs > 64) {
    throw new CliError('USAGE', `--queue-jobs: expected an integer 0..64, got ${values['queue-jobs']}`);
  }
  if (values['queue-lock-seconds'] !== undefined && queueUrl === undefined) {
    throw new CliError('USAGE', '--queue-lock-seconds goes with --queue (or $HOSHIMI_QUEUE)');
  }
  const lockSeconds =
    values['queue-lock-seconds'] === undefined ? undefined : Number(values['queue-lock-seconds']);
  if (
    lockSeconds !== undefined &&
    !(Number.isFinite(lockSeconds) && lockSeconds >= 1 && lockSeconds <= 3600)
  ) {
    throw new CliError(
      'USAGE',
      `--queue-lock-seconds: expected seconds 1..3600, got ${values['queue-lock-seconds']}`,
    );
  }
  const readPem = (path: string, flag: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new CliError('USAGE', `${flag}: cannot read ${path}: ${(e as Error).message}`);
    }
  };
  const exchangeTls =
    exchangePort === undefined
      ? undefined
      : {
          cert: readPem(values['tls-cert']!, '--tls-cert'),
          key: readPem(values['tls-key']!, '--tls-key'),
          ca: (values['tls-ca'] ?? []).map((f) => readPem(f, '--tls-ca')),
        };
  const ops = opsOptions(values);
  const warn = (line: string) => process.stderr.write(`serve: ${line}\n`);
  const workers = workersArg(values.workers, warn);
  const importRoots = (values['import-dir'] ?? []).map((d) => resolve(d));
  for (const d of importRoots) {
    if (!existsSync(d)) throw new CliError('USAGE', `--import-dir: no folder ${d}`);
  }
  const hbrPath =
    values['hbr-table'] ??
    join(referenceDataDir(), 'pc-cases/cara/HBR_Mass_Estimates_20260601_ForDistribution.csv.gz');
  let hbrTable: HbrTable | undefined;
  try {
    hbrTable = loadHbrTable(hbrPath);
  } catch (e) {
    if (values['hbr-table'] !== undefined) throw e;
    warn(`no HBR table (${hbrPath}): screening jobs give every object the default radius`);
  }
  const existed = postgres || existsSync(dbLocation);
  const store = await openCatalogStore(dbLocation, { mode: 'create', ...auditCheckpointOptions(values) });
  const objects = (await store.selectObjects({})).catalogNumbers.length;
  if (!existed) {
    process.stderr.write(
      `serve: ${db} did not exist: created an empty catalog store. Fill it with 'hoshimi catalog import FILE --db ${db}'.\n`,
    );
  } else if (objects === 0) {
    process.stderr.write(`serve: ${db} holds no catalog objects yet; the API answers with empty lists.\n`);
  }
  if ((await store.identity.countActiveAdmins()) === 0) process.stderr.write(noAdminMessage(db));
  // The node's identity key: the exchange needs it (and creates it on first use); when the node has
  // one it also signs case exports, so partners verify them with the key they trust for the node.
  const keyPath = values['exchange-key'] ?? defaultKeyPath(db);
  let identity: Awaited<ReturnType<typeof loadNodeIdentity>> | undefined;
  try {
    if (exchangePort !== undefined) identity = await loadNodeIdentity(store, keyPath);
    else if (!postgres && (await store.exchange.nodeInfo()) !== null && existsSync(keyPath))
      identity = await loadNodeIdentity(store, keyPath, { create: false });
  } catch (e) {
    await store.close();
    throw e;
  }
  const caseKeyEnv = process.env['HOSHIMI_CASE_SIGNING_KEY'];
  if (caseKeyEnv === undefined || caseKeyEnv === '') {
    if (identity === undefined)
      warn(
        `no node identity ('hoshimi exchange keygen') and no $HOSHIMI_CASE_SIGNING_KEY: case exports are signed with a key made for this run only`,
      );
  }
  let queue: JobQueue | undefined;
  if (queueUrl !== undefined) {
    try {
      queue = await JobQueue.open(
        queueUrl,
        lockSeconds === undefined ? {} : { lockDurationMs: lockSeconds * 1000 },
      );
    } catch (e) {
      await store.close();
      const code = (e as { code?: string }).code ?? 'QUEUE_UNREACHABLE';
      throw new CliError(code, `--queue ${redactUrl(queueUrl)}: ${(e as Error).message}`);
    }
  }
  const app = await buildServer({
    store,
    storeLabel: db,
    logger: ops.logger,
    trustProxy: values['trust-proxy'] === true,
    ...(identity === undefined ? {} : { nodeKey: identity.privateKey }),
    jobs: {
      importRoots,
      screeningWorkers: workers,
      ...(hbrTable === undefined ? {} : { hbrTable }),
      ...(queue === undefined || queueUrl === undefined
        ? {}
        : {
            queue,
            screeningQueue: queueUrl,
            takeJobs: queueJobs > 0,
            ...(queueJobs > 0 ? { concurrency: queueJobs } : {}),
          }),
    },
    // Leap seconds and EOP (GCRF/ITRF ephemerides, CDMs), read on first use from the data folders.
    context: () => {
      try {
        return loadCliContext({ withEop: true, tolerant: true }, (line) => process.stderr.write(`${line}\n`));
      } catch (e) {
        process.stderr.write(
          `serve: no leap-second/EOP tables (${(e as Error).message}); TEME only, no CDMs\n`,
        );
        return undefined;
      }
    },
  });
  // Handlers in place before anything listens: a signal in the start-up shuts down once started.
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    await store.close();
    throw new CliError('SERVE_LISTEN', `cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  let exchange: Awaited<ReturnType<typeof buildExchangeListener>> | undefined;
  if (exchangePort !== undefined && exchangeTls !== undefined && identity !== undefined) {
    try {
      const service = new ExchangeService({
        store,
        identity,
        bundleItems,
        context: () => app.astroContext(),
      });
      exchange = await buildExchangeListener({
        service,
        tls: exchangeTls,
        logger: ops.logger,
      });
      const exchangeAddress = await exchange.listen({ host, port: exchangePort });
      process.stdout.write(
        `Hoshimi exchange on ${exchangeAddress} (node ${identity.organisation}, ${identity.nation})\n`,
      );
    } catch (e) {
      await app.close();
      await exchange?.close();
      await store.close();
      throw e;
    }
  }
  // --- operations: the metrics listener ---
  let metrics: Awaited<ReturnType<typeof buildMetricsListener>> | undefined;
  if (ops.metricsPort !== undefined) {
    try {
      metrics = await buildMetricsListener({ metrics: app.metrics, logger: ops.logger });
      const metricsAddress = await metrics.listen({ host: ops.metricsHost, port: ops.metricsPort });
      process.stdout.write(`Hoshimi metrics on ${metricsAddress}/metrics\n`);
    } catch (e) {
      await exchange?.close();
      await app.close();
      await metrics?.close();
      await store.close();
      throw new CliError(
        'SERVE_LISTEN',
        `cannot listen on ${ops.metricsHost}:${ops.metricsPort} (--metrics-port): ${(e as Error).message}`,
      );
    }
  }
  process.stdout.write(
    `Hoshimi API on ${address} (store ${db}, ${objects} objects${queue === undefined ? '' : `, jobs on ${queue.label}`}); API document ${address}/openapi.json, docs ${address}/docs\n`,
  );
  // --- operations: graceful shutdown (a second signal exits at once) ---
  const signal = await signalled;
  const now = (second: NodeJS.Signals) => {
    app.log.warn({ signal: second }, 'shutdown: second signal, exiting at once');
    process.stderr.write(`serve: ${second} again: stopped at once\n`);
    process.exit(128 + (second === 'SIGINT' ? 2 : 15));
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  app.log.info({ signal, graceSeconds: ops.graceMs / 1000 }, 'shutdown: signal received');
  process.stderr.write(
    `serve: ${signal}: stopping (not ready, no new jobs; running jobs have ${ops.graceMs / 1000} s)\n`,
  );
  await drainServer(app, { graceMs: ops.graceMs });
  await exchange?.close();
  await app.close();
  await metrics?.close();
  await store.close();
  app.log.info('shutdown: stopped');
  process.stderr.write('serve: stopped\n');
  return 0;
}

/** The operations flags: the log, the metrics listener, the shutdown grace. */
function opsOptions(values: {
  quiet?: boolean | undefined;
  'log-level'?: string | undefined;
  'metrics-port'?: string | undefined;
  'metrics-host'?: string | undefined;
  'shutdown-grace'?: string | undefined;
}): {
  logger: ReturnType<typeof serverLogOptions> | false;
  metricsPort: number | undefined;
  metricsHost: string;
  graceMs: number;
} {
  const level = values['log-level'];
  if (level !== undefined && values.quiet === true) {
    throw new CliError('USAGE', '--quiet and --log-level: give one (--quiet is --log-level silent)');
  }
  if (level !== undefined && !isLogLevel(level)) {
    throw new CliError('USAGE', `--log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${level}`);
  }
  const effective = values.quiet === true ? 'silent' : (level ?? 'info');
  const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
  if (
    metricsPort !== undefined &&
    (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)
  ) {
    throw new CliError(
      'USAGE',
      `--metrics-port: expected an integer 0..65535, got ${values['metrics-port']}`,
    );
  }
  if (values['metrics-host'] !== undefined && metricsPort === undefined) {
    throw new CliError('USAGE', '--metrics-host needs --metrics-port');
  }
  const grace = values['shutdown-grace'] === undefined ? 30 : Number(values['shutdown-grace']);
  if (!Number.isFinite(grace) || grace < 0 || grace > 86_400) {
    throw new CliError(
      'USAGE',
      `--shutdown-grace: expected seconds 0..86400, got ${values['shutdown-grace']}`,
    );
  }
  return {
    logger:
      effective === 'silent'
        ? false
        : serverLogOptions({ level: isLogLevel(effective) ? effective : 'info' }),
    metricsPort,
    metricsHost: values['metrics-host'] ?? '127.0.0.1',
    graceMs: Math.round(grace * 1000),
  };
}

/** The periodic audit checkpoints of --audit-checkpoints, --audit-checkpoint-every, --audit-key. */
function auditCheckpointOptions(values: {
  'audit-checkpoints'?: string | undefined;
  'audit-checkpoint-every'?: string | undefined;
  'audit-key'?: string | undefined;
}): { auditCheckpoints?: NonNullable<SqliteStoreOptions['auditCheckpoints']> } {
  const file = values['audit-checkpoints'];
  if (file === undefined) {
    if (values['audit-key'] !== undefined || values['audit-checkpoint-every'] !== undefined) {
      throw new CliError('USAGE', '--audit-key and --audit-checkpoint-every need --audit-checkpoints FILE');
    }
    return {};
  }
  const every =
    values['audit-checkpoint-every'] === undefined ? 1000 : Number(values['audit-checkpoint-every']);
  if (!Number.isSafeInteger(every) || every < 1) {
    throw new CliError(
      'USAGE',
      `--audit-checkpoint-every: expected an integer ≥ 1, got ${values['audit-checkpoint-every']}`,
    );
  }
  let privateKeyPem: string | undefined;
  if (values['audit-key'] !== undefined) {
    try {
      privateKeyPem = readFileSync(values['audit-key'], 'utf8');
      if (createPrivateKey(privateKeyPem).asymmetricKeyType !== 'ed25519')
        throw new Error('not an Ed25519 key');
    } catch (e) {
      throw new CliError('USAGE', `--audit-key: cannot read ${values['audit-key']}: ${(e as Error).message}`);
    }
  }
  try {
    appendFileSync(file, '');
  } catch (e) {
    throw new CliError('USAGE', `--audit-checkpoints: cannot append to ${file}: ${(e as Error).message}`);
  }
  return {
    auditCheckpoints: {
      records: every,
      ...(privateKeyPem === undefined ? {} : { privateKeyPem }),
      sink: (cp) => {
        try {
          appendFileSync(file, `${JSON.stringify(cp)}\n`);
        } catch (e) {
          process.stderr.write(
            `serve: audit checkpoint ${cp.seq} not written to ${file}: ${(e as Error).message}\n`,
          );
        }
      },
    },
  };
}
