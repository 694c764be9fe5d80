/**
 * `hoshimi audit`: the store's append-only, hash-chained audit log (@hoshimi/store audit-chain.ts
 * says what a verification detects and what needs an anchor).
 *
 * - `verify` walks the chain of a database (`--db`) or of an export file (`--file`): exit 0 when
 *   intact, 1 when broken, naming the first bad record and what is wrong with it. `--head SEQ:HASH`
 *   or `--checkpoint FILE` (its last line; `--public-key PEM` checks its Ed25519 signature) is the
 *   anchor that makes a cut-off tail or a rewritten chain visible.
 * - `export` writes the log as JSON Lines (a header, then one record per line), verifiable alone.
 * - `list` prints the newest records; `checkpoint` appends the current head (signed with `--key`)
 *   to a file to be kept elsewhere, and logs that it did.
 * The database (a SQLite file, or a PostgreSQL URL: `--db postgres://…`) is opened read-only
 * except by `checkpoint`.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import {
  type AuditAnchor,
  type AuditCheckpoint,
  type AuditLog,
  type AuditRecord,
  type AuditVerifyReport,
  checkAuditCheckpointSignature,
  formatAuditAnchor,
  parseAuditAnchor,
  verifyAuditExport,
} from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { openOutput, readTextInput } from '../io.js';
import { storeName, withCatalogStore } from '../store-location.js';
import { dbPath } from './catalog-common.js';

export const AUDIT_USAGE = `Usage: hoshimi audit <subcommand> [options]

Subcommands:
  verify (--db PATH | --file FILE) [--head SEQ:HASH | --checkpoint FILE [--public-key PEM]]
        walk the hash chain; exit 0 intact, 1 broken (the first bad record is named)
  export --db PATH --out FILE [--from SEQ]
        the log as JSON Lines (a header line, then one record per line), verifiable on its own
  list --db PATH [--limit N] [--json]
        the newest records (default 20)
  checkpoint --db PATH [--key PEM] [--out FILE]
        the current head {seq, hash}, signed with an Ed25519 private key when --key is given,
        appended as one JSON line to FILE (default: standard output); keep it elsewhere

Options:
  --db PATH        the catalog database (default $HOSHIMI_DB or ./hoshimi.db), or a PostgreSQL
                   URL postgres://user@host:port/database
  --head SEQ:HASH  an anchor: record SEQ must exist with this hash (from an earlier verify,
                   export or checkpoint); without one a cut-off tail cannot be detected
  --checkpoint F   the anchor from the last line of a checkpoint file
  --public-key P   the checkpoint signer's public key (PEM); the signature must verify
`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}\n\n${AUDIT_USAGE}`);
}

export async function auditCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'verify':
      return verifyCmd(rest);
    case 'export':
      return exportCmd(rest);
    case 'list':
      return listCmd(rest);
    case 'checkpoint':
      return checkpointCmd(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(AUDIT_USAGE);
      return sub === undefined ? 2 : 0;
    default:
      throw usage(`unknown audit subcommand ${JSON.stringify(sub)}`);
  }
}

/** Opens the store (a SQLite file or a PostgreSQL URL) and runs `fn` on its audit log. */
async function withAudit<T>(
  db: string | undefined,
  mode: 'read' | 'write',
  fn: (store: { readonly audit: AuditLog }) => Promise<T>,
): Promise<T> {
  return withCatalogStore(dbPath(db), { mode }, (store) => {
    const audit = store.audit;
    if (audit === undefined) {
      throw new CliError('STORE_NO_AUDIT', `${storeName(dbPath(db))}: this store keeps no audit log`);
    }
    return fn({ audit });
  });
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw usage(`${flag}: expected an integer ≥ 1, got ${JSON.stringify(text)}`);
  return n;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError('INPUT_UNREADABLE', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The anchor of --head or --checkpoint (with its signature checked under --public-key). */
function anchorOf(values: {
  head?: string | undefined;
  checkpoint?: string | undefined;
  'public-key'?: string | undefined;
}): AuditAnchor | undefined {
  if (values.head !== undefined && values.checkpoint !== undefined) {
    throw usage('give --head or --checkpoint, not both');
  }
  if (values['public-key'] !== undefined && values.checkpoint === undefined) {
    throw usage('--public-key checks the signature of a --checkpoint file');
  }
  if (values.head !== undefined) {
    const a = parseAuditAnchor(values.head);
    if (a === null) {
      throw usage(
        `--head: expected SEQ:HASH (a record number, a colon, 64 hex digits), got ${JSON.stringify(values.head)}`,
      );
    }
    return a;
  }
  if (values.checkpoint === undefined) return undefined;
  const lines = readText(values.checkpoint, 'checkpoint file')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const last = lines[lines.length - 1];
  let cp: AuditCheckpoint;
  try {
    cp = JSON.parse(last ?? '') as AuditCheckpoint;
  } catch {
    throw new CliError('AUDIT_CHECKPOINT', `${values.checkpoint}: the last line is not a JSON checkpoint`);
  }
  const anchor = parseAuditAnchor(`${String(cp.seq)}:${String(cp.hash)}`);
  if (anchor === null) {
    throw new CliError(
      'AUDIT_CHECKPOINT',
      `${values.checkpoint}: the last line has no seq and 64-hex-digit hash`,
    );
  }
  const keyPath = values['public-key'];
  if (keyPath === undefined) {
    err(`${values.checkpoint}: signature not checked (no --public-key)`);
  } else if (!checkAuditCheckpointSignature(cp, readText(keyPath, 'public key'))) {
    throw new CliError(
      'AUDIT_CHECKPOINT_SIGNATURE',
      `${values.checkpoint}: the checkpoint's signature does not verify under ${keyPath}; it is no anchor`,
      1,
    );
  }
  return anchor;
}

function printReport(report: AuditVerifyReport, source: string): number {
  for (const w of report.warnings) err(`warning: ${w}`);
  if (report.ok) {
    out(
      report.head === null
        ? `${source}: audit log intact (empty)`
        : `${source}: audit log intact: ${report.checked} records (${report.firstSeq}..${report.head.seq}), head ${formatAuditAnchor(report.head)}`,
    );
    return 0;
  }
  const p = report.problem;
  out(`${source}: audit log BROKEN at record ${p?.seq} (${p?.kind}): ${p?.message}`);
  if (report.head !== null) out(`last good record: ${formatAuditAnchor(report.head)}`);
  return 1;
}

async function verifyCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi audit verify', AUDIT_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      file: { type: 'string' },
      head: { type: 'string' },
      checkpoint: { type: 'string' },
      'public-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage(`audit verify takes no arguments, got ${JSON.stringify(positionals[0])}`);
  if (values.db !== undefined && values.file !== undefined) throw usage('give --db or --file, not both');
  const anchor = anchorOf(values);
  const options = anchor === undefined ? {} : { expectedHead: anchor };
  if (values.file !== undefined) {
    return printReport(verifyAuditExport(readTextInput(values.file), options), values.file);
  }
  const report = await withAudit(values.db, 'read', (store) => store.audit.verify(options));
  return printReport(report, storeName(dbPath(values.db)));
}

/** Lines collected per write to the output. */
const EXPORT_CHUNK_LINES = 4096;

async function exportCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi audit export', AUDIT_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage(`audit export takes no arguments, got ${JSON.stringify(positionals[0])}`);
  if (values.out === undefined) throw usage('audit export needs --out FILE (- for standard output)');
  const from = positiveInt(values.from, '--from');
  const sink = openOutput(values.out);
  try {
    const chunks: string[] = [];
    let pending: string[] = [];
    const header = await withAudit(values.db, 'read', (store) =>
      store.audit.exportLines(
        (line) => {
          pending.push(line);
          if (pending.length >= EXPORT_CHUNK_LINES) {
            chunks.push(`${pending.join('\n')}\n`);
            pending = [];
          }
        },
        from === undefined ? {} : { from },
      ),
    );
    if (pending.length > 0) chunks.push(`${pending.join('\n')}\n`);
    for (const c of chunks) await sink.write(c);
    await sink.close();
    const n = header.head === null ? 0 : header.head.seq - header.from + 1;
    err(
      header.head === null
        ? `0 records exported (the log has none from ${header.from})`
        : `${n} records exported (${header.from}..${header.head.seq}), head ${formatAuditAnchor(header.head)}`,
    );
    return 0;
  } catch (e) {
    sink.abort();
    throw e;
  }
}

