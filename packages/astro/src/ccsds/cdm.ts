/**
 * CCSDS Conjunction Data Message (CDM) reader, CCSDS 508.0-B-1 (June 2013, TC2 October 2021), in
 * KVN (508.0-B-1 §6) and XML (CCSDS 505.0-B-2 NDM/XML, `<cdm>` root), plus the CDM 2.0 draft
 * keywords (508.0-P-1.1) as Orekit writes them. The model is in cdm-model.ts, the key table with
 * every keyword's unit in cdm-keys.ts, the writers in cdm-write.ts.
 *
 * Both forms are first turned into one stream of (keyword, value, unit, line) and comments; one
 * builder then assigns each keyword to its block by the key table, checks units, numbers, times and
 * the mandatory keywords, and converts units. Rules (documented deviations or choices):
 * - A COMMENT belongs to the block of the keyword that follows it (KVN has no block markers), so an
 *   XML `<data>`-level comment lands in the first data block; a comment after the last keyword goes
 *   to the last block. KVN and XML of the same message thus give equal models.
 * - Unknown keywords are rejected (`CDM_UNKNOWN_KEY`), as Orekit does; USER_DEFINED_x keywords are
 *   kept. CDM 2.0 draft keywords are read in a 1.0 message too.
 * - An empty value (KVN `KEY =`, XML `nil="true"` or `<KEY/>`) of an optional keyword means absent;
 *   of a mandatory one it is an error (`CDM_EMPTY_VALUE`).
 * - A trailing lone `[` (CARA SingleCovTestCase files write `RESIDUALS_ACCEPTED = 76.6 [`) is read
 *   as no unit, with a `CDM_UNIT_UNCLOSED` warning.
 * - A declared unit (KVN `[km]`, XML `units="km"`) other than the keyword's CCSDS unit is honoured:
 *   a unit of the same quantity is converted (cdm-units.ts); the CCSDS unit without its `/s` (CARA's
 *   sample CDMs label relative velocities `[m]`) is a `CDM_UNIT_MISMATCH` warning and read in the
 *   CCSDS unit; any other unit is refused (`CDM_UNIT`) with its line and keyword.
 * - Values no Earth-orbit conjunction can have are refused (`CDM_IMPLAUSIBLE_VALUE`) with the line
 *   and keyword, because they mean the file is in other units than it says (metres in a km field):
 *   for ORBIT_CENTER EARTH (or absent), a position beyond the Earth's sphere of influence or below
 *   its surface, a speed above escape speed at the surface, and position or velocity 1σ (from the
 *   RTN covariance) larger than the position or speed itself, or a non-zero position 1σ below a
 *   millimetre. Scale errors inside those bounds cannot be detected from one file alone; `hoshimi pc`
 *   compares the states with MISS_DISTANCE and the CDM's own Pc (cdm-check.ts).
 * - A 6×6 RTN covariance that is all zero is no covariance (`CDM_COVARIANCE_ZERO` warning; Hoshimi
 *   writes one, with COVARIANCE_METHOD = DEFAULT, only when none is known: see cdm-from-conjunction.ts).
 * - `NaN` for an optional number (CARA SampleCDMs) is kept as NaN with one `CDM_NAN_VALUE` warning;
 *   for a mandatory one it is `CDM_NUMBER`.
 * - A covariance that is not positive definite, or has a negative variance, is a warning
 *   (`CDM_COVARIANCE_NOT_PD`, `CDM_COVARIANCE_NEGATIVE_VARIANCE`): the Pc code decides what to do.
 * - Covariance rows beyond 6×6 are all-or-nothing, in the order drag, SRP, thrust. The six cross
 *   terms both covariances name alike (CDRG_DRG ... CTHR_THR) go to the covariance being read.
 * - Dates are checked for existence (2010-04-31 is `CDM_EPOCH`), which parseUtcString alone does not.
 */
import type { ParseIssue, ParseResult } from '../errors.js';
import {
  CDM_BLOCK_KEYS,
  CDM_BLOCK_ZONE,
  CDM_KEYS,
  CDM_XYZ_SHARED_KEYS,
  type CdmBlock,
  type CdmKeyDef,
  type CdmZone,
  cdmSameUnit,
  cdmToModel,
} from './cdm-keys.js';
import {
  type Cdm,
  type CdmCovariance,
  type CdmEpoch,
  type CdmObject,
  type CdmUserDefined,
  cdmCovariance6,
  cdmCovarianceMatrix,
  isPositiveDefinite,
  readCdmEpoch,
} from './cdm-model.js';
import {
  type CdmUnit,
  cdmMissingPerSecond,
  cdmSameDimension,
  cdmScaleText,
  parseCdmUnit,
} from './cdm-units.js';
import { parseKvn, parseKvnNumber } from './kvn.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

export interface CdmReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

type Token =
  | {
      readonly kind: 'pair';
      readonly key: string;
      readonly value: string;
      readonly unit?: string;
      readonly line: number;
      readonly column?: number;
    }
  | { readonly kind: 'comment'; readonly text: string; readonly line: number }
  /** An XML `<segment>`: a new object starts. */
  | { readonly kind: 'object'; readonly line: number };

type Pair = Extract<Token, { kind: 'pair' }>;

