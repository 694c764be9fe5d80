/**
 * SATCAT readers: what each object is (type, owner, launch and decay dates, launch site, radar
 * cross-section size), from the two public satellite catalogs' fields, recognised by content:
 * - Space-Track's `satcat` class (`NORAD_CAT_ID`, `OBJECT_TYPE` PAYLOAD | ROCKET BODY | DEBRIS |
 *   UNKNOWN, `COUNTRY`, `LAUNCH`, `SITE`, `DECAY`, `RCS_SIZE` SMALL | MEDIUM | LARGE, `SATNAME`,
 *   `INTLDES`; in JSON every value is a string or null);
 * - CelesTrak's SATCAT (celestrak.org/satcat/satcat-format.php: `NORAD_CAT_ID`, `OBJECT_TYPE`
 *   PAY | R/B | DEB | UNK, `OWNER`, `LAUNCH_DATE`, `LAUNCH_SITE`, `DECAY_DATE`, `RCS` in m²,
 *   `OBJECT_NAME`, `OBJECT_ID`);
 * each as a JSON array of records or as CSV with a header line (RFC 4180 quoting). Which catalog's
 * field names a record uses is told by its keys (`COUNTRY` or `SATNAME`: Space-Track).
 * Neither is an element-set format: a GP record (which also has OBJECT_TYPE and NORAD_CAT_ID) has an
 * `EPOCH` and a `MEAN_MOTION`, a SATCAT record has neither.
 *
 * Every row is checked on its own: a row whose catalog number, type or dates cannot be read is
 * rejected with its file, line, key, what was expected and what was found; the other rows are kept.
 * An owner or launch-site code missing from the code tables (satcat-codes.ts) is kept, without a
 * name, and reported as a warning.
 *
 * Size: Space-Track's RCS_SIZE as given; from CelesTrak's RCS (m²) by Space-Track's published
 * classes (SMALL < 0.1 m², MEDIUM 0.1 to 1 m², LARGE > 1 m²), with the m² value kept as well.
 */
import type { ParseIssue } from '@hoshimi/astro';
import { type ObjectType, RCS_SIZES, type RcsSize, type SatcatFormat } from './catalog-store.js';
import { launchSiteName, ownerName } from './satcat-codes.js';

/** Upper bounds of Space-Track's RCS size classes, m² (SMALL < 0.1 ≤ MEDIUM ≤ 1 < LARGE). */
const RCS_SMALL_BELOW_M2 = 0.1;
const RCS_LARGE_ABOVE_M2 = 1;

/** One object as a SATCAT describes it. */
export interface SatcatRecord {
  /** Line of the record in its file (in JSON, the line where the record starts). */
  readonly line: number;
  readonly catalogNumber: string;
  readonly name: string | null;
  readonly intlDesignator: string | null;
  readonly objectType: ObjectType;
  readonly ownerCode: string | null;
  readonly ownerName: string | null;
  /** YYYY-MM-DD (UTC). */
  readonly launchDate: string | null;
  readonly launchSiteCode: string | null;
  readonly launchSiteName: string | null;
  readonly decayDate: string | null;
  readonly rcsSize: RcsSize | null;
  /** Radar cross-section, m² (CelesTrak only; Space-Track publishes none). */
  readonly rcsM2: number | null;
}

export interface SatcatParse {
  readonly format: SatcatFormat;
  readonly records: readonly SatcatRecord[];
  readonly rejected: readonly ParseIssue[];
  readonly warnings: readonly ParseIssue[];
}

const TYPES: Readonly<Record<string, ObjectType>> = {
  PAYLOAD: 'PAYLOAD',
  'ROCKET BODY': 'ROCKET BODY',
  DEBRIS: 'DEBRIS',
  UNKNOWN: 'UNKNOWN',
  PAY: 'PAYLOAD',
  'R/B': 'ROCKET BODY',
  DEB: 'DEBRIS',
  UNK: 'UNKNOWN',
};

/** Field names of the two catalogs. */
type Dialect = 'spacetrack' | 'celestrak';

const KEYS: Readonly<
  Record<Dialect, Readonly<Record<'name' | 'intl' | 'owner' | 'launch' | 'site' | 'decay', string>>>
> = {
  spacetrack: {
    name: 'SATNAME',
    intl: 'INTLDES',
    owner: 'COUNTRY',
    launch: 'LAUNCH',
    site: 'SITE',
    decay: 'DECAY',
  },
  celestrak: {
    name: 'OBJECT_NAME',
    intl: 'OBJECT_ID',
    owner: 'OWNER',
    launch: 'LAUNCH_DATE',
    site: 'LAUNCH_SITE',
    decay: 'DECAY_DATE',
  },
};

