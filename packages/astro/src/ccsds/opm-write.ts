/**
 * OPM writer, KVN (CCSDS 502.0-B-2 / B-3 §3, §7) and NDM/XML (CCSDS 505.0-B-2 `<opm>`), from the
 * model of opm.ts. Blocks in the standard's order; each number is written with the fewest digits
 * that read back to the same double in the model (degrees are converted from radians on the way,
 * and the text is chosen so that the round trip file → model → file → model is exact). Units are
 * written in KVN brackets / XML `units` attributes as the key table declares them.
 * Throws AstroError `OPM_INVALID` for a non-finite number or a multi-line or empty text value.
 */
import { AstroError } from '../errors.js';
import { parseKvnNumber } from './kvn.js';
import {
  OPM_COVARIANCE_KEYS,
  type Opm,
  type OpmBlock,
  type OpmKeyDef,
  opmCovarianceIndex,
  opmKeyDef,
} from './opm.js';

function nextDouble(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x > 0 === dir > 0 ? bits + 1n : bits - 1n);
  return buf.getFloat64(0);
}

/** The shortest text of a model value that reads back to exactly the same model value. */
export function opmNumberText(def: OpmKeyDef, v: number): string {
  if (!Number.isFinite(v)) {
    throw new AstroError('OPM_INVALID', `${def.key} is not a finite number`, { key: def.key, found: v });
  }
  const scale = def.scale ?? 1;
  const x = v / scale;
  const candidates = [x, nextDouble(x, 1), nextDouble(x, -1), nextDouble(nextDouble(x, 1), 1)];
  candidates.push(nextDouble(nextDouble(x, -1), -1));
  let best: string | undefined;
  for (const c of candidates) {
    for (const s of [String(c), c.toPrecision(15), c.toPrecision(16), c.toPrecision(17)]) {
      const text = s.replace(/e\+?/, 'e').replace(/^(-?\d+\.\d*?)0+e/, '$1e');
      if (parseKvnNumber(text) * scale === v && (best === undefined || text.length < best.length))
        best = text;
    }
  }
  return best ?? String(x);
}

function checkText(key: string, value: string): string {
  const v = value.trim();
  if (v === '' || /[\r\n]/.test(v)) {
    throw new AstroError('OPM_INVALID', `${key} must be a non-empty single-line text`, { key, found: value });
  }
  return v;
}

interface OutItem {
  readonly key: string;
  readonly text: string;
  readonly unit?: string;
}
interface OutBlock {
  readonly block: OpmBlock;
  readonly comments: readonly string[];
  readonly items: OutItem[];
}

function item(key: string, value: string | number | undefined, out: OutItem[]): void {
  if (value === undefined) return;
  const def = opmKeyDef(key);
  if (def === undefined) throw new AstroError('OPM_INVALID', `unknown keyword ${key}`, { key });
  if (typeof value === 'number') {
    out.push({ key, text: opmNumberText(def, value), ...(def.unit === undefined ? {} : { unit: def.unit }) });
  } else out.push({ key, text: checkText(key, value) });
}