interface RawBlock {
  readonly line: number;
  readonly fields: Map<string, Pair>;
  readonly comments: string[];
  /** USER_DEFINED parameters (userDefined block only). */
  readonly user: [string, string][];
}

interface RawObject {
  readonly line: number;
  readonly blocks: Map<CdmBlock, RawBlock>;
  hasObjectKey: boolean;
}

const ZONE_RANK: Readonly<Record<CdmZone, number>> = { header: 0, relative: 1, object: 2 };
const USER_PREFIX = 'USER_DEFINED_';
/** Blocks of an object, in file order. */
const OBJECT_DATA_BLOCKS = [
  'odParameters',
  'additionalParameters',
  'stateVector',
  'covarianceRtn',
  'covarianceXyz',
  'sigmaEigenvectors',
  'additionalCovarianceMetadata',
] as const;

type Mutable = Record<string, unknown>;

/** Whether a block has at least one keyword with a value (else it is read as absent). */
function hasValue(raw: RawBlock): boolean {
  for (const p of raw.fields.values()) if (p.value.trim() !== '') return true;
  return false;
}

/**
 * Radius of the Earth's sphere of influence (Hill sphere, about 1.5 million km): no Earth-centred
 * state lies beyond it, while any Earth orbit written in metres reads as at least 6.3 million "km".
 */
const EARTH_SPHERE_OF_INFLUENCE_KM = 1.5e6;
/** Below the Earth's polar radius (6,356.8 km, WGS-84) with margin: no orbiting object is there. */
const EARTH_SURFACE_BOUND_KM = 6000;
/**
 * Above escape speed at the surface (11.2 km/s) with margin: no Earth-bound object moves faster,
 * while any orbit speed written in m/s reads as hundreds to thousands of "km/s".
 */
const MAX_SPEED_KM_S = 20;
/** 1 mm: no orbit determination reaches a smaller position 1σ (SLR-grade orbits are at cm level). */
const MIN_POSITION_SIGMA_KM = 1e-6;

/** CARA writes `NaN` for unknown optional values (SampleCDMs OD and additional parameters). */
const NAN_TEXT = /^[+-]?nan$/i;

class CdmBuilder {
  readonly issues: ParseIssue[] = [];
  readonly warnings: ParseIssue[] = [];
  private readonly file: string | undefined;
  private zone = 0;
  private readonly message = new Map<CdmBlock, RawBlock>();
  private readonly objects: RawObject[] = [];
  private pending: string[] = [];
  private last: RawBlock | undefined;
  /** Optional keywords whose value is NaN (one warning per message). */
  private readonly nanKeys: Pair[] = [];
  /** Block of the previous keyword, to place the keywords both covariances share. */
  private lastBlock: CdmBlock | undefined;
  private lastLine = 1;

  constructor(file: string | undefined) {
    this.file = file;
  }

  issue(code: string, message: string, line: number, extra: Partial<ParseIssue> = {}): ParseIssue {
    const base: ParseIssue = { code, message, line, ...extra };
    return this.file === undefined ? base : { ...base, file: this.file };
  }

  private at(p: Pair, expected: string, found: string): Partial<ParseIssue> {
    const base = { key: p.key, expected, found };
    return p.column === undefined ? base : { ...base, column: p.column };
  }

  private startObject(line: number): void {
    this.lastBlock = undefined;
    this.objects.push({ line, blocks: new Map(), hasObjectKey: false });
    this.zone = ZONE_RANK.object;
  }

  add(t: Token): void {
    this.lastLine = t.line;
    if (t.kind === 'comment') {
      this.pending.push(t.text);
      return;
    }
    if (t.kind === 'object') {
      this.startObject(t.line);
      return;
    }
    let block: CdmBlock;
    let zone: CdmZone;
    if (t.key.startsWith(USER_PREFIX) && t.key.length > USER_PREFIX.length) {
      block = 'userDefined';
      zone = this.objects.length > 0 ? 'object' : 'relative';
    } else {
      let def = CDM_KEYS.get(t.key);
      const shared = CDM_XYZ_SHARED_KEYS.get(t.key);
      if (shared !== undefined && this.lastBlock === 'covarianceXyz') def = shared;
      if (def === undefined) {
        this.issues.push(
          this.issue(
            'CDM_UNKNOWN_KEY',
            `unknown CDM keyword ${t.key}`,
            t.line,
            this.at(t, 'a CDM keyword (CCSDS 508.0-B-1 Tables 3-1..3-4) or USER_DEFINED_x', t.key),
          ),
        );
        return;
      }
      block = def.block;
      zone = CDM_BLOCK_ZONE[block];
    }
    if (t.key === 'OBJECT') {
      const cur = this.objects[this.objects.length - 1];
      if (cur === undefined || cur.hasObjectKey) this.startObject(t.line);
      (this.objects[this.objects.length - 1] as RawObject).hasObjectKey = true;
    }
    const rank = ZONE_RANK[zone];
    if (rank < this.zone || (zone === 'object' && this.objects.length === 0)) {
      const where =
        zone === 'object' ? 'inside an object block, after OBJECT = OBJECT1' : `in the ${zone} section`;
      this.issues.push(
        this.issue(
          'CDM_KEY_OUT_OF_PLACE',
          `keyword ${t.key} is out of place: it belongs ${where}`,
          t.line,
          this.at(t, `${t.key} ${where}`, t.key),
        ),
      );
      return;
    }
    this.zone = rank;
    const scope =
      zone === 'object' ? (this.objects[this.objects.length - 1] as RawObject).blocks : this.message;
    let raw = scope.get(block);
    if (raw === undefined) {
      raw = { line: t.line, fields: new Map(), comments: [], user: [] };
      scope.set(block, raw);
    }
    this.lastBlock = block;
    // A keyword without a value (KVN `KEY =`, XML nil) is absent: comments wait for the next value.
    if (t.value.trim() !== '' || block === 'userDefined') {
      if (this.pending.length > 0) {
        raw.comments.push(...this.pending);
        this.pending = [];
      }
      this.last = raw;
    }
    if (block === 'userDefined') {
      const name = t.key.slice(USER_PREFIX.length);
      if (raw.user.some(([n]) => n === name)) {
        this.issues.push(
          this.issue(
            'CDM_DUPLICATE_KEY',
            `keyword ${t.key} appears twice`,
            t.line,
            this.at(t, 'once', t.value),
          ),
        );
      } else raw.user.push([name, t.value.trim()]);
      return;
    }
    if (raw.fields.has(t.key)) {
      this.issues.push(
        this.issue(
          'CDM_DUPLICATE_KEY',
          `keyword ${t.key} appears twice in one block`,
          t.line,
          this.at(t, 'each keyword once per block', t.value),
        ),
      );
      return;
    }
    raw.fields.set(t.key, t);
  }