/** The dialect of a record or header from its keys; undefined when it is not a SATCAT's. */
function dialectOf(keys: readonly string[]): Dialect | undefined {
  const has = (k: string) => keys.includes(k);
  if (!has('NORAD_CAT_ID') || !has('OBJECT_TYPE') || has('EPOCH') || has('MEAN_MOTION')) return undefined;
  if (has('COUNTRY') || has('SATNAME')) return 'spacetrack';
  if (has('OWNER') && has('LAUNCH_DATE')) return 'celestrak';
  return undefined;
}

/**
 * The SATCAT format of a file from its first characters, or undefined when it is not a SATCAT
 * (element-set formats included).
 */
export function detectSatcatFormat(head: string): SatcatFormat | undefined {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('[')) {
    const end = t.indexOf('}');
    const first = end < 0 ? t : t.slice(0, end + 1);
    const keys = [...first.matchAll(/"([A-Z_]+)"\s*:/g)].map((m) => m[1] as string);
    return dialectOf(keys) === undefined ? undefined : 'satcat-json';
  }
  const line = t.slice(0, Math.max(0, t.search(/\r?\n|$/)));
  const header = csvFields(line).map((h) => h.trim());
  return dialectOf(header) === undefined ? undefined : 'satcat-csv';
}

/** Reads a SATCAT file (see the module header); `format` as detectSatcatFormat gave it. */
export function parseSatcat(text: string, format: SatcatFormat, file: string): SatcatParse {
  return format === 'satcat-json' ? parseJson(text, file) : parseCsv(text, file);
}

interface Fields {
  readonly line: number;
  readonly get: (key: string) => string | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Checks and converts one row; pushes its issues. Null when the row is rejected. */
function readRecord(
  f: Fields,
  dialect: Dialect,
  file: string,
  rejected: ParseIssue[],
  warnings: ParseIssue[],
): SatcatRecord | null {
  const st = dialect === 'spacetrack';
  const key = KEYS[dialect];
  const bad = (k: string, expected: string, found: string | null, severity: 'rejected' | 'warning') => {
    const issue: ParseIssue = {
      file,
      line: f.line,
      key: k,
      code: severity === 'rejected' ? 'SATCAT_BAD_FIELD' : 'SATCAT_UNKNOWN_CODE',
      message:
        severity === 'rejected'
          ? `SATCAT record at line ${f.line}: ${k} ${found === null ? 'missing' : JSON.stringify(found)} is not ${expected} (record not stored)`
          : `SATCAT record at line ${f.line}: ${k} ${JSON.stringify(found)} is not in the code table (stored without a name)`,
      expected,
      found: found ?? 'nothing',
    };
    (severity === 'rejected' ? rejected : warnings).push(issue);
  };
  const opt = (k: string): string | null => {
    const v = f.get(k);
    return v === null || v.trim() === '' ? null : v.trim();
  };
  const cnText = opt('NORAD_CAT_ID');
  if (cnText === null || !/^\d{1,9}$/.test(cnText) || Number(cnText) === 0) {
    bad('NORAD_CAT_ID', 'a catalog number of 1 to 9 digits', cnText, 'rejected');
    return null;
  }
  const typeText = opt('OBJECT_TYPE');
  const objectType = typeText === null ? undefined : TYPES[typeText.toUpperCase()];
  if (objectType === undefined) {
    bad(
      'OBJECT_TYPE',
      st ? 'PAYLOAD, ROCKET BODY, DEBRIS or UNKNOWN' : 'PAY, R/B, DEB or UNK',
      typeText,
      'rejected',
    );
    return null;
  }
  const launchDate = opt(key.launch);
  if (launchDate !== null && !validDate(launchDate)) {
    bad(key.launch, 'a date YYYY-MM-DD', launchDate, 'rejected');
    return null;
  }
  const decayDate = opt(key.decay);
  if (decayDate !== null && !validDate(decayDate)) {
    bad(key.decay, 'a date YYYY-MM-DD or nothing', decayDate, 'rejected');
    return null;
  }
  let rcsSize: RcsSize | null = null;
  let rcsM2: number | null = null;
  if (st) {
    const s = opt('RCS_SIZE');
    if (s !== null) {
      if (!(RCS_SIZES as readonly string[]).includes(s)) {
        bad('RCS_SIZE', 'SMALL, MEDIUM, LARGE or nothing', s, 'rejected');
        return null;
      }
      rcsSize = s as RcsSize;
    }
  } else {
    const s = opt('RCS');
    if (s !== null) {
      const v = Number(s);
      if (!Number.isFinite(v) || v < 0) {
        bad('RCS', 'a radar cross-section in m² (a number ≥ 0) or nothing', s, 'rejected');
        return null;
      }
      rcsM2 = v;
      rcsSize = v < RCS_SMALL_BELOW_M2 ? 'SMALL' : v > RCS_LARGE_ABOVE_M2 ? 'LARGE' : 'MEDIUM';
    }
  }
  const ownerCode = opt(key.owner);
  const owner = ownerCode === null ? null : ownerName(ownerCode);
  if (ownerCode !== null && owner === null)
    bad(key.owner, 'an owner code of the SATCAT table', ownerCode, 'warning');
  const siteCode = opt(key.site);
  const site = siteCode === null ? null : launchSiteName(siteCode);
  if (siteCode !== null && site === null)
    bad(key.site, 'a launch-site code of the SATCAT table', siteCode, 'warning');
  return {
    line: f.line,
    catalogNumber: String(Number(cnText)),
    name: opt(key.name),
    intlDesignator: opt(key.intl),
    objectType,
    ownerCode,
    ownerName: owner,
    launchDate,
    launchSiteCode: siteCode,
    launchSiteName: site,
    decayDate,
    rcsSize,
    rcsM2,
  };
}

/**
 * Offsets of the values at the top level of a JSON array (strings and nesting skipped), so each
 * record can be reported with its line. A linear scan of the text.
 */
function topLevelValueOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 1 && expectValue && c !== 93) {
      out.push(i);
      expectValue = false;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44 && depth === 1) expectValue = true;
  }
  return out;
}

