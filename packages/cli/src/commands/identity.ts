/**
 * `hoshimi org`, `hoshimi user`, `hoshimi token`: who may use a node, in its catalog store (the
 * same checks as the server's admin API, @hoshimi/server's identity service). A password is never a
 * flag value (it would show in the process list and the shell history): it is read from an
 * environment variable named by `--password-env`, or from the first line of standard input with
 * `--password-stdin`. A token's secret is printed once, alone on standard output (details go to
 * standard error), so that a script can capture it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { checkNation, checkOrganisation, DEFAULT_SCHEME, levelRank } from '@hoshimi/astro';
import { ApiError, addOrganisation, addUser, changeUser, issueToken, revokeToken } from '@hoshimi/server';
import type { ApiToken, CatalogStore, User } from '@hoshimi/store';
import { parseCliArgs } from '../args.js';
import { CliError } from '../errors.js';
import { checkOption } from '../option-checks.js';
import { dbPath, withStore } from './catalog-common.js';

export const ORG_USAGE = `Usage: hoshimi org <subcommand> [options]

Subcommands:
  add CODE --nation NAT --name NAME [--max-clearance LEVEL]
        add an organisation (a partner: e.g. JSPOC, JAXA) of nation NAT (ISO trigraph: USA, JPN);
        its users' clearances are at most LEVEL (default SECRET)
  list  the organisations

Options:
  --db PATH   the catalog database (default $HOSHIMI_DB or ./hoshimi.db; add creates it), or a PostgreSQL URL
`;

export const USER_USAGE = `Usage: hoshimi user <subcommand> [options]

Subcommands:
  add NAME --org CODE --role ROLE [--role ROLE…] --clearance LEVEL
        [--password-env VAR | --password-stdin]
        add a user; roles viewer, analyst, operator, admin; without a password the user can use
        API tokens only (no console login)
  password NAME (--password-env VAR | --password-stdin)   set a user's password (ends their sessions)
  disable NAME | enable NAME   a disabled user's tokens and sessions stop working
  list  the users

Options:
  --db PATH           the catalog database (default $HOSHIMI_DB or ./hoshimi.db), or a PostgreSQL URL
  --password-env VAR  read the password from environment variable VAR (never give it as a flag)
  --password-stdin    read the password from the first line of standard input
Passwords: 12 to 1024 characters.
`;

export const TOKEN_USAGE = `Usage: hoshimi token <subcommand> [options]

Subcommands:
  create --user NAME [--scopes read,write,admin] [--days N] [--name TEXT]
        create an API token (default scopes read, 30 days); its secret is printed once, alone on
        standard output: send it as 'Authorization: Bearer <secret>'
  revoke ID   revoke a token
  list [--user NAME]   tokens (never their secrets)

Options:
  --db PATH   the catalog database (default $HOSHIMI_DB or ./hoshimi.db), or a PostgreSQL URL
`;

/** The identity service's input fields as the options (or arguments) that set them. */
const FIELD_OPTIONS: Readonly<Record<string, string>> = {
  code: 'CODE',
  nation: '--nation',
  name: '--name',
  maxClearance: '--max-clearance',
  username: 'NAME',
  organisation: '--org',
  roles: '--role',
  clearance: '--clearance',
  password: 'password',
  scopes: '--scopes',
  days: '--days',
};

/**
 * Runs an identity-service call; a refused field (ApiError 400 `field: message`) becomes a USAGE
 * error naming the option that set it, so that `--max-clearance`, not `maxClearance`, is reported.
 */
async function asOptions<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const flag = e instanceof ApiError && e.field !== undefined ? FIELD_OPTIONS[e.field] : undefined;
    if (e instanceof ApiError && e.status === 400 && flag !== undefined) {
      const message = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field!.length + 2) : e.message;
      throw new CliError('USAGE', `${flag}: ${message}`);
    }
    throw e;
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function dispatch(
  usageText: string,
  argv: readonly string[],
  subs: Record<string, (rest: readonly string[]) => Promise<number>>,
  what: string,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(usageText);
    return Promise.resolve(sub === undefined ? 2 : 0);
  }
  const run = subs[sub];
  if (run === undefined)
    throw new CliError('USAGE', `unknown ${what} subcommand ${JSON.stringify(sub)}\n\n${usageText}`);
  return run(rest);
}

