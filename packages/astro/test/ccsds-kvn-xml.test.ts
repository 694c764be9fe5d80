import { describe, expect, it } from 'vitest';
import { parseKvn, parseKvnNumber } from '../src/ccsds/kvn.js';
import { parseXml, xmlChildElements, xmlLocalName, xmlText } from '../src/ccsds/xml.js';
import { readRefBytes, readRefText } from './reference-data.js';

describe('KVN reader', () => {
  it('splits pairs, units, comments, block markers and raw data lines with line numbers', () => {
    const text = [
      'CCSDS_OEM_VERS = 2.0',
      'COMMENT  free text = with equals',
      '',
      '  META_START',
      'OBJECT_ID       =',
      'GM  = 398600.8 [km**3/s**2]',
      'META_STOP',
      '2020-01-01T00:00:00 1 2 3 4 5 6\r',
    ].join('\n');
    const r = parseKvn(`\ufeff${text}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { kind: 'pair', key: 'CCSDS_OEM_VERS', value: '2.0', line: 1, column: 18 },
      { kind: 'comment', text: 'free text = with equals', line: 2 },
      { kind: 'marker', key: 'META_START', line: 4 },
      { kind: 'pair', key: 'OBJECT_ID', value: '', line: 5, column: 18 },
      { kind: 'pair', key: 'GM', value: '398600.8', unit: 'km**3/s**2', line: 6, column: 7 },
      { kind: 'marker', key: 'META_STOP', line: 7 },
      { kind: 'raw', text: '2020-01-01T00:00:00 1 2 3 4 5 6', line: 8 },
    ]);
  });

  it('rejects lower-case keywords and unclosed units with line and column', () => {
    const r = parseKvn('A = 1\nobject_name = x\nB = 2 [km\n', { file: 'x.kvn' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.line, i.column, i.file])).toEqual([
      ['KVN_SYNTAX', 2, 1, 'x.kvn'],
      ['KVN_SYNTAX', 3, 7, 'x.kvn'],
    ]);
  });

  it('reads CCSDS numbers and refuses the rest', () => {
    expect(parseKvnNumber('-.47102E-5')).toBe(-0.47102e-5);
    expect(parseKvnNumber('+3')).toBe(3);
    expect(parseKvnNumber('1.5d3')).toBe(1500);
    expect(parseKvnNumber('0925')).toBe(925);
    for (const bad of ['', '1.2.3', 'this-is-not-a-number', '1e', '0x10', 'NaN'])
      expect(parseKvnNumber(bad)).toBeNaN();
  });

  it.each([
    'ccsds-ndm-rs/kvn/opm_g1.kvn',
    'ccsds-ndm-rs/kvn/omm_g9.kvn',
    'ccsds-ndm-rs/kvn/oem_g12.kvn',
    'ccsds-ndm-rs/kvn/ocm_g15.kvn',
    'ccsds-ndm-rs/kvn/rdm_c1.kvn',
    'ccsds-ndm-rs/kvn/tdm_e1.kvn',
    'ccsds-ndm-py/kvn/cdm_example_section4.kvn',
    'ccsds-ndm-py/kvn/508x1b1_figc_2_rdm.kvn',
    'orekit/lexical/minimalist-UTF-8.kvn',
  ])('lexes the published example %s', (relative) => {
    const r = parseKvn(readRefText(`ccsds/${relative}`));
    expect(r.ok ? r.value.length : r.issues).toBeGreaterThan(0);
  });
});

describe('XML reader', () => {
  it('reads declaration, BOM, attributes, text, entities, character references, CDATA and comments', () => {
    const text =
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- lead -->\n<!DOCTYPE ndm>\n' +
      '<ndm xmlns:xsi=\'http://www.w3.org/2001/XMLSchema-instance\' a="x &amp; y">\n' +
      '  <omm id="CCSDS_OMM_VERS" version="2.0"><OBJECT_NAME>A &lt;B&gt; &#65;&#x42; &quot;&apos;</OBJECT_NAME>' +
      '<X><![CDATA[<raw & text>]]></X><E/><?pi ignored?><!-- c --></omm>\n</ndm>\n';
    const r = parseXml(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.declaration).toEqual({ version: '1.0', encoding: 'UTF-8' });
    const root = r.value.root;
    expect([root.name, root.line, root.column]).toEqual(['ndm', 4, 1]);
    expect(root.attributes).toEqual({ 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', a: 'x & y' });
    const omm = xmlChildElements(root, 'omm')[0];
    expect(omm?.attributes['version']).toBe('2.0');
    expect([omm?.line, omm?.column]).toEqual([5, 3]);
    const [name, x, e] = xmlChildElements(omm as never);
    expect(xmlText(name as never)).toBe('A <B> AB "\'');
    expect(xmlText(x as never)).toBe('<raw & text>');
    expect(e?.children).toEqual([]);
    expect(xmlLocalName('xsi:type')).toBe('type');
  });

  it.each([
    ['<a><b></a>', 'XML_MISMATCHED_TAG', 1, 7],
    ['<a>\n  <b>x</b>\n  &nope;</a>', 'XML_ENTITY', 3, 3],
    ['<a x="1" x="2"/>', 'XML_SYNTAX', 1, 10],
    ['<a x=1/>', 'XML_SYNTAX', 1, 6],
    ['<a></a><b/>', 'XML_SYNTAX', 1, 8],
    ['<a>', 'XML_MISMATCHED_TAG', 1, 4],
    ['<!DOCTYPE a [<!ENTITY e "x">]><a/>', 'XML_UNSUPPORTED', 1, 1],
    ['<a><!-- open</a>', 'XML_SYNTAX', 1, 4],
    ['', 'XML_SYNTAX', 1, 1],
  ])('rejects %j with %s at line %i column %i', (text, code, line, column) => {
    const r = parseXml(text, { file: 'bad.xml' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues[0];
    expect([issue?.code, issue?.line, issue?.column, issue?.file]).toEqual([code, line, column, 'bad.xml']);
    expect(issue?.expected).toBeTruthy();
  });

  it.each([
    'ccsds-ndm-rs/xml/ndm_g21.xml',
    'ccsds-ndm-rs/xml/ocm_g20.xml',
    'ccsds-ndm-rs/xml/oem_g14.xml',
    'ccsds-ndm-rs/xml/rdm_c3.xml',
    'ccsds-ndm-rs/xml/tdm_e21.xml',
    'ccsds-ndm-py/xml/cdm_example_section4.xml',
    'ccsds-ndm-py/xml/tdm-testcase01a-fordocument.xml',
    'orekit/ndm/NDM-opm-entity.xml',
    'orekit/odm/oem/OEMExample3.xml',
    'orekit/lexical/minimalist-UTF-8.xml',
    'orekit/lexical/minimalist-UTF-8-BOM.xml',
  ])('reads the published example %s', (relative) => {
    const r = parseXml(readRefText(`ccsds/${relative}`));
    expect(r.ok ? r.value.root.children.length : r.issues).toBeGreaterThan(0);
  });

  it('reads UTF-16 files once the caller has decoded them (the reader takes text, not bytes)', () => {
    for (const f of ['minimalist-UTF-16-LE.xml', 'minimalist-UTF-16-LE-BOM.xml']) {
      const text = readRefBytes(`ccsds/orekit/lexical/${f}`).toString('utf16le');
      const r = parseXml(text);
      expect(r.ok ? xmlLocalName(r.value.root.name) : r.issues).toBeTypeOf('string');
    }
  });
});
