/**
 * `hoshimi case`: case files for consultation in the catalog store (the server's case service:
 * evidence gathered from the stored event or conjunction, immutable versions, markings).
 *
 * - `open --event ID | --conjunction S-N` opens a case; its evidence attaches itself.
 * - `list`, `show ID [--version N]` read what the reader (--org, --nation, --clearance) may see.
 * - `export ID --key PRIVATE.pem` writes the signed bundle (Ed25519); `--report FILE.html` also
 *   writes the self-contained printable report (`--lang en|ja`).
 * - `verify BUNDLE --key PUBLIC.pem` checks a bundle offline: signature, key, attachment hashes.
 *
 * The system gathers evidence; it never issues a verdict.
 */
import { writeFileSync } from 'node:fs';
import {
  checkNation,
  checkOrganisation,
  DEFAULT_SCHEME,
  formatMarking,
  levelRank,
  parseMarking,
  type Reader,
} from '@hoshimi/astro';
import {
  CaseServiceError,
  caseJson,
  caseReportHtml,
  exportCase,
  openCaseFromConjunction,
  openCaseFromEvent,
  verifyCaseExport,
} from '@hoshimi/server';
import { StoreError } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { checkOption, readEd25519KeyOption, readOptionFile } from '../option-checks.js';
import { sqliteDbPath, withStore } from './catalog-common.js';

