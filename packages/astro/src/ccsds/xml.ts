/**
 * A small dependency-free XML 1.0 reader for CCSDS NDM/XML messages (CCSDS 505.0-B-2) and CelesTrak
 * GP XML. It reads the subset of W3C XML 1.0 (Fifth Edition) that these files use: XML declaration,
 * byte-order mark, elements, attributes, character data, comments, CDATA sections, processing
 * instructions (skipped), the five predefined entities and character references. A DOCTYPE without
 * an internal subset is skipped; DTDs are not supported (`XML_UNSUPPORTED`). Namespaces are not
 * resolved: names keep their prefix and `xmlLocalName` strips it.
 * Errors carry a stable code (`XML_SYNTAX`, `XML_MISMATCHED_TAG`, `XML_ENTITY`, `XML_UNSUPPORTED`)
 * and the 1-based line and column where they were found.
 */
import type { ParseIssue, ParseResult } from '../errors.js';

export interface XmlText {
  readonly kind: 'text';
  /** Character data with entities decoded (CDATA sections included verbatim). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface XmlElement {
  readonly kind: 'element';
  /** Qualified name as written (`xsi:schemaLocation`, `OBJECT_NAME`). */
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  readonly line: number;
  readonly column: number;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDocument {
  /** Attributes of the `<?xml ...?>` declaration, when present. */
  readonly declaration?: Readonly<Record<string, string>>;
  readonly root: XmlElement;
}

export interface XmlReadOptions {
  /** File name reported in issues. */
  readonly file?: string;
}

/** The name without its namespace prefix. */
export function xmlLocalName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** Child elements, optionally only those with a given local name. */
export function xmlChildElements(el: XmlElement, localName?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.kind === 'element' && (localName === undefined || xmlLocalName(c.name) === localName)) out.push(c);
  }
  return out;
}

/** Concatenated text of the direct text children. */
export function xmlText(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.kind === 'text') s += c.text;
  return s;
}

class XmlFailure extends Error {
  readonly issue: Omit<ParseIssue, 'file'>;
  constructor(issue: Omit<ParseIssue, 'file'>) {
    super(issue.message);
    this.issue = issue;
  }
}

interface MutableElement {
  kind: 'element';
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  line: number;
  column: number;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Parses an XML document. On failure, one issue with code, line, column, expected and found. */
export function parseXml(text: string, options: XmlReadOptions = {}): ParseResult<XmlDocument> {
  try {
    return { ok: true, value: new XmlReader(text).document(), warnings: [] };
  } catch (e) {
    if (e instanceof XmlFailure) {
      const issue = options.file === undefined ? e.issue : { ...e.issue, file: options.file };
      return { ok: false, issues: [issue] };
    }
    throw e;
  }
}

class XmlReader {
  private readonly s: string;
  private p: number;
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    this.s = text;
    this.p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  private where(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  private fail(code: string, message: string, expected: string, offset = this.p): never {
    const found = offset >= this.s.length ? 'end of input' : this.s.slice(offset, offset + 20);
    throw new XmlFailure({ code, message, expected, found, ...this.where(offset) });
  }

  private skipSpace(): void {
    while (this.p < this.s.length && isSpace(this.s.charCodeAt(this.p))) this.p++;
  }

  private startsWith(t: string): boolean {
    return this.s.startsWith(t, this.p);
  }

  document(): XmlDocument {
    let declaration: Record<string, string> | undefined;
    if (this.startsWith('<?xml') && isSpace(this.s.charCodeAt(this.p + 5))) {
      this.p += 5;
      declaration = this.attributes('?>');
      if (!this.startsWith('?>')) this.fail('XML_SYNTAX', 'XML declaration is not closed', '"?>"');
      this.p += 2;
    }
    this.misc();
    if (this.startsWith('<!DOCTYPE')) {
      const close = this.s.indexOf('>', this.p);
      const bracket = this.s.indexOf('[', this.p);
      if (bracket >= 0 && (close < 0 || bracket < close)) {
        this.fail('XML_UNSUPPORTED', 'DTD internal subsets are not supported', 'no DOCTYPE internal subset');
      }
      if (close < 0) this.fail('XML_SYNTAX', 'DOCTYPE is not closed', '">"');
      this.p = close + 1;
      this.misc();
    }
    if (this.p >= this.s.length || this.s.charCodeAt(this.p) !== 60) {
      this.fail('XML_SYNTAX', 'no root element', 'a root element "<name ...>"');
    }
    const root = this.element();
    this.misc();
    if (this.p < this.s.length) this.fail('XML_SYNTAX', 'content after the root element', 'end of input');
    return declaration === undefined ? { root } : { declaration, root };
  }

  /** Comments, processing instructions and white space between markup. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.processingInstruction();
      else return;
    }
  }

  private comment(): void {
    const end = this.s.indexOf('-->', this.p + 4);
    if (end < 0) this.fail('XML_SYNTAX', 'comment is not closed', '"-->"');
    this.p = end + 3;
  }

  private processingInstruction(): void {
    const end = this.s.indexOf('?>', this.p + 2);
    if (end < 0) this.fail('XML_SYNTAX', 'processing instruction is not closed', '"?>"');
    this.p = end + 2;
  }

  private name(): string {
    const start = this.p;
    if (start >= this.s.length || !isNameStart(this.s.charCodeAt(start))) {
      this.fail('XML_SYNTAX', 'expected a name', 'a letter, "_" or ":"');
    }
    this.p++;
    while (this.p < this.s.length && isNameChar(this.s.charCodeAt(this.p))) this.p++;
    return this.s.slice(start, this.p);
  }

  /** Attributes up to (not including) '>' , '/>' or the given terminator. */
  private attributes(terminator: string): Record<string, string> {
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = this.p;
      this.skipSpace();
      const c = this.s.charCodeAt(this.p);
      if (this.p >= this.s.length) this.fail('XML_SYNTAX', 'tag is not closed', `"${terminator}"`);
      if (this.startsWith(terminator) || c === 62 || (c === 47 && this.s.charCodeAt(this.p + 1) === 62))
        return attrs;
      if (before === this.p)
        this.fail('XML_SYNTAX', 'attributes must be separated by white space', 'white space');
      const at = this.p;
      const name = this.name();
      this.skipSpace();
      if (this.s.charCodeAt(this.p) !== 61) this.fail('XML_SYNTAX', `attribute ${name} has no value`, '"="');
      this.p++;
      this.skipSpace();
      const q = this.s.charCodeAt(this.p);
      if (q !== 34 && q !== 39)
        this.fail('XML_SYNTAX', `value of attribute ${name} is not quoted`, '\'"\' or "\'"');
      const end = this.s.indexOf(q === 34 ? '"' : "'", this.p + 1);
      if (end < 0) this.fail('XML_SYNTAX', `value of attribute ${name} is not closed`, 'a closing quote');
      const raw = this.s.slice(this.p + 1, end);
      const lt = raw.indexOf('<');
      if (lt >= 0)
        this.fail('XML_SYNTAX', `"<" inside the value of attribute ${name}`, '"&lt;"', this.p + 1 + lt);
      if (name in attrs) this.fail('XML_SYNTAX', `attribute ${name} is repeated`, 'each attribute once', at);
      attrs[name] = this.decode(raw, this.p + 1);
      this.p = end + 1;
    }
  }