function one(positionals: readonly string[], what: string, usageText: string): string {
  if (positionals.length !== 1) throw new CliError('USAGE', `expected one ${what}\n\n${usageText}`);
  return positionals[0] as string;
}

// ---------------------------------------------------------------------------------------------- org

export function orgCommand(argv: readonly string[]): Promise<number> {
  return dispatch(ORG_USAGE, argv, { add: orgAdd, list: orgList }, 'org');
}

async function orgAdd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi org add', ORG_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      nation: { type: 'string' },
      name: { type: 'string' },
      'max-clearance': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const code = one(positionals, 'organisation CODE', ORG_USAGE);
  if (values.nation === undefined)
    throw new CliError('USAGE', '--nation: required (ISO trigraph: USA, JPN, …)');
  // Checked before the store is created: a bad value must not leave a new, empty database. (An
  // existing store's own levels are checked by the service; a new store has the default ones.)
  checkOption('CODE', () => checkOrganisation(code));
  checkOption('--nation', () => checkNation(values.nation as string));
  const maxClearance = values['max-clearance'] ?? 'SECRET';
  if (!existsSync(dbPath(values.db)))
    checkOption('--max-clearance', () => levelRank(DEFAULT_SCHEME, maxClearance));
  const org = await withStore(values, 'create', (store) =>
    asOptions(() =>
      addOrganisation(store, {
        code,
        nation: values.nation as string,
        name: values.name ?? code,
        maxClearance,
      }),
    ),
  );
  out(`organisation ${org.code} (${org.name}, ${org.nation}, up to ${org.maxClearance}) added`);
  return 0;
}

async function orgList(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi org list', ORG_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' } },
    strict: true,
  });
  const orgs = await withStore(values, 'read', (store) => store.identity.listOrganisations());
  out('code\tnation\tmax_clearance\tname');
  for (const o of orgs) out(`${o.code}\t${o.nation}\t${o.maxClearance}\t${o.name}`);
  return 0;
}

// --------------------------------------------------------------------------------------------- user

export function userCommand(argv: readonly string[]): Promise<number> {
  return dispatch(
    USER_USAGE,
    argv,
    {
      add: userAdd,
      list: userList,
      password: userPassword,
      disable: (rest) => userEnable(rest, true),
      enable: (rest) => userEnable(rest, false),
    },
    'user',
  );
}

/** The password from `--password-env VAR` or `--password-stdin`; undefined when neither is given. */
function readPassword(values: {
  'password-env'?: string | undefined;
  'password-stdin'?: boolean | undefined;
}) {
  const envName = values['password-env'];
  if (envName !== undefined && values['password-stdin'] === true) {
    throw new CliError('USAGE', '--password-env and --password-stdin: give one of them');
  }
  if (envName !== undefined) {
    const value = process.env[envName];
    if (value === undefined || value === '') {
      throw new CliError('USAGE', `--password-env: environment variable ${envName} is not set`);
    }
    return value;
  }
  if (values['password-stdin'] === true) {
    const line = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
    if (line === '') throw new CliError('USAGE', '--password-stdin: standard input held no password');
    return line;
  }
  return undefined;
}

const PASSWORD_OPTIONS = {
  'password-env': { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

function userLine(u: User): string {
  return `${u.id}\t${u.username}\t${u.organisation}\t${u.roles.join(',')}\t${u.clearance}\t${u.disabled ? 'disabled' : 'enabled'}\t${u.hasPassword ? 'console' : 'tokens only'}`;
}

async function userAdd(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi user add', USER_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string', multiple: true },
      clearance: { type: 'string' },
      ...PASSWORD_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  const username = one(positionals, 'user NAME', USER_USAGE);
  if (values.org === undefined) throw new CliError('USAGE', '--org: required (an organisation code)');
  if (values.clearance === undefined) throw new CliError('USAGE', '--clearance: required (e.g. SECRET)');
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).filter((r) => r !== '');
  const password = readPassword(values);
  const user = await withStore(values, 'write', (store) =>
    asOptions(() =>
      addUser(store, {
        username,
        organisation: values.org as string,
        roles,
        clearance: values.clearance as string,
        ...(password === undefined ? {} : { password }),
      }),
    ),
  );
  out(`user ${user.username} (id ${user.id}) added: ${userLine(user)}`);
  if (!user.hasPassword)
    err('user: no password given: this user can use API tokens only (hoshimi token create)');
  return 0;
}