export const CASE_USAGE = `Usage: hoshimi case <subcommand> [options]

Subcommands:
  open (--event ID | --conjunction SCREENING-N) [--title TEXT] [--marking BANNER]
        open a case from a stored event or conjunction; the evidence attaches itself
  list [--state draft|shared|closed] [--json]
  show ID [--version N] [--json]
  export ID --key PRIVATE.pem [--out FILE] [--report FILE.html] [--lang en|ja] [--version N]
        the signed bundle (JSON, Ed25519) and optionally the printable HTML report
  verify BUNDLE --key PUBLIC.pem
        check a signed case export offline (signature, key, attachment SHA-256)

Options:
  --db PATH          the catalog database (default $HOSHIMI_DB or ./hoshimi.db)
  --org CODE         your organisation (default $HOSHIMI_ORG)
  --nation XXX       your nation's trigraph (default $HOSHIMI_NATION)
  --user NAME        who acts (default $USER)
  --clearance LEVEL  what you may read (default the highest level of the scheme)
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
const usage = (m: string) => new CliError('USAGE', `${m}\n\n${CASE_USAGE}`);

const OPTIONS = {
  db: { type: 'string' },
  org: { type: 'string' },
  nation: { type: 'string' },
  user: { type: 'string' },
  clearance: { type: 'string' },
  event: { type: 'string' },
  conjunction: { type: 'string' },
  title: { type: 'string' },
  marking: { type: 'string' },
  state: { type: 'string' },
  version: { type: 'string' },
  key: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readerOf(values: { org?: string; nation?: string; clearance?: string }): Reader {
  const org = values.org ?? process.env['HOSHIMI_ORG'];
  const nation = values.nation ?? process.env['HOSHIMI_NATION'];
  if (org === undefined || nation === undefined)
    throw usage('--org and --nation (or $HOSHIMI_ORG, $HOSHIMI_NATION) are required');
  const clearance = values.clearance ?? DEFAULT_SCHEME.levels[DEFAULT_SCHEME.levels.length - 1]!;
  checkOption(values.org === undefined ? '$HOSHIMI_ORG' : '--org', () => checkOrganisation(org));
  checkOption(values.nation === undefined ? '$HOSHIMI_NATION' : '--nation', () => checkNation(nation));
  checkOption('--clearance', () => levelRank(DEFAULT_SCHEME, clearance));
  return { organisation: org, nation, clearance };
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw usage(`${flag}: expected an integer ≥ 1, got ${JSON.stringify(text)}`);
  return n;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CaseServiceError) throw new CliError(e.code, e.message, 1);
    if (e instanceof StoreError && (e.code === 'STORE_CASE_REFUSED' || e.code === 'STORE_BAD_CASE'))
      throw new CliError(String(e.details['code'] ?? e.code), e.message, 1);
    throw e;
  }
}

export async function caseCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(CASE_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (!['open', 'list', 'show', 'export', 'verify'].includes(sub))
    throw usage(`unknown case subcommand ${JSON.stringify(sub)}`);
  const { values, positionals } = parseCliArgs(`hoshimi case ${sub}`, CASE_USAGE, {
    args: [...rest],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (sub !== 'verify') sqliteDbPath(values.db, `hoshimi case ${sub}`, 'case files');

  if (sub === 'verify') {
    const file = positionals[0];
    if (file === undefined || values.key === undefined)
      throw usage('case verify needs BUNDLE and --key PUBLIC.pem');
    const text = readOptionFile('BUNDLE', file);
    const publicKey = readEd25519KeyOption('--key', values.key, 'public');
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch (e) {
      throw new CliError('CASE_BUNDLE_INVALID', `${file}: not JSON: ${(e as Error).message}`, 1);
    }
    const r = verifyCaseExport(bundle, publicKey);
    if (!r.ok) {
      err(`${file}: NOT VERIFIED [${r.code}] ${r.message}`);
      return 1;
    }
    const c = r.bundle['case'] as { id?: number; version?: number; title?: string; state?: string };
    out(
      `${file}: verified (key ${r.bundle.keyId}): case ${c.id} version ${c.version} "${c.title}" (${c.state}), marking ${String(r.bundle['marking'])}`,
    );
    return 0;
  }

  const reader = readerOf(values);
  if (sub === 'open') {
    if ((values.event === undefined) === (values.conjunction === undefined))
      throw usage('case open needs exactly one of --event ID and --conjunction SCREENING-N');
    let marking: ReturnType<typeof parseMarking> | undefined;
    if (values.marking !== undefined) {
      try {
        marking = parseMarking(DEFAULT_SCHEME, values.marking, reader.organisation);
      } catch (e) {
        throw usage(`--marking: ${(e as Error).message}`);
      }
    }
    const o = {
      actor: { username: values.user ?? process.env['USER'] ?? 'local', organisation: reader.organisation },
      owner: { organisation: reader.organisation, nation: reader.nation },
      reader,
      ...(marking === undefined ? {} : { marking }),
      ...(values.title === undefined ? {} : { title: values.title }),
    };
    const event = positiveInt(values.event, '--event');
    if (values.conjunction !== undefined && !/^\d{1,12}-\d{1,9}$/.test(values.conjunction))
      throw usage(
        `--conjunction: expected SCREENING-N (e.g. 12-3), got ${JSON.stringify(values.conjunction)}`,
      );
    const id = await withStore(values, 'write', (store) =>
      guarded(() =>
        event !== undefined
          ? openCaseFromEvent(store, event, o)
          : openCaseFromConjunction(store, values.conjunction ?? '', o),
      ),
    );
    out(`case ${id} opened (version 1, draft)`);
    return 0;
  }
  if (sub === 'list') {
    const state = values.state;
    if (state !== undefined && !['draft', 'shared', 'closed'].includes(state))
      throw usage('--state: draft, shared or closed');
    const list = await withStore(values, 'read', (store) =>
      store.cases().listCases(reader, state === undefined ? {} : { state: state as 'draft' }),
    );
    if (values.json)
      out(
        JSON.stringify(
          list.map((c) => ({ ...c, marking: formatMarking(c.marking) })),
          null,
          2,
        ),
      );
    else {
      out(
        `${'ID'.padStart(5)} ${'STATE'.padEnd(7)} ${'VER'.padStart(4)} ${'OWNER'.padEnd(10)} ${'MARKING'.padEnd(32)} TITLE`,
      );
      for (const c of list)
        out(
          `${String(c.id).padStart(5)} ${c.state.padEnd(7)} ${String(c.latestVersion).padStart(4)} ${c.owner.padEnd(10)} ${formatMarking(c.marking).padEnd(32)} ${c.title}`,
        );
    }
    err(`${list.length} cases`);
    return 0;
  }
  const id = positiveInt(positionals[0], 'ID');
  if (id === undefined) throw usage(`case ${sub} needs a case ID`);
  const version = positiveInt(values.version, '--version');
  if (sub === 'show') {
    const c = await withStore(values, 'read', (store) => store.cases().getCase(reader, id, version));
    if (c === null)
      throw new CliError(
        'NOT_FOUND',
        `no case ${id}${version === undefined ? '' : ` version ${version}`}`,
        1,
      );
    if (values.json) {
      out(JSON.stringify(caseJson(c), null, 2));
      return 0;
    }
    const v = c.version;
    out(`${formatMarking(v.marking)}`);
    out(`case ${c.id} version ${v.version}/${c.latestVersion}: ${v.title}`);
    out(
      `state ${v.state}; owner ${v.content.owner.organisation}; partners ${v.content.partners.map((p) => p.organisation).join(', ') || 'none'}`,
    );
    out(
      `opened from ${c.source.kind} ${c.source.id ?? ''} (${c.source.type}) by ${c.createdBy} at ${c.createdAt}`,
    );
    out('evidence:');
    for (const a of c.attachments)
      out(`  ${a.id} ${a.name} ${a.mediaType} ${a.size} B sha256 ${a.sha256} [${formatMarking(a.marking)}]`);
    out(
      `indicators ${v.content.indicators.length}, hypotheses ${v.content.hypotheses.length}, assessments ${v.content.assessments.length}, notes ${c.notes.length}`,
    );
    for (const r of v.content.responses) out(`  ${r.organisation} ${r.position}s: ${r.reasons}`);
    return 0;
  }
  // export
  if (values.key === undefined) throw usage('case export needs --key PRIVATE.pem (Ed25519)');
  const lang = values.lang ?? 'en';
  if (lang !== 'en' && lang !== 'ja') throw usage(`--lang: en or ja, got ${JSON.stringify(lang)}`);
  const key = readEd25519KeyOption('--key', values.key, 'private');
  const { bundle, html } = await withStore(values, 'read', async (store) => ({
    bundle: await exportCase(store, reader, id, key, values.user ?? process.env['USER'] ?? 'local', version),
    html: values.report === undefined ? null : await caseReportHtml(store, reader, id, lang, version),
  }));
  if (bundle === null) throw new CliError('NOT_FOUND', `no case ${id}`, 1);
  const text = `${JSON.stringify(bundle, null, 1)}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
  if (values.report !== undefined && html !== null) writeFileSync(values.report, html);
  err(
    `case ${id}: signed with key ${bundle.keyId}${values.report === undefined ? '' : `; report ${values.report}`}`,
  );
  return 0;
}