  build(): Cdm | undefined {
    if (this.pending.length > 0) {
      // Comments after the last keyword stay with the last block.
      if (this.last !== undefined) this.last.comments.push(...this.pending);
      this.pending = [];
    }
    if (this.issues.length > 0) return undefined;
    const header = this.block('header', this.message.get('header'), 1);
    const relStart = this.message.get('relativeMetadata')?.line ?? this.objects[0]?.line ?? this.lastLine;
    const relativeMetadata = this.block('relativeMetadata', this.message.get('relativeMetadata'), relStart);
    const userDefined = this.userBlock(this.message.get('userDefined'));
    const objects: CdmObject[] = [];
    if (this.objects.length !== 2) {
      const extra = this.objects[2];
      this.issues.push(
        this.issue(
          'CDM_OBJECT_COUNT',
          `a CDM holds two objects, this one ${this.objects.length}`,
          extra?.line ?? this.lastLine,
          {
            key: 'OBJECT',
            expected: 'OBJECT = OBJECT1 and OBJECT = OBJECT2',
            found: `${this.objects.length}`,
          },
        ),
      );
    }
    this.objects.slice(0, 2).forEach((o, idx) => {
      const obj = this.object(o, idx);
      if (obj !== undefined) objects.push(obj);
    });
    if (this.issues.length > 0 || header === undefined || relativeMetadata === undefined) return undefined;
    const cdm: Record<string, unknown> = {
      header,
      relativeMetadata,
      objects: objects as unknown as [CdmObject, CdmObject],
    };
    if (userDefined !== undefined) cdm['userDefined'] = userDefined;
    this.checkVersion(header['version'] as string);
    const firstNan = this.nanKeys[0];
    if (firstNan !== undefined) {
      this.warnings.push(
        this.issue(
          'CDM_NAN_VALUE',
          `${this.nanKeys.length} optional value(s) are NaN, kept as NaN: ${[...new Set(this.nanKeys.map((p) => p.key))].join(', ')}`,
          firstNan.line,
          this.at(firstNan, 'a number', firstNan.value.trim()),
        ),
      );
    }
    return cdm as unknown as Cdm;
  }

  private checkVersion(version: string): void {
    if (!/^[12]\.\d+$/.test(version)) {
      this.warnings.push(
        this.issue('CDM_VERSION', `CCSDS_CDM_VERS ${version} is not 1.x or 2.x`, 1, {
          key: 'CCSDS_CDM_VERS',
          expected: '1.0 or 2.0',
          found: version,
        }),
      );
    }
  }

  private userBlock(raw: RawBlock | undefined): CdmUserDefined | undefined {
    if (raw === undefined) return undefined;
    const parameters: Record<string, string> = {};
    for (const [n, v] of raw.user) parameters[n] = v;
    return { comments: raw.comments, parameters };
  }

  private object(o: RawObject, idx: number): CdmObject | undefined {
    const expected = idx === 0 ? 'OBJECT1' : 'OBJECT2';
    const metadata = this.block('metadata', o.blocks.get('metadata'), o.line);
    if (metadata !== undefined && metadata['object'] !== expected) {
      const p = o.blocks.get('metadata')?.fields.get('OBJECT') as Pair;
      this.issues.push(
        this.issue(
          'CDM_OBJECT_ORDER',
          `object block ${idx + 1} must be ${expected}`,
          p.line,
          this.at(p, expected, String(metadata['object'])),
        ),
      );
    }
    const out: Record<string, unknown> = { metadata };
    for (const b of OBJECT_DATA_BLOCKS) {
      const raw = o.blocks.get(b);
      const needed = b === 'stateVector' || b === 'covarianceRtn';
      if (!needed && (raw === undefined || !hasValue(raw))) continue;
      const value = this.block(b, raw, o.line);
      if (value !== undefined) out[b] = value;
    }
    const user = this.userBlock(o.blocks.get('userDefined'));
    if (user !== undefined) out['userDefined'] = user;
    if (metadata === undefined || out['stateVector'] === undefined || out['covarianceRtn'] === undefined)
      return undefined;
    const obj = out as unknown as CdmObject;
    this.checkCovariance(obj, o, expected);
    this.checkPlausible(obj, o, expected);
    return obj;
  }