async function findUser(store: CatalogStore, username: string): Promise<User> {
  const user = await store.identity.getUserByName(username);
  if (user === null) throw new CliError('NOT_FOUND', `no user ${username}`);
  return user;
}

async function userPassword(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi user password', USER_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' }, ...PASSWORD_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  const username = one(positionals, 'user NAME', USER_USAGE);
  const password = readPassword(values);
  if (password === undefined) throw new CliError('USAGE', '--password-env VAR or --password-stdin: required');
  await withStore(values, 'write', async (store) =>
    asOptions(async () => changeUser(store, (await findUser(store, username)).id, { password })),
  );
  out(`password of ${username} set; their console sessions ended`);
  return 0;
}

async function userEnable(argv: readonly string[], disabled: boolean): Promise<number> {
  const { values, positionals } = parseCliArgs(
    `hoshimi user ${disabled ? 'disable' : 'enable'}`,
    USER_USAGE,
    {
      args: [...argv],
      options: { db: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    },
  );
  const username = one(positionals, 'user NAME', USER_USAGE);
  await withStore(values, 'write', async (store) =>
    changeUser(store, (await findUser(store, username)).id, { disabled }),
  );
  out(`user ${username} ${disabled ? 'disabled' : 'enabled'}`);
  return 0;
}

async function userList(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi user list', USER_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' } },
    strict: true,
  });
  const users = await withStore(values, 'read', (store) => store.identity.listUsers());
  out('id\tusername\torganisation\troles\tclearance\tstate\tlogin');
  for (const u of users) out(userLine(u));
  return 0;
}

// -------------------------------------------------------------------------------------------- token

export function tokenCommand(argv: readonly string[]): Promise<number> {
  return dispatch(TOKEN_USAGE, argv, { create: tokenCreate, revoke: tokenRevoke, list: tokenList }, 'token');
}

function tokenLine(t: ApiToken): string {
  const state = t.revokedAt !== null ? `revoked ${t.revokedAt}` : `expires ${t.expiresAt}`;
  return `${t.id}\t${t.username}\t${t.name}\t${t.scopes.join(',')}\t${state}\t${t.lastUsedAt ?? 'never used'}`;
}

async function tokenCreate(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi token create', TOKEN_USAGE, {
    args: [...argv],
    options: {
      db: { type: 'string' },
      user: { type: 'string' },
      scopes: { type: 'string' },
      days: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  if (values.user === undefined) throw new CliError('USAGE', '--user: required (the user the token acts as)');
  const days = values.days === undefined ? 30 : Number(values.days);
  if (!(days > 0)) throw new CliError('USAGE', `--days: expected a positive number, got ${values.days}`);
  const scopes = (values.scopes ?? 'read').split(',').filter((s) => s !== '');
  const { token, secret } = await withStore(values, 'write', (store) =>
    asOptions(() =>
      issueToken(store, { username: values.user as string, name: values.name ?? 'cli', scopes, days }),
    ),
  );
  err(
    `token ${token.id} for ${token.username} (${token.scopes.join(', ')}), expires ${token.expiresAt}; shown once:`,
  );
  out(secret);
  return 0;
}

async function tokenRevoke(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCliArgs('hoshimi token revoke', TOKEN_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const id = Number(one(positionals, 'token ID', TOKEN_USAGE));
  if (!Number.isInteger(id) || id < 1)
    throw new CliError('USAGE', `token ID: expected a positive integer, got ${positionals[0]}`);
  const token = await withStore(values, 'write', (store) => revokeToken(store, id));
  out(`token ${token.id} (${token.username}, ${token.name}) revoked at ${token.revokedAt}`);
  return 0;
}

async function tokenList(argv: readonly string[]): Promise<number> {
  const { values } = parseCliArgs('hoshimi token list', TOKEN_USAGE, {
    args: [...argv],
    options: { db: { type: 'string' }, user: { type: 'string' } },
    strict: true,
  });
  const tokens = await withStore(values, 'read', async (store) =>
    store.identity.listTokens(
      values.user === undefined ? undefined : (await findUser(store, values.user)).id,
    ),
  );
  out('id\tuser\tname\tscopes\tstate\tlast_used');
  for (const t of tokens) out(tokenLine(t));
  return 0;
}