function printRecords(rows: readonly AuditRecord[]): void {
  out(
    `${'SEQ'.padStart(7)}  ${'TIME (UTC)'.padEnd(27)} ${'ACTOR'.padEnd(24)} ${'OUTCOME'.padEnd(8)} STATUS  ACTION`,
  );
  for (const r of rows) {
    const who =
      r.actor.username === null
        ? r.actor.via
        : `${r.actor.username}@${r.actor.organisation ?? '-'} (${r.actor.via})`;
    out(
      `${String(r.seq).padStart(7)}  ${r.at.padEnd(27)} ${who.padEnd(24)} ${r.outcome.padEnd(8)} ${String(r.status ?? '-').padEnd(6)}  ${r.action}${r.target !== null && !r.action.endsWith(r.target) ? `  ${r.target}` : ''}`,
    );
  }
}

async function listCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi audit list', AUDIT_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage(`audit list takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const limit = positiveInt(values.limit, '--limit') ?? 20;
  const rows = await withAudit(values.db, 'read', (store) => store.audit.list({ limit }));
  if (values.json) out(JSON.stringify(rows, null, 2));
  else printRecords(rows);
  err(`${rows.length} records`);
  return 0;
}

async function checkpointCmd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi audit checkpoint', AUDIT_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw usage(`audit checkpoint takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const key = values.key === undefined ? undefined : readText(values.key, 'private key');
  const cp = await withAudit(values.db, 'write', (store) => store.audit.checkpoint(key));
  if (cp === null) {
    err('the audit log is empty: no checkpoint');
    return 1;
  }
  const line = `${JSON.stringify(cp)}\n`;
  if (values.out === undefined || values.out === '-') process.stdout.write(line);
  else {
    try {
      appendFileSync(values.out, line);
    } catch (e) {
      throw new CliError('OUTPUT_UNWRITABLE', `cannot append to ${values.out}: ${(e as Error).message}`);
    }
  }
  err(`checkpoint ${formatAuditAnchor(cp)}${cp.signature === undefined ? ' (unsigned)' : ' (signed)'}`);
  return 0;
}