function blocksOf(opm: Opm): OutBlock[] {
  const blocks: OutBlock[] = [];
  const add = (block: OpmBlock, comments: readonly string[] | undefined, fill: (o: OutItem[]) => void) => {
    const items: OutItem[] = [];
    fill(items);
    blocks.push({ block, comments: comments ?? [], items });
  };
  const h = opm.header;
  add('header', h.comments, (o) => {
    item('CCSDS_OPM_VERS', h.version, o);
    item('CLASSIFICATION', h.classification, o);
    item('CREATION_DATE', h.creationDate, o);
    item('ORIGINATOR', h.originator, o);
    item('MESSAGE_ID', h.messageId, o);
  });
  const m = opm.metadata;
  add('metadata', m.comments, (o) => {
    item('OBJECT_NAME', m.objectName, o);
    item('OBJECT_ID', m.objectId, o);
    item('CENTER_NAME', m.centerName, o);
    item('REF_FRAME', m.refFrame, o);
    item('REF_FRAME_EPOCH', m.refFrameEpoch, o);
    item('TIME_SYSTEM', m.timeSystem, o);
  });
  const sv = opm.stateVector;
  add('stateVector', sv.comments, (o) => {
    item('EPOCH', sv.epoch, o);
    for (let i = 0; i < 3; i++) {
      item(['X', 'Y', 'Z'][i] as string, sv.positionKm[i], o);
    }
    for (let i = 0; i < 3; i++) {
      item(['X_DOT', 'Y_DOT', 'Z_DOT'][i] as string, sv.velocityKmS[i], o);
    }
  });
  const k = opm.keplerianElements;
  if (k !== undefined) {
    add('keplerianElements', k.comments, (o) => {
      item('SEMI_MAJOR_AXIS', k.semiMajorAxisKm, o);
      item('ECCENTRICITY', k.eccentricity, o);
      item('INCLINATION', k.inclinationRad, o);
      item('RA_OF_ASC_NODE', k.raanRad, o);
      item('ARG_OF_PERICENTER', k.argPericenterRad, o);
      item('TRUE_ANOMALY', k.trueAnomalyRad, o);
      item('MEAN_ANOMALY', k.meanAnomalyRad, o);
      item('GM', k.gmKm3S2, o);
    });
  }
  const sc = opm.spacecraft;
  if (sc !== undefined) {
    add('spacecraftParameters', sc.comments, (o) => {
      item('MASS', sc.massKg, o);
      item('SOLAR_RAD_AREA', sc.solarRadAreaM2, o);
      item('SOLAR_RAD_COEFF', sc.solarRadCoeff, o);
      item('DRAG_AREA', sc.dragAreaM2, o);
      item('DRAG_COEFF', sc.dragCoeff, o);
    });
  }
  const c = opm.covariance;
  if (c !== undefined) {
    if (c.matrix.length !== 36) {
      throw new AstroError('OPM_INVALID', 'the covariance needs 36 values (6×6 row-major)', {
        found: c.matrix.length,
      });
    }
    add('covarianceMatrix', c.comments, (o) => {
      item('COV_REF_FRAME', c.refFrame, o);
      for (const key of OPM_COVARIANCE_KEYS) {
        const ij = opmCovarianceIndex(key);
        if (ij !== undefined) item(key, c.matrix[ij.i * 6 + ij.j], o);
      }
    });
  }
  for (const man of opm.maneuvers) {
    add('maneuverParameters', man.comments, (o) => {
      item('MAN_EPOCH_IGNITION', man.epochIgnition, o);
      item('MAN_DURATION', man.durationS, o);
      item('MAN_DELTA_MASS', man.deltaMassKg, o);
      item('MAN_REF_FRAME', man.refFrame, o);
      for (let i = 0; i < 3; i++) item(`MAN_DV_${i + 1}`, man.dvKmS[i], o);
    });
  }
  if (opm.userDefined.length > 0 || (opm.userDefinedComments?.length ?? 0) > 0) {
    blocks.push({
      block: 'userDefinedParameters',
      comments: opm.userDefinedComments ?? [],
      items: opm.userDefined.map((u) => ({
        key: `USER_DEFINED_${checkText('USER_DEFINED', u.name)}`,
        text: checkText(`USER_DEFINED_${u.name}`, u.value),
      })),
    });
  }
  return blocks;
}

/** Writes an OPM in KVN (CCSDS_OPM_VERS as in the model's header). */
export function formatOpmKvn(opm: Opm): string {
  const lines: string[] = [];
  for (const b of blocksOf(opm)) {
    if (b.block !== 'header') lines.push('');
    // Header comments follow CCSDS_OPM_VERS (502.0-B-2 §7.8.3).
    const items = b.items;
    const start = b.block === 'header' ? 1 : 0;
    for (let i = 0; i < start; i++) {
      const it = items[i];
      if (it !== undefined) lines.push(kvnLine(it));
    }
    for (const c of b.comments) lines.push(`COMMENT ${c}`.trimEnd());
    for (let i = start; i < items.length; i++) {
      const it = items[i];
      if (it !== undefined) lines.push(kvnLine(it));
    }
  }
  return `${lines.join('\n')}\n`;
}

function kvnLine(it: OutItem): string {
  const base = `${it.key.padEnd(20)} = ${it.text}`;
  return it.unit === undefined ? base : `${base.padEnd(48)} [${it.unit}]`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Writes an OPM in NDM/XML (`<opm id="CCSDS_OPM_VERS" version=…>`). */
export function formatOpmXml(opm: Opm): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const blocks = blocksOf(opm);
  const version = blocks[0]?.items[0]?.text ?? '3.0';
  out.push(`<opm id="CCSDS_OPM_VERS" version="${esc(version)}">`);
  const body = (b: OutBlock, indent: string) => {
    for (const c of b.comments) out.push(`${indent}<COMMENT>${esc(c)}</COMMENT>`);
    for (const it of b.items) {
      if (it.key === 'CCSDS_OPM_VERS') continue;
      if (b.block === 'userDefinedParameters') {
        const name = it.key.slice('USER_DEFINED_'.length);
        out.push(`${indent}<USER_DEFINED parameter="${esc(name)}">${esc(it.text)}</USER_DEFINED>`);
        continue;
      }
      const unit = it.unit === undefined ? '' : ` units="${esc(it.unit)}"`;
      out.push(`${indent}<${it.key}${unit}>${esc(it.text)}</${it.key}>`);
    }
  };
  for (const b of blocks) {
    if (b.block === 'header') {
      out.push('  <header>');
      body(b, '    ');
      out.push('  </header>', '  <body>', '    <segment>');
    } else if (b.block === 'metadata') {
      out.push('      <metadata>');
      body(b, '        ');
      out.push('      </metadata>', '      <data>');
    } else {
      out.push(`        <${b.block}>`);
      body(b, '          ');
      out.push(`        </${b.block}>`);
    }
  }
  out.push('      </data>', '    </segment>', '  </body>', '</opm>');
  return `${out.join('\n')}\n`;
}