  /** Refuses states and covariances no Earth-orbit conjunction can have (see the module header). */
  private checkPlausible(obj: CdmObject, o: RawObject, name: string): void {
    const center = obj.metadata.orbitCenter;
    if (center !== undefined && center.toUpperCase() !== 'EARTH') return;
    const sv = obj.stateVector;
    const lineOf = (b: CdmBlock, key: string) =>
      o.blocks.get(b)?.fields.get(key)?.line ?? o.blocks.get(b)?.line ?? o.line;
    const refuse = (b: CdmBlock, key: string, what: string, expected: string, found: string) => {
      const p = o.blocks.get(b)?.fields.get(key);
      this.issues.push(
        this.issue('CDM_IMPLAUSIBLE_VALUE', `${name} ${what}`, lineOf(b, key), {
          key,
          expected,
          found,
          ...(p?.column === undefined ? {} : { column: p.column }),
        }),
      );
    };
    const rKm = Math.hypot(sv.xKm, sv.yKm, sv.zKm);
    const vKmS = Math.hypot(sv.xDotKmPerS, sv.yDotKmPerS, sv.zDotKmPerS);
    const unitHint = 'values in other units than declared (metres in a km field?)';
    if (rKm > EARTH_SPHERE_OF_INFLUENCE_KM || rKm < EARTH_SURFACE_BOUND_KM) {
      refuse(
        'stateVector',
        'X',
        `position magnitude ${rKm.toPrecision(7)} km is no Earth orbit: ${unitHint}`,
        `${EARTH_SURFACE_BOUND_KM} km < |(X, Y, Z)| < ${EARTH_SPHERE_OF_INFLUENCE_KM} km [km]`,
        `${rKm.toPrecision(7)} km`,
      );
      return;
    }
    if (vKmS > MAX_SPEED_KM_S) {
      refuse(
        'stateVector',
        'X_DOT',
        `speed ${vKmS.toPrecision(7)} km/s exceeds escape speed at the Earth's surface: ${unitHint}`,
        `|(X_DOT, Y_DOT, Z_DOT)| < ${MAX_SPEED_KM_S} km/s`,
        `${vKmS.toPrecision(7)} km/s`,
      );
      return;
    }
    const m = cdmCovariance6(obj.covarianceRtn);
    if (m.every((row) => row.every((x) => x === 0))) return;
    const keys = ['CR_R', 'CT_T', 'CN_N', 'CRDOT_RDOT', 'CTDOT_TDOT', 'CNDOT_NDOT'];
    for (let i = 0; i < 6; i++) {
      const sigma = Math.sqrt(Math.max(0, (m[i] as number[])[i] as number));
      const key = keys[i] as string;
      const bound = i < 3 ? rKm : vKmS;
      const unit = i < 3 ? 'km' : 'km/s';
      if (sigma > bound) {
        refuse(
          'covarianceRtn',
          key,
          `1σ of ${key} is ${sigma.toPrecision(4)} ${unit}, more than the ${i < 3 ? 'position' : 'speed'} itself: the covariance is in other units than declared`,
          `1σ < ${bound.toPrecision(6)} ${unit}`,
          `${sigma.toPrecision(4)} ${unit}`,
        );
        return;
      }
      if (i < 3 && sigma > 0 && sigma < MIN_POSITION_SIGMA_KM) {
        refuse(
          'covarianceRtn',
          key,
          `1σ of ${key} is ${(sigma * 1e6).toPrecision(3)} mm, below what any orbit determination reaches: the covariance is in other units than declared (km² in a m² field?)`,
          '1σ ≥ 1 mm',
          `${(sigma * 1e6).toPrecision(3)} mm`,
        );
        return;
      }
    }
  }

  private checkCovariance(obj: CdmObject, o: RawObject, name: string): void {
    const line = o.blocks.get('covarianceRtn')?.line ?? o.line;
    const m = cdmCovariance6(obj.covarianceRtn);
    if (m.every((row) => row.every((x) => x === 0))) {
      // No covariance at all (COVARIANCE_METHOD DEFAULT by Hoshimi's convention), not a bad one.
      this.warnings.push(
        this.issue(
          'CDM_COVARIANCE_ZERO',
          `${name} RTN covariance is all zero (COVARIANCE_METHOD ${obj.metadata.covarianceMethod}): no covariance is known`,
          line,
          { key: 'CR_R', expected: 'a covariance', found: 'all zero' },
        ),
      );
      return;
    }
    const labels = ['CR_R', 'CT_T', 'CN_N', 'CRDOT_RDOT', 'CTDOT_TDOT', 'CNDOT_NDOT'];
    m.forEach((row, i) => {
      if ((row[i] as number) < 0) {
        this.warnings.push(
          this.issue(
            'CDM_COVARIANCE_NEGATIVE_VARIANCE',
            `${name} RTN covariance has a negative variance`,
            o.blocks.get('covarianceRtn')?.fields.get(labels[i] as string)?.line ?? line,
            { key: labels[i] as string, expected: 'a variance ≥ 0', found: String(row[i]) },
          ),
        );
      }
    });
    if (!isPositiveDefinite(m)) {
      const pos = isPositiveDefinite(m.slice(0, 3).map((r) => r.slice(0, 3)));
      this.warnings.push(
        this.issue(
          'CDM_COVARIANCE_NOT_PD',
          `${name} RTN 6×6 covariance is not positive definite (its 3×3 position part ${pos ? 'is' : 'is not either'})`,
          line,
          {
            key: 'CR_R',
            expected: 'a positive-definite covariance',
            found: 'a failed Cholesky factorisation',
          },
        ),
      );
    }
  }

