/**
 * CCSDS Orbit Ephemeris Message (OEM) in NDM/XML (CCSDS 505.0-B-2, `<oem>`; content as 502.0-B-2
 * §5, version 3.0 header CLASSIFICATION accepted): the XML twin of the KVN reader and writer of
 * oem.ts, with the same model (`OemFile` read, `OemMessage` written).
 * - `parseOemXml`: header, one `<segment>` per metadata/data pair, `<stateVector>` elements (EPOCH,
 *   X…Z_DOT and optionally X_DDOT…Z_DDOT) and `<covarianceMatrix>` elements (EPOCH, optional
 *   COV_REF_FRAME, the 21 lower-triangle terms CX_X … CZ_DOT_Z_DOT in km², km²/s, km²/s²). XML has
 *   no COVARIANCE_START/STOP: a segment with covariances counts one covariance block. A `units`
 *   attribute must be the standard's (`OEM_UNIT`). The first problem rejects the message with an
 *   issue naming line, column, key, expected and found, as the KVN reader does; a DOCTYPE is refused
 *   (`OEM_XML_DOCTYPE`).
 * - `formatOemXml`: checks the message as formatOemKvn does (same `OEM_INVALID` errors) and writes the
 *   same numbers (positions to 1e-9 km, velocities to 1e-12 km/s by default, covariance terms to 16
 *   significant digits).
 */
import { parseUtcString } from '../elements/utc-calendar.js';
import type { ParseIssue, ParseResult } from '../errors.js';
import { parseKvnNumber } from './kvn.js';
import {
  formatOemKvn,
  type OemCovarianceRead,
  type OemFile,
  type OemMessage,
  type OemMetadata,
  type OemSegmentRead,
  type OemStateRead,
  type OemWriteOptions,
} from './oem.js';
import { OPM_COVARIANCE_KEYS, opmCovarianceIndex } from './opm.js';
import { parseXml, type XmlElement, xmlChildElements, xmlLocalName, xmlText } from './xml.js';

class OemXmlFailure extends Error {
  readonly issue: ParseIssue;
  constructor(issue: ParseIssue) {
    super(issue.message);
    this.issue = issue;
  }
}

const HEADER_KEYS = ['CREATION_DATE', 'ORIGINATOR', 'MESSAGE_ID', 'CLASSIFICATION'];
const META_KEYS = [
  'OBJECT_NAME',
  'OBJECT_ID',
  'CENTER_NAME',
  'REF_FRAME',
  'REF_FRAME_EPOCH',
  'TIME_SYSTEM',
  'START_TIME',
  'USEABLE_START_TIME',
  'USEABLE_STOP_TIME',
  'STOP_TIME',
  'INTERPOLATION',
  'INTERPOLATION_DEGREE',
];
const META_MANDATORY = [
  'OBJECT_NAME',
  'OBJECT_ID',
  'CENTER_NAME',
  'REF_FRAME',
  'TIME_SYSTEM',
  'START_TIME',
  'STOP_TIME',
];
const STATE_UNITS: Readonly<Record<string, string>> = {
  X: 'km',
  Y: 'km',
  Z: 'km',
  X_DOT: 'km/s',
  Y_DOT: 'km/s',
  Z_DOT: 'km/s',
  X_DDOT: 'km/s**2',
  Y_DDOT: 'km/s**2',
  Z_DDOT: 'km/s**2',
};
const STATE_KEYS = Object.keys(STATE_UNITS);

function covarianceUnit(key: string): string {
  const ij = opmCovarianceIndex(key);
  const n = ij === undefined ? 0 : (ij.i >= 3 ? 1 : 0) + (ij.j >= 3 ? 1 : 0);
  return n === 0 ? 'km**2' : n === 1 ? 'km**2/s' : 'km**2/s**2';
}

