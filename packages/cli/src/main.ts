/**
 * Entry point of the `hoshimi` command: dispatches to a command and turns errors into one clear
 * line and an exit code (README "Command-line conventions"): 0 done (and every --help), 1 a run
 * that finished with failures or an internal error, 2 a usage or input error, 128+n interrupted
 * by signal n. Outputs still staged when an error arrives are removed first. An internal error
 * prints its stack trace only with HOSHIMI_DEBUG=1.
 */
import { userInfo } from 'node:os';
import { AstroError } from '@hoshimi/astro';
import { type AuditActor, runWithAuditActor, SYSTEM_ACTOR } from '@hoshimi/store';
import { auditCommand } from './commands/audit.js';
import { breakupCommand } from './commands/breakup.js';
import { caseCommand } from './commands/case.js';
import { catalogCommand } from './commands/catalog.js';
import { cdmCommand } from './commands/cdm.js';
import { correlateCommand } from './commands/correlate.js';
import { dataCommand } from './commands/data.js';
import { eventsCommand } from './commands/events.js';
import { exchangeCommand } from './commands/exchange.js';
import { fragmentationCommand } from './commands/fragmentation.js';
import { orgCommand, tokenCommand, userCommand } from './commands/identity.js';
import { maneuversCommand } from './commands/maneuvers.js';
import { observeCommand } from './commands/observe.js';
import { odCommand } from './commands/od.js';
import { passesCommand } from './commands/passes.js';
import { pcCommand } from './commands/pc.js';
import { propagateCommand } from './commands/propagate.js';
import { reentryCommand } from './commands/reentry.js';
import { rpoCommand } from './commands/rpo.js';
import { screenCommand } from './commands/screen.js';
import { sensorsCommand } from './commands/sensors.js';
import { serveCommand } from './commands/serve.js';
import { storeCommand } from './commands/store.js';
import { workerCommand } from './commands/worker.js';
import { CliError, CliExit } from './errors.js';
import { rollbackAllOutputs } from './io.js';

const USAGE = `Usage: hoshimi <command> [options]

Commands:
  propagate   SGP4 (or numerical) ephemerides of an element file (TLE, 3LE, OMM, GP JSON/CSV)
  catalog     the catalog store: import, list, show, history, diff, export, sync, log
  cdm         CCSDS Conjunction Data Messages: convert between KVN and XML
  screen      conjunction screening of a catalog, with Pc, a report and CDMs
  maneuvers   maneuver detection on element-set histories (table, JSON, SVG chart)
  pc          probability of collision of a CDM's conjunction (Foster, Chan, Alfano max)
  rpo         rendezvous and proximity operations: pairs that come and stay close, labelled
  reentry     reentry prediction of one object: epoch, window, ground track, RDM
  breakup     simulated breakups (NASA standard breakup model): fragments as OMM for screening
  data        time and Earth-orientation tables: status, update (downloads fresh files)
  events      detection events in the store: list, import
  case        case files for consultation: open from an event, list, show, export (signed), verify
  fragmentation  breakups: detect new-object groups and their parent, estimate epoch and place
  serve       the HTTP API over a catalog store (OpenAPI document at /openapi.json)
  worker      a worker of distributed screening: takes units from a Redis queue (--queue URL)
  audit       the store's hash-chained audit log: verify, export, list, checkpoint
  store       the catalog store's settings: classification levels, home organisation
  org         organisations (partners) allowed on this node: add, list
  user        users of this node: add, list, password, disable, enable
  token       API tokens: create (secret shown once), revoke, list
  exchange    sharing with partner nodes: identity, partners, signed sync over mutual TLS
  sensors     the sensor file: list the sensors with their sites, limits, noise and sources
  passes      passes of catalog objects over a sensor, with the observable intervals
  observe     simulated observations of catalog objects by sensors, written as a CCSDS TDM
  od          orbit determination from TDM or CRD observations (least squares, with covariance)
  correlate   assign observation tracks to catalog objects, or declare them uncorrelated (UCT)

Run 'hoshimi <command> --help' for a command's options.
`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  propagate: propagateCommand,
  catalog: catalogCommand,
  cdm: cdmCommand,
  pc: pcCommand,
  maneuvers: maneuversCommand,
  screen: screenCommand,
  rpo: rpoCommand,
  reentry: reentryCommand,
  breakup: breakupCommand,
  data: dataCommand,
  events: eventsCommand,
  case: caseCommand,
  fragmentation: fragmentationCommand,
  serve: serveCommand,
  audit: auditCommand,
  store: storeCommand,
  org: orgCommand,
  user: userCommand,
  token: tokenCommand,
  exchange: exchangeCommand,
  sensors: sensorsCommand,
  passes: passesCommand,
  observe: observeCommand,
  od: odCommand,
  correlate: correlateCommand,
  worker: workerCommand,
};

/**
 * Who the store's audit log names for changes made by a command: the user running it (`via`
 * 'cli'); for `serve`, the system (requests carry their own principal).
 */
function cliActor(command: string): AuditActor {
  if (command === 'serve') return SYSTEM_ACTOR;
  let username: string | null = null;
  try {
    username = userInfo().username;
  } catch {
    // no passwd entry for this uid
  }
  return { username, organisation: null, via: 'cli' };
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write('hoshimi 0.1.0\n');
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`hoshimi: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await runWithAuditActor(cliActor(command), () => run(rest));
  } catch (e) {
    if (e instanceof CliExit) return e.exitCode;
    rollbackAllOutputs();
    return report(e, command);
  }
}

/**
 * Screening options checked inside @hoshimi/astro, by the flag that sets them: a range error names
 * what the user typed, not the library's field.
 */
const OPTION_FLAGS: Record<string, string> = {
  durationDays: '--days',
  thresholdKm: '--threshold-km',
  'ellipsoid.radialKm': '--ellipsoid (R)',
  'ellipsoid.inTrackKm': '--ellipsoid (I)',
  'ellipsoid.crossTrackKm': '--ellipsoid (C)',
};

function optionMessage(e: AstroError): string {
  const key = e.details['key'];
  const flag = typeof key === 'string' ? OPTION_FLAGS[key] : undefined;
  if (e.code !== 'SCREENING_OPTION' || flag === undefined) return e.message;
  return `${flag}: expected a number in ${String(e.details['expected'])}, got ${String(e.details['found'])}`;
}

/** The store's and the sync clients' errors carry a stable upper-case string code, like AstroError. */
function isCodedError(e: unknown): e is Error & { code: string } {
  return (
    e instanceof Error &&
    typeof (e as { code?: unknown }).code === 'string' &&
    /^[A-Z][A-Z0-9_]+$/.test((e as unknown as { code: string }).code)
  );
}

function report(e: unknown, command: string): number {
  if (e instanceof CliError) {
    process.stderr.write(`hoshimi: [${e.code}] ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof AstroError) {
    process.stderr.write(`hoshimi: [${e.code}] ${optionMessage(e)}\n`);
    return 2;
  }
  if (isCodedError(e)) {
    process.stderr.write(`hoshimi: [${e.code}] ${e.message}\n`);
    return 2;
  }
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`hoshimi: ${(e as Error).message} (see 'hoshimi ${command} --help')\n`);
    return 2;
  }
  if (process.env['HOSHIMI_DEBUG'] === '1') {
    process.stderr.write(`hoshimi: internal error: ${(e as Error).stack ?? String(e)}\n`);
  } else {
    process.stderr.write(
      `hoshimi: internal error: ${(e as Error).message ?? String(e)} (HOSHIMI_DEBUG=1 shows where; please report it)\n`,
    );
  }
  return 1;
}