  /** Converts one block; reports missing mandatory keys at the block's (or its owner's) line. */
  private block(b: CdmBlock, raw: RawBlock | undefined, ownerLine: number): Mutable | undefined {
    const defs = CDM_BLOCK_KEYS[b];
    const line = raw?.line ?? ownerLine;
    const out: Mutable = { comments: raw?.comments ?? [] };
    const isCov = b === 'covarianceRtn' || b === 'covarianceXyz';
    const tri: number[] = [];
    let ok = true;
    for (const def of defs) {
      const p = raw?.fields.get(def.key);
      const empty = p === undefined || p.value.trim() === '';
      if (empty) {
        if (def.mandatory === true && !isCov) {
          ok = false;
          this.missing(def, p, b, line);
        }
        continue;
      }
      const v = this.value(def, p);
      if (v === undefined) {
        ok = false;
        continue;
      }
      if (isCov) tri[Number(def.field)] = v as number;
      else out[def.field] = v;
    }
    if (isCov) {
      if (!ok) return undefined;
      return this.covariance(b, defs, raw, tri, line) as unknown as Mutable | undefined;
    }
    return ok ? out : undefined;
  }

  private missing(def: CdmKeyDef, p: Pair | undefined, b: CdmBlock, line: number): void {
    if (p !== undefined) {
      this.issues.push(
        this.issue(
          'CDM_EMPTY_VALUE',
          `mandatory keyword ${def.key} has no value`,
          p.line,
          this.at(p, 'a value', ''),
        ),
      );
    } else {
      this.issues.push(
        this.issue(
          'CDM_MISSING_KEY',
          `mandatory keyword ${def.key} is missing from the ${b} block that starts at line ${line}`,
          line,
          { key: def.key, expected: `${def.key} = ...`, found: 'nothing' },
        ),
      );
    }
  }

  /**
   * The lower triangle: the 6×6 part complete, then whole optional rows in order (drag, SRP,
   * thrust). A partial row, or a row after a missing one, is `CDM_COVARIANCE_INCOMPLETE`.
   */
  private covariance(
    b: CdmBlock,
    defs: readonly CdmKeyDef[],
    raw: RawBlock | undefined,
    tri: number[],
    line: number,
  ): CdmCovariance | undefined {
    const present = (i: number) => tri[i] !== undefined;
    if (b === 'covarianceXyz' && raw === undefined) return undefined;
    let n = 6;
    for (let row = 6; row < 9; row++) {
      const start = (row * (row + 1)) / 2;
      if (defs.slice(start, start + row + 1).some((_, k) => present(start + k))) n = row + 1;
    }
    const count = (n * (n + 1)) / 2;
    for (let i = 0; i < count; i++) {
      if (!present(i)) {
        const def = defs[i] as CdmKeyDef;
        const p = raw?.fields.get(def.key);
        if (i < 21) this.missing(def, p, b, line);
        else {
          this.issues.push(
            this.issue(
              'CDM_COVARIANCE_INCOMPLETE',
              `covariance row ${def.key.split('_')[0]} is incomplete: ${def.key} is missing (rows are all-or-nothing, in the order drag, SRP, thrust)`,
              p?.line ?? line,
              { key: def.key, expected: `${def.key} = ...`, found: 'nothing' },
            ),
          );
        }
        return undefined;
      }
    }
    return { comments: raw?.comments ?? [], lowerTriangle: tri.slice(0, count) };
  }

  /** The model value of one non-empty field, or undefined after an issue. */
  private value(def: CdmKeyDef, p: Pair): string | number | CdmEpoch | number[] | undefined {
    const text = p.value.trim();
    switch (def.kind) {
      case 'text': {
        if (def.listed !== undefined && !def.listed.includes(text)) {
          if (def.key === 'OBJECT') {
            this.issues.push(
              this.issue(
                'CDM_OBJECT_ORDER',
                'OBJECT must be OBJECT1 or OBJECT2',
                p.line,
                this.at(p, 'OBJECT1 or OBJECT2', text),
              ),
            );
            return undefined;
          }
          this.warnings.push(
            this.issue(
              'CDM_VALUE_NOT_LISTED',
              `${def.key} is not one of the values CCSDS lists`,
              p.line,
              this.at(p, def.listed.join(', '), text),
            ),
          );
        }
        return text;
      }
      case 'epoch': {
        const e = readCdmEpoch(text);
        if (e === undefined) {
          this.issues.push(
            this.issue(
              'CDM_EPOCH',
              `${def.key} is not a valid CCSDS UTC time`,
              p.line,
              this.at(p, 'YYYY-MM-DDThh:mm:ss[.d] or YYYY-DDDThh:mm:ss[.d] (a real date)', text),
            ),
          );
        }
        return e;
      }
      case 'number':
      case 'integer': {
        const toModel = this.unitConversion(def, p);
        if (toModel === undefined) return undefined;
        const v = this.number(def, p, text);
        return v === undefined ? undefined : toModel(v, text);
      }
      case 'numbers':
      case 'integers': {
        const toModel = this.unitConversion(def, p);
        if (toModel === undefined) return undefined;
        const out: number[] = [];
        for (const part of text.split(/\s+/)) {
          const v = this.number(def, p, part);
          if (v === undefined) return undefined;
          out.push(toModel(v, part));
        }
        return out;
      }
    }
  }