/** Reads an OEM in NDM/XML. See the module header for what is refused. */
export function parseOemXml(text: string, options: { readonly file?: string } = {}): ParseResult<OemFile> {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype !== null) {
    const issue: ParseIssue = {
      ...(options.file === undefined ? {} : { file: options.file }),
      line: text.slice(0, doctype.index).split('\n').length,
      column: 1,
      code: 'OEM_XML_DOCTYPE',
      message: 'a DOCTYPE is not allowed in an NDM/XML message',
      expected: '<oem> without DOCTYPE',
      found: '<!DOCTYPE',
    };
    return { ok: false, issues: [issue] };
  }
  const doc = parseXml(text, options);
  if (!doc.ok) return doc;
  try {
    return { ok: true, value: readOemXml(doc.value.root, options.file), warnings: [] };
  } catch (e) {
    if (e instanceof OemXmlFailure) return { ok: false, issues: [e.issue] };
    throw e;
  }
}

function readOemXml(root: XmlElement, file: string | undefined): OemFile {
  const fail = (el: XmlElement, code: string, message: string, extra: Partial<ParseIssue> = {}): never => {
    const base: ParseIssue = { code, message, line: el.line, column: el.column, ...extra };
    throw new OemXmlFailure(file === undefined ? base : { ...base, file });
  };
  if (xmlLocalName(root.name) !== 'oem') {
    fail(root, 'OEM_SYNTAX', 'the root element is not <oem>', { expected: '<oem>', found: `<${root.name}>` });
  }
  const version = (root.attributes['version'] ?? '').trim();
  if (version === '') {
    fail(root, 'OEM_MISSING_KEY', 'the <oem> element has no version', {
      key: 'CCSDS_OEM_VERS',
      expected: 'version="2.0" or "3.0"',
      found: 'nothing',
    });
  }
  /** Reads the keyword children of `el` (COMMENTs apart) into a map, refusing unknown ones. */
  const keys = (el: XmlElement, allowed: readonly string[], comments: string[]) => {
    const out = new Map<string, XmlElement>();
    for (const c of xmlChildElements(el)) {
      const name = xmlLocalName(c.name);
      if (name === 'COMMENT') {
        comments.push(xmlText(c).trim());
        continue;
      }
      if (!allowed.includes(name)) {
        fail(c, 'OEM_UNKNOWN_KEY', `<${name}> is not a keyword of <${xmlLocalName(el.name)}>`, {
          key: name,
          expected: allowed.join(', '),
          found: `<${c.name}>`,
        });
      }
      if (out.has(name)) {
        fail(c, 'OEM_SYNTAX', `${name} appears twice in <${xmlLocalName(el.name)}>`, {
          key: name,
          expected: 'each keyword once',
          found: `a second <${name}>`,
        });
      }
      out.set(name, c);
    }
    return out;
  };
  const need = (el: XmlElement, map: Map<string, XmlElement>, mandatory: readonly string[]) => {
    for (const k of mandatory) {
      if (!map.has(k))
        fail(el, 'OEM_MISSING_KEY', `${k} is missing from <${xmlLocalName(el.name)}>`, {
          key: k,
          expected: `<${k}>`,
          found: 'nothing',
        });
    }
  };
  const textOf = (el: XmlElement) => xmlText(el).trim();
  const num = (el: XmlElement, unit: string | undefined): number => {
    const key = xmlLocalName(el.name);
    const u = el.attributes['units'];
    if (u !== undefined && u.trim().toLowerCase() !== (unit ?? 'n/a').toLowerCase()) {
      fail(el, 'OEM_UNIT', `${key} is written in a unit that is not the standard's`, {
        key,
        expected: unit === undefined ? 'no unit' : `units="${unit}"`,
        found: `units="${u}"`,
      });
    }
    const x = parseKvnNumber(textOf(el));
    if (!Number.isFinite(x)) {
      fail(el, 'OEM_NUMBER', `${key} is not a number`, { key, expected: 'a number', found: textOf(el) });
    }
    return x;
  };

  let headerEl: XmlElement | undefined;
  let bodyEl: XmlElement | undefined;
  for (const c of xmlChildElements(root)) {
    const n = xmlLocalName(c.name);
    if (n === 'header' && headerEl === undefined) headerEl = c;
    else if (n === 'body' && bodyEl === undefined && headerEl !== undefined) bodyEl = c;
    else
      fail(c, 'OEM_SYNTAX', `<${c.name}> is not expected here`, {
        expected: '<header> then <body>',
        found: `<${c.name}>`,
      });
  }
  if (headerEl === undefined || bodyEl === undefined) {
    return fail(root, 'OEM_SYNTAX', 'an OEM needs <header> and <body>', {
      expected: '<header> then <body>',
      found: headerEl === undefined ? 'no <header>' : 'no <body>',
    });
  }
  const headerComments: string[] = [];
  const header = keys(headerEl, HEADER_KEYS, headerComments);
  need(headerEl, header, ['CREATION_DATE', 'ORIGINATOR']);

  const segments: OemSegmentRead[] = [];
  for (const seg of xmlChildElements(bodyEl)) {
    if (xmlLocalName(seg.name) !== 'segment')
      fail(seg, 'OEM_SYNTAX', `<${seg.name}> is not expected in <body>`, {
        expected: '<segment>',
        found: `<${seg.name}>`,
      });
    const parts = xmlChildElements(seg);
    const metaEl = parts[0];
    const dataEl = parts[1];
    if (
      parts.length !== 2 ||
      metaEl === undefined ||
      dataEl === undefined ||
      xmlLocalName(metaEl.name) !== 'metadata' ||
      xmlLocalName(dataEl.name) !== 'data'
    ) {
      fail(parts[2] ?? parts[0] ?? seg, 'OEM_SYNTAX', 'a segment is one <metadata> and one <data>', {
        expected: '<metadata> then <data>',
        found: parts.map((p) => `<${p.name}>`).join(' '),
      });
    }
    const me = metaEl as XmlElement;
    const metaComments: string[] = [];
    const meta = keys(me, META_KEYS, metaComments);
    need(me, meta, META_MANDATORY);
    const metaOut: Record<string, unknown> = { comments: metaComments };
    const fields: [string, string][] = [
      ['objectName', 'OBJECT_NAME'],
      ['objectId', 'OBJECT_ID'],
      ['centerName', 'CENTER_NAME'],
      ['refFrame', 'REF_FRAME'],
      ['refFrameEpoch', 'REF_FRAME_EPOCH'],
      ['timeSystem', 'TIME_SYSTEM'],
      ['startTime', 'START_TIME'],
      ['stopTime', 'STOP_TIME'],
      ['useableStartTime', 'USEABLE_START_TIME'],
      ['useableStopTime', 'USEABLE_STOP_TIME'],
      ['interpolation', 'INTERPOLATION'],
    ];
    for (const [field, key] of fields) {
      const el = meta.get(key);
      if (el !== undefined) metaOut[field] = textOf(el);
    }
    const degEl = meta.get('INTERPOLATION_DEGREE');
    if (degEl !== undefined) {
      const d = parseKvnNumber(textOf(degEl));
      if (!Number.isInteger(d))
        fail(degEl, 'OEM_NUMBER', 'INTERPOLATION_DEGREE is not an integer', {
          key: 'INTERPOLATION_DEGREE',
          expected: 'an integer',
          found: textOf(degEl),
        });
      metaOut['interpolationDegree'] = d;
    }
    // Field order as the KVN reader builds it, so that both readers give equal objects.
    const metadata = {
      objectName: metaOut['objectName'],
      objectId: metaOut['objectId'],
      centerName: metaOut['centerName'],
      refFrame: metaOut['refFrame'],
      timeSystem: metaOut['timeSystem'],
      startTime: metaOut['startTime'],
      stopTime: metaOut['stopTime'],
      comments: metaComments,
      ...Object.fromEntries(
        ['refFrameEpoch', 'useableStartTime', 'useableStopTime', 'interpolation', 'interpolationDegree']
          .filter((k) => metaOut[k] !== undefined)
          .map((k) => [k, metaOut[k]]),
      ),
    } as unknown as OemMetadata;
    const utc = metadata.timeSystem.toUpperCase() === 'UTC';

    const states: OemStateRead[] = [];
    const covariances: OemCovarianceRead[] = [];
    const dataComments: string[] = [];
    for (const d of xmlChildElements(dataEl as XmlElement)) {
      const dn = xmlLocalName(d.name);
      if (dn === 'COMMENT') {
        dataComments.push(textOf(d));
      } else if (dn === 'stateVector') {
        if (covariances.length > 0)
          fail(d, 'OEM_SYNTAX', 'a <stateVector> after a <covarianceMatrix>', {
            expected: 'all <stateVector> before the covariances',
            found: '<stateVector>',
          });
        const m = keys(d, ['EPOCH', ...STATE_KEYS], []);
        need(d, m, ['EPOCH', 'X', 'Y', 'Z', 'X_DOT', 'Y_DOT', 'Z_DOT']);
        const accel = ['X_DDOT', 'Y_DDOT', 'Z_DDOT'].filter((k) => m.has(k)).length;
        if (accel !== 0 && accel !== 3)
          fail(d, 'OEM_MISSING_KEY', 'accelerations need X_DDOT, Y_DDOT and Z_DDOT together', {
            key: 'X_DDOT',
            expected: 'all three or none',
            found: `${accel} of 3`,
          });
        const epochEl = m.get('EPOCH') as XmlElement;
        const epoch = textOf(epochEl);
        const epochUtc = utc ? parseUtcString(epoch) : undefined;
        if (utc && epochUtc === undefined)
          fail(epochEl, 'OEM_EPOCH', 'ephemeris epoch is not a CCSDS time', {
            key: 'EPOCH',
            expected: 'YYYY-MM-DDThh:mm:ss[.d]',
            found: epoch,
          });
        const v = (k: string) => num(m.get(k) as XmlElement, STATE_UNITS[k]);
        const state: Record<string, unknown> = {
          epoch,
          r: [v('X'), v('Y'), v('Z')],
          v: [v('X_DOT'), v('Y_DOT'), v('Z_DOT')],
          line: d.line,
        };
        if (accel === 3) state['a'] = [v('X_DDOT'), v('Y_DDOT'), v('Z_DDOT')];
        if (epochUtc !== undefined) state['epochUtc'] = epochUtc;
        states.push(state as unknown as OemStateRead);
      } else if (dn === 'covarianceMatrix') {
        const m = keys(d, ['EPOCH', 'COV_REF_FRAME', ...OPM_COVARIANCE_KEYS], []);
        need(d, m, ['EPOCH', ...OPM_COVARIANCE_KEYS]);
        const matrix = new Float64Array(36);
        for (const key of OPM_COVARIANCE_KEYS) {
          const ij = opmCovarianceIndex(key);
          if (ij === undefined) continue;
          const x = num(m.get(key) as XmlElement, covarianceUnit(key));
          matrix[6 * ij.i + ij.j] = x;
          matrix[6 * ij.j + ij.i] = x;
        }
        const frameEl = m.get('COV_REF_FRAME');
        covariances.push({
          epoch: textOf(m.get('EPOCH') as XmlElement),
          ...(frameEl === undefined ? {} : { refFrame: textOf(frameEl) }),
          matrix,
          line: (m.get('EPOCH') as XmlElement).line,
        });
      } else {
        fail(d, 'OEM_SYNTAX', `<${d.name}> is not expected in <data>`, {
          expected: '<COMMENT>, <stateVector> or <covarianceMatrix>',
          found: `<${d.name}>`,
        });
      }
    }
    if (states.length === 0)
      fail(dataEl as XmlElement, 'OEM_SYNTAX', 'segment without ephemeris lines', {
        expected: 'at least one <stateVector>',
        found: 'none',
      });
    segments.push({
      meta: metadata,
      states,
      comments: dataComments,
      covarianceCount: covariances.length > 0 ? 1 : 0,
      covariances,
      line: seg.line,
    });
  }
  if (segments.length === 0)
    fail(bodyEl, 'OEM_SYNTAX', 'no segment', { expected: '<segment>', found: 'none' });
  const h: Record<string, unknown> = {
    creationDate: textOf(header.get('CREATION_DATE') as XmlElement),
    originator: textOf(header.get('ORIGINATOR') as XmlElement),
    comments: headerComments,
  };
  const mid = header.get('MESSAGE_ID');
  if (mid !== undefined) h['messageId'] = textOf(mid);
  const cls = header.get('CLASSIFICATION');
  if (cls !== undefined) h['classification'] = textOf(cls);
  return { version, header: h as unknown as OemFile['header'], segments };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Writes an OEM in NDM/XML (version 2.0, or 3.0 when the header carries a CLASSIFICATION), with the same checks, numbers and options as
 * formatOemKvn (which it runs first to validate the message).
 */
export function formatOemXml(message: OemMessage, options: OemWriteOptions = {}): string {
  formatOemKvn(message, options);
  const pd = options.positionDecimals ?? 9;
  const vd = options.velocityDecimals ?? 12;
  const h = message.header;
  // CLASSIFICATION is a version 3.0 keyword (502.0-B-3); without it the message is written as 2.0.
  const classification = (h as { readonly classification?: string }).classification;
  const version = classification === undefined ? '2.0' : '3.0';
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<oem id="CCSDS_OEM_VERS" version="${version}">`,
  ];
  const el = (indent: string, key: string, value: string, unit?: string) =>
    out.push(`${indent}<${key}${unit === undefined ? '' : ` units="${unit}"`}>${esc(value.trim())}</${key}>`);
  const comments = (indent: string, list: readonly string[] | undefined) => {
    for (const c of list ?? []) el(indent, 'COMMENT', c);
  };
  out.push('  <header>');
  comments('    ', h.comments);
  if (classification !== undefined) el('    ', 'CLASSIFICATION', classification);
  el('    ', 'CREATION_DATE', h.creationDate);
  el('    ', 'ORIGINATOR', h.originator);
  if (h.messageId !== undefined) el('    ', 'MESSAGE_ID', h.messageId);
  out.push('  </header>', '  <body>');
  for (const seg of message.segments) {
    const m = seg.meta;
    out.push('    <segment>', '      <metadata>');
    const i8 = '        ';
    comments(i8, m.comments);
    el(i8, 'OBJECT_NAME', m.objectName);
    el(i8, 'OBJECT_ID', m.objectId);
    el(i8, 'CENTER_NAME', m.centerName);
    el(i8, 'REF_FRAME', m.refFrame);
    if (m.refFrameEpoch !== undefined) el(i8, 'REF_FRAME_EPOCH', m.refFrameEpoch);
    el(i8, 'TIME_SYSTEM', m.timeSystem);
    el(i8, 'START_TIME', m.startTime);
    if (m.useableStartTime !== undefined) el(i8, 'USEABLE_START_TIME', m.useableStartTime);
    if (m.useableStopTime !== undefined) el(i8, 'USEABLE_STOP_TIME', m.useableStopTime);
    el(i8, 'STOP_TIME', m.stopTime);
    if (m.interpolation !== undefined) el(i8, 'INTERPOLATION', m.interpolation);
    if (m.interpolationDegree !== undefined) el(i8, 'INTERPOLATION_DEGREE', String(m.interpolationDegree));
    out.push('      </metadata>', '      <data>');
    comments(i8, seg.comments);
    const i10 = '          ';
    for (const s of seg.states) {
      out.push(`${i8}<stateVector>`);
      el(i10, 'EPOCH', s.epoch);
      ['X', 'Y', 'Z'].forEach((k, j) => {
        el(i10, k, (s.r[j] as number).toFixed(pd), 'km');
      });
      ['X_DOT', 'Y_DOT', 'Z_DOT'].forEach((k, j) => {
        el(i10, k, (s.v[j] as number).toFixed(vd), 'km/s');
      });
      const a = s.a;
      if (a !== undefined)
        ['X_DDOT', 'Y_DDOT', 'Z_DDOT'].forEach((k, j) => {
          el(i10, k, (a[j] as number).toFixed(vd + 3), 'km/s**2');
        });
      out.push(`${i8}</stateVector>`);
    }
    for (const c of seg.covariances ?? []) {
      out.push(`${i8}<covarianceMatrix>`);
      comments(i10, c.comments);
      el(i10, 'EPOCH', c.epoch);
      if (c.refFrame !== undefined) el(i10, 'COV_REF_FRAME', c.refFrame);
      for (const key of OPM_COVARIANCE_KEYS) {
        const ij = opmCovarianceIndex(key);
        if (ij !== undefined)
          el(i10, key, (c.matrix[6 * ij.i + ij.j] as number).toExponential(15), covarianceUnit(key));
      }
      out.push(`${i8}</covarianceMatrix>`);
    }
    out.push('      </data>', '    </segment>');
  }
  out.push('  </body>', '</oem>');
  return `${out.join('\n')}\n`;
}