  /** Decodes entity and character references in `raw`, which starts at `offset` in the input. */
  private decode(raw: string, offset: number): string {
    let amp = raw.indexOf('&');
    if (amp < 0) return raw;
    let out = '';
    let last = 0;
    while (amp >= 0) {
      const semi = raw.indexOf(';', amp);
      if (semi < 0) this.fail('XML_ENTITY', 'entity reference is not closed', '";"', offset + amp);
      const ref = raw.slice(amp + 1, semi);
      let ch: string | undefined;
      if (ref.startsWith('#x')) {
        const code = /^#x[0-9a-fA-F]+$/.test(ref) ? Number.parseInt(ref.slice(2), 16) : Number.NaN;
        ch = code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
      } else if (ref.startsWith('#')) {
        const code = /^#\d+$/.test(ref) ? Number.parseInt(ref.slice(1), 10) : Number.NaN;
        ch = code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
      } else {
        ch = PREDEFINED[ref];
      }
      if (ch === undefined) {
        this.fail(
          'XML_ENTITY',
          `unknown entity &${ref};`,
          '&lt; &gt; &amp; &quot; &apos; or &#N;',
          offset + amp,
        );
      }
      out += raw.slice(last, amp) + ch;
      last = semi + 1;
      amp = raw.indexOf('&', last);
    }
    return out + raw.slice(last);
  }

  private element(): XmlElement {
    const open = this.p;
    this.p++; // '<'
    const name = this.name();
    const attributes = this.attributes('>');
    const el: MutableElement = { kind: 'element', name, attributes, children: [], ...this.where(open) };
    if (this.s.charCodeAt(this.p) === 47) {
      this.p += 2; // '/>'
      return el;
    }
    this.p++; // '>'
    for (;;) {
      const lt = this.s.indexOf('<', this.p);
      if (lt < 0)
        this.fail('XML_MISMATCHED_TAG', `element <${name}> is not closed`, `"</${name}>"`, this.s.length);
      if (lt > this.p) {
        const raw = this.s.slice(this.p, lt);
        el.children.push({ kind: 'text', text: this.decode(raw, this.p), ...this.where(this.p) });
        this.p = lt;
      }
      if (this.startsWith('</')) {
        const closeAt = this.p;
        this.p += 2;
        const closeName = this.name();
        this.skipSpace();
        if (this.s.charCodeAt(this.p) !== 62)
          this.fail('XML_SYNTAX', `closing tag </${closeName} is not closed`, '">"');
        if (closeName !== name) {
          this.fail(
            'XML_MISMATCHED_TAG',
            `closing tag </${closeName}> does not match <${name}>`,
            `"</${name}>"`,
            closeAt,
          );
        }
        this.p++;
        return el;
      }
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<![CDATA[')) {
        const end = this.s.indexOf(']]>', this.p + 9);
        if (end < 0) this.fail('XML_SYNTAX', 'CDATA section is not closed', '"]]>"');
        el.children.push({ kind: 'text', text: this.s.slice(this.p + 9, end), ...this.where(this.p) });
        this.p = end + 3;
      } else if (this.startsWith('<?')) this.processingInstruction();
      else if (this.startsWith('<!'))
        this.fail('XML_UNSUPPORTED', 'markup declarations are not supported', 'an element, comment or CDATA');
      else el.children.push(this.element());
    }
  }
}