  /**
   * The file → model conversion of one value by its declared unit: none declared, or the CCSDS
   * unit, is the key table's conversion; another unit of the same quantity is converted (`[km]` on
   * MISS_DISTANCE, `units="km**2"` on CR_R); the standard unit without its `/s` is CARA's labelling
   * slip, read in the standard unit with a warning; any other unit is refused (`CDM_UNIT`), since
   * the value cannot be read correctly.
   */
  private unitConversion(def: CdmKeyDef, p: Pair): ((v: number, text: string) => number) | undefined {
    const plain = (v: number) => cdmToModel(def, v);
    const declaredText = p.unit?.trim() ?? '';
    if (def.unit === undefined || declaredText === '' || cdmSameUnit(def.unit, declaredText)) return plain;
    const standard = parseCdmUnit(def.unit) as CdmUnit;
    const declared = parseCdmUnit(declaredText);
    if (declared !== undefined && cdmSameDimension(declared, standard)) {
      const ratio = declared.scale / standard.scale;
      if (Math.abs(ratio - 1) <= 1e-12) return plain;
      const modelPerStandard = def.div !== undefined ? 1 / def.div : (def.mul ?? 1);
      const r = ratio * modelPerStandard;
      return (v: number, text: string) => cdmScaleText(text, v, r);
    }
    if (declared !== undefined && cdmMissingPerSecond(declared, standard)) {
      this.warnings.push(
        this.issue(
          'CDM_UNIT_MISMATCH',
          `unit of ${p.key} lacks its "/s"; read in [${def.unit}]`,
          p.line,
          this.at(p, `[${def.unit}]`, `[${declaredText}]`),
        ),
      );
      return plain;
    }
    this.issues.push(
      this.issue(
        'CDM_UNIT',
        declared === undefined
          ? `unit of ${p.key} is not a unit this reader knows`
          : `unit of ${p.key} does not measure what ${p.key} is (CCSDS unit [${def.unit}])`,
        p.line,
        this.at(p, `[${def.unit}] or another unit of the same quantity`, `[${declaredText}]`),
      ),
    );
    return undefined;
  }

  private number(def: CdmKeyDef, p: Pair, text: string): number | undefined {
    if (NAN_TEXT.test(text) && def.mandatory !== true && (def.kind === 'number' || def.kind === 'integer')) {
      this.nanKeys.push(p);
      return Number.NaN;
    }
    const v = parseKvnNumber(text);
    const integer = def.kind === 'integer' || def.kind === 'integers';
    if (Number.isNaN(v) || (integer && !Number.isInteger(v))) {
      const what = integer ? 'an integer' : 'a number';
      this.issues.push(
        this.issue('CDM_NUMBER', `${def.key} is not ${what}`, p.line, this.at(p, what, p.value.trim())),
      );
      return undefined;
    }
    return v;
  }
}

function finish(tokens: readonly Token[], options: CdmReadOptions, warnings: ParseIssue[]): ParseResult<Cdm> {
  const b = new CdmBuilder(options.file);
  for (const t of tokens) b.add(t);
  const cdm = b.build();
  if (cdm === undefined) {
    const issues =
      b.issues.length > 0
        ? b.issues
        : [
            b.issue('CDM_EMPTY', 'no CDM found', 1, {
              expected: 'CCSDS_CDM_VERS = 1.0 ...',
              found: 'nothing',
            }),
          ];
    return { ok: false, issues };
  }
  return { ok: true, value: cdm, warnings: [...warnings, ...b.warnings] };
}

// ---------------------------------------------------------------------------------------------
// KVN
// ---------------------------------------------------------------------------------------------