function parseJson(text: string, file: string): SatcatParse {
  const rejected: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const records: SatcatRecord[] = [];
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m === null ? undefined : Number(m[1]);
    rejected.push({
      file,
      ...(pos === undefined ? {} : { line: lineAt(text, pos) }),
      code: 'SATCAT_BAD_JSON',
      message: `not valid JSON: ${(e as Error).message}`,
      expected: 'a JSON array of Space-Track SATCAT records',
      found: 'invalid JSON',
    });
    return { format: 'satcat-json', records, rejected, warnings };
  }
  if (!Array.isArray(rows)) {
    rejected.push({
      file,
      line: 1,
      code: 'SATCAT_BAD_JSON',
      message: 'not a JSON array',
      expected: 'a JSON array',
      found: typeof rows,
    });
    return { format: 'satcat-json', records, rejected, warnings };
  }
  const offsets = topLevelValueOffsets(text);
  let line = 1;
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const off = offsets[i] ?? at;
    for (let j = at; j < off; j++) if (text.charCodeAt(j) === 10) line++;
    at = off;
    const row = rows[i] as unknown;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      rejected.push({
        file,
        line,
        code: 'SATCAT_BAD_RECORD',
        message: `array element ${i + 1} at line ${line} is not a SATCAT record`,
        expected: 'a JSON object',
        found: row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row,
      });
      continue;
    }
    const obj = row as Record<string, unknown>;
    const r = readRecord(
      {
        line,
        get: (k) => {
          const v = obj[k];
          return v === null || v === undefined ? null : String(v);
        },
      },
      'COUNTRY' in obj || 'SATNAME' in obj ? 'spacetrack' : 'celestrak',
      file,
      rejected,
      warnings,
    );
    if (r !== null) records.push(r);
  }
  return { format: 'satcat-json', records, rejected, warnings };
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
function csvFields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function parseCsv(text: string, file: string): SatcatParse {
  const rejected: ParseIssue[] = [];
  const warnings: ParseIssue[] = [];
  const records: SatcatRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((h) => h.trim());
  const index = new Map(header.map((h, i) => [h, i]));
  const dialect = dialectOf(header) ?? 'celestrak';
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === '') continue;
    const fields = csvFields(raw);
    if (fields.length !== header.length) {
      rejected.push({
        file,
        line: n + 1,
        code: 'SATCAT_BAD_RECORD',
        message: `SATCAT row at line ${n + 1} has ${fields.length} fields, the header ${header.length} (record not stored)`,
        expected: `${header.length} comma-separated fields`,
        found: `${fields.length} fields`,
      });
      continue;
    }
    const r = readRecord(
      {
        line: n + 1,
        get: (k) => {
          const i = index.get(k);
          return i === undefined ? null : (fields[i] ?? null);
        },
      },
      dialect,
      file,
      rejected,
      warnings,
    );
    if (r !== null) records.push(r);
  }
  return { format: 'satcat-csv', records, rejected, warnings };
}