/** A lone `[` at the end of a `KEY = value [` line (CARA writes it when the unit is empty). */
const LONE_BRACKET = /^([^=[\]]*=[^[\]]*?)\s*\[\s*$/;

/**
 * Reads a CDM in KVN (CCSDS 508.0-B-1 §6). All problems are reported with their line, column and
 * keyword; any of them rejects the message.
 */
export function parseCdmKvn(text: string, options: CdmReadOptions = {}): ParseResult<Cdm> {
  const warnings: ParseIssue[] = [];
  const where = (line: number) => (options.file === undefined ? { line } : { file: options.file, line });
  let source = text;
  if (text.includes('[')) {
    const lines = text.split('\n');
    let changed = false;
    lines.forEach((l, i) => {
      const m = LONE_BRACKET.exec(l.replace(/\r$/, ''));
      if (m === null || /^\s*COMMENT\b/.test(l)) return;
      const key = (m[1] as string).split('=')[0]?.trim() ?? '';
      warnings.push({
        ...where(i + 1),
        code: 'CDM_UNIT_UNCLOSED',
        message: `a lone "[" after the value of ${key} is read as no unit`,
        key,
        expected: '[unit] or nothing',
        found: '[',
      });
      lines[i] = l.replace(/\[(\s*\r?)$/, ' $1');
      changed = true;
    });
    if (changed) source = lines.join('\n');
  }
  const kvn = parseKvn(source, options);
  if (!kvn.ok) return kvn;
  const tokens: Token[] = [];
  const issues: ParseIssue[] = [];
  for (const e of kvn.value) {
    if (e.kind === 'pair') {
      tokens.push(
        e.unit === undefined
          ? { kind: 'pair', key: e.key, value: e.value, line: e.line, column: e.column }
          : { kind: 'pair', key: e.key, value: e.value, unit: e.unit, line: e.line, column: e.column },
      );
    } else if (e.kind === 'comment') tokens.push({ kind: 'comment', text: e.text, line: e.line });
    else {
      issues.push({
        ...where(e.line),
        column: 1,
        code: 'CDM_SYNTAX',
        message:
          e.kind === 'raw' ? 'line is not KEYWORD = value' : `block marker ${e.key} does not belong in a CDM`,
        expected: 'KEYWORD = value or COMMENT',
        found: e.kind === 'raw' ? e.text : e.key,
      });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return finish(tokens, options, warnings);
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

/** Elements of the CDM XML schema that hold other elements. */
const XML_CONTAINERS: ReadonlySet<string> = new Set([
  'header',
  'body',
  'relativeMetadataData',
  'relativeStateVector',
  'segment',
  'metadata',
  'data',
  'odParameters',
  'additionalParameters',
  'stateVector',
  'covarianceMatrix',
  'userDefinedParameters',
]);

/**
 * Reads a CDM in XML (CCSDS 505.0-B-2): a `<cdm>` root, or an `<ndm>` root holding exactly one
 * `<cdm>`. CCSDS_CDM_VERS comes from the root's `version` attribute. User-defined parameters are
 * read in both forms, `<USER_DEFINED parameter="X">` and `<USER_DEFINED_X>`.
 */
export function parseCdmXml(text: string, options: CdmReadOptions = {}): ParseResult<Cdm> {
  const doc = parseXml(text, options);
  if (!doc.ok) return doc;
  const where = (el: XmlElement) =>
    options.file === undefined
      ? { line: el.line, column: el.column }
      : { file: options.file, line: el.line, column: el.column };
  let root = doc.value.root;
  if (xmlLocalName(root.name) === 'ndm') {
    const cdms = xmlChildElements(root, 'cdm');
    if (cdms.length !== 1) {
      return {
        ok: false,
        issues: [
          {
            ...where(root),
            code: 'CDM_STRUCTURE',
            message: 'an <ndm> read as a CDM must hold exactly one <cdm>',
            expected: 'one <cdm>',
            found: `${cdms.length} <cdm>`,
          },
        ],
      };
    }
    root = cdms[0] as XmlElement;
  }
  if (xmlLocalName(root.name) !== 'cdm') {
    return {
      ok: false,
      issues: [
        {
          ...where(root),
          code: 'CDM_STRUCTURE',
          message: 'root element is not <cdm>',
          expected: '<cdm>',
          found: `<${root.name}>`,
        },
      ],
    };
  }
  const tokens: Token[] = [];
  const issues: ParseIssue[] = [];
  const version = root.attributes['version'];
  if (version !== undefined)
    tokens.push({
      kind: 'pair',
      key: 'CCSDS_CDM_VERS',
      value: version,
      line: root.line,
      column: root.column,
    });
  const walk = (el: XmlElement): void => {
    for (const c of xmlChildElements(el)) {
      const name = xmlLocalName(c.name);
      if (name === 'COMMENT') {
        tokens.push({ kind: 'comment', text: xmlText(c).trim(), line: c.line });
      } else if (XML_CONTAINERS.has(name)) {
        if (name === 'segment') tokens.push({ kind: 'object', line: c.line });
        walk(c);
      } else if (xmlChildElements(c).length > 0) {
        issues.push({
          ...where(c),
          code: 'CDM_STRUCTURE',
          message: `<${name}> is not a CDM block and must hold a value, not elements`,
          key: name,
          expected: 'a keyword element holding a value',
          found: `<${name}> with child elements`,
        });
      } else {
        const key = name === 'USER_DEFINED' ? `${USER_PREFIX}${c.attributes['parameter'] ?? ''}` : name;
        const nil = c.attributes['nil'] ?? c.attributes['xsi:nil'];
        const value = nil === 'true' ? '' : xmlText(c).trim();
        const unit = c.attributes['units'];
        tokens.push(
          unit === undefined
            ? { kind: 'pair', key, value, line: c.line, column: c.column }
            : { kind: 'pair', key, value, unit, line: c.line, column: c.column },
        );
      }
    }
  };
  walk(root);
  if (issues.length > 0) return { ok: false, issues };
  return finish(tokens, options, []);
}

/** Reads a CDM in KVN or XML, chosen by content (XML starts with `<`). */
export function parseCdm(text: string, options: CdmReadOptions = {}): ParseResult<Cdm> {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return s.trimStart().startsWith('<') ? parseCdmXml(text, options) : parseCdmKvn(text, options);
}

// ---------------------------------------------------------------------------------------------
// Input for the probability-of-collision code
// ---------------------------------------------------------------------------------------------

/** One object of a conjunction, as the Pc code needs it. */
export interface CdmConjunctionObject {
  readonly objectDesignator: string;
  readonly objectName: string;
  /** The CDM's REF_FRAME of the state (usually ITRF, EME2000 or GCRF). */
  readonly refFrame: string;
  /** Position at TCA, km, in `refFrame`. */
  readonly positionKm: readonly [number, number, number];
  /** Velocity at TCA, km/s, in `refFrame`. */
  readonly velocityKmPerS: readonly [number, number, number];
  /** Full symmetric 6×6 RTN covariance (R, T, N, Ṙ, Ṫ, Ṅ): km², km²/s, km²/s². */
  readonly covarianceRtn: readonly (readonly number[])[];
  /** Full 7×7..9×9 RTN covariance when the CDM has the drag/SRP/thrust rows (units: cdm-model.ts). */
  readonly covarianceRtnFull?: readonly (readonly number[])[];
  /** This object's HBR (CDM 2.0 draft keyword), km. */
  readonly hbrKm?: number;
}

/** Where the combined hard-body radius came from. */
export type CdmHbrSource = 'cara-comment' | 'sum-of-object-hbr';

export interface CdmConjunctionInput {
  /** TCA as written (millisecond text in most CDMs) and as a UTC Julian date. */
  readonly tca: CdmEpoch;
  readonly missDistanceKm: number;
  readonly relativeSpeedKmPerS?: number;
  /** Combined hard-body radius, km, when the CDM gives one (see `hbrSource`). */
  readonly hbrKm?: number;
  readonly hbrSource?: CdmHbrSource;
  /** The CDM's own Pc and method, when given. */
  readonly collisionProbability?: number;
  readonly collisionProbabilityMethod?: string;
  readonly objects: readonly [CdmConjunctionObject, CdmConjunctionObject];
}

/** CARA's comment convention `COMMENT HBR = 10 [m]` (relative block or first object's metadata). */
const CARA_HBR = /^HBR\s*=\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?:\[\s*(m|km)\s*\])?\s*$/i;

function caraHbrKm(cdm: Cdm): number | undefined {
  const comments = [...cdm.relativeMetadata.comments, ...cdm.objects[0].metadata.comments];
  for (const c of comments) {
    const m = CARA_HBR.exec(c.trim());
    if (m !== null) {
      const v = Number(m[1]);
      return (m[2] ?? 'm').toLowerCase() === 'km' ? v : v / 1000;
    }
  }
  return undefined;
}

function conjunctionObject(o: CdmObject): CdmConjunctionObject {
  const s = o.stateVector;
  const out: Record<string, unknown> = {
    objectDesignator: o.metadata.objectDesignator,
    objectName: o.metadata.objectName,
    refFrame: o.metadata.refFrame,
    positionKm: [s.xKm, s.yKm, s.zKm],
    velocityKmPerS: [s.xDotKmPerS, s.yDotKmPerS, s.zDotKmPerS],
    covarianceRtn: cdmCovariance6(o.covarianceRtn),
  };
  if (o.covarianceRtn.lowerTriangle.length > 21)
    out['covarianceRtnFull'] = cdmCovarianceMatrix(o.covarianceRtn);
  if (o.additionalParameters?.hbrKm !== undefined) out['hbrKm'] = o.additionalParameters.hbrKm;
  return out as unknown as CdmConjunctionObject;
}

/**
 * The conjunction as the Pc code takes it: TCA, both states (km, km/s, in each object's REF_FRAME)
 * and 6×6 RTN covariances (km-based). The combined HBR is CARA's `COMMENT HBR = x [m]` when present,
 * else the sum of both objects' HBR keywords (CDM 2.0 draft) when both are given, else absent.
 * No propagation: the states are at the CDM's TCA as written (CARA rounds it to the millisecond).
 */
export function cdmToConjunctionInput(cdm: Cdm): CdmConjunctionInput {
  const r = cdm.relativeMetadata;
  const objects: [CdmConjunctionObject, CdmConjunctionObject] = [
    conjunctionObject(cdm.objects[0]),
    conjunctionObject(cdm.objects[1]),
  ];
  const out: Record<string, unknown> = { tca: r.tca, missDistanceKm: r.missDistanceKm, objects };
  if (r.relativeSpeedKmPerS !== undefined) out['relativeSpeedKmPerS'] = r.relativeSpeedKmPerS;
  if (r.collisionProbability !== undefined) out['collisionProbability'] = r.collisionProbability;
  if (r.collisionProbabilityMethod !== undefined)
    out['collisionProbabilityMethod'] = r.collisionProbabilityMethod;
  const cara = caraHbrKm(cdm);
  const h1 = objects[0].hbrKm;
  const h2 = objects[1].hbrKm;
  if (cara !== undefined) {
    out['hbrKm'] = cara;
    out['hbrSource'] = 'cara-comment';
  } else if (h1 !== undefined && h2 !== undefined) {
    out['hbrKm'] = h1 + h2;
    out['hbrSource'] = 'sum-of-object-hbr';
  }
  return out as unknown as CdmConjunctionInput;
}
