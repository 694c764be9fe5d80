/**
 * The printable report of a case: one self-contained HTML document (no script, no external
 * resource: styles inline, the evidence charts rendered to SVG on the server by @hoshimi/plot and
 * inlined, namespace URIs removed), with English and Japanese labels (`lang` picks which comes
 * first). Structure after domain.md §7.3: summary and timeline, evidence with provenance and hashes,
 * indicators, alternative hypotheses, each organisation's assessment in ICD 203 words with the
 * confidence stated apart, the partners' positions, markings per item, and the standing statement
 * that the system issues no verdict.
 */
import {
  ALTERNATIVE_HYPOTHESES,
  CONFIDENCE_LABELS,
  type ConfidenceLevel,
  caseIndicator,
  counterspaceClass,
  formatMarking,
  ICD203_LIKELIHOODS,
  type Reader,
} from '@hoshimi/astro';
import { renderSvg } from '@hoshimi/plot';
import type { CatalogStore } from '@hoshimi/store';
import { VEGA_LITE_MEDIA_TYPE } from './case-evidence.js';
import { NO_VERDICT_STATEMENT } from './case-service.js';

export type ReportLanguage = 'en' | 'ja';

/** Objects listed in the report's provenance table (a fragmentation can involve hundreds). */
const MAX_REPORT_OBJECTS = 50;

const L = {
  caseFile: { en: 'Case file', ja: '事案ファイル' },
  version: { en: 'Version', ja: '版' },
  state: { en: 'State', ja: '状態' },
  draft: { en: 'draft', ja: '草案' },
  shared: { en: 'shared', ja: '共有中' },
  closed: { en: 'closed', ja: '終結' },
  owner: { en: 'Owner', ja: '所有組織' },
  partners: { en: 'Partners', ja: 'パートナー' },
  source: { en: 'Opened from', ja: '起点' },
  marking: { en: 'Marking', ja: '区分' },
  summary: { en: 'Summary', ja: '概要' },
  evidence: { en: 'Evidence', ja: '証拠' },
  name: { en: 'Name', ja: '名称' },
  kind: { en: 'Kind', ja: '種別' },
  sha256: { en: 'SHA-256', ja: 'SHA-256' },
  size: { en: 'Size (bytes)', ja: 'サイズ（バイト）' },
  plots: { en: 'Evidence plots', ja: '証拠の図' },
  indicators: { en: 'Indicators', ja: '指標' },
  class: { en: 'Class', ja: '分類' },
  indicator: { en: 'Indicator', ja: '指標' },
  note: { en: 'Note', ja: '注記' },
  hypotheses: { en: 'Alternative hypotheses', ja: '代替仮説' },
  hypothesis: { en: 'Hypothesis', ja: '仮説' },
  evidenceFor: { en: 'Evidence for', ja: '支持する証拠' },
  evidenceAgainst: { en: 'Evidence against', ja: '反する証拠' },
  assessments: { en: 'Assessments (ICD 203)', ja: '評価（ICD 203）' },
  organisation: { en: 'Organisation', ja: '組織' },
  subject: { en: 'Subject', ja: '対象' },
  likelihood: { en: 'Likelihood', ja: '可能性' },
  confidence: { en: 'Confidence', ja: '確度' },
  reasons: { en: 'Reasons', ja: '理由' },
  positions: { en: 'Partner positions', ja: 'パートナーの立場' },
  position: { en: 'Position', ja: '立場' },
  concur: { en: 'concurs', ja: '同意' },
  dissent: { en: 'dissents', ja: '不同意' },
  notes: { en: 'Notes', ja: '注記' },
  history: { en: 'Version history', ja: '版の履歴' },
  closure: { en: 'Closure', ja: '終結' },
  by: { en: 'By', ja: '作成者' },
  at: { en: 'At (UTC)', ja: '日時（UTC）' },
  noVerdict: { en: 'No verdict', ja: '判定なし' },
  none: { en: 'none', ja: 'なし' },
  scale: { en: 'ICD 203 likelihood scale', ja: 'ICD 203 可能性の尺度' },
  detector: { en: 'Detection', ja: '検出' },
  subtype: { en: 'Subtype', ja: '細分類' },
  detectorName: { en: 'Detector and version', ja: '検出器と版' },
  score: { en: 'Score', ja: 'スコア' },
  threshold: { en: 'Threshold', ja: 'しきい値' },
  window: { en: 'Window (UTC)', ja: '時間窓（UTC）' },
  objects: { en: 'Objects and data provenance', ja: '物体とデータの出所' },
  catalogNumber: { en: 'Catalog number', ja: 'カタログ番号' },
  sets: { en: 'Element sets', ja: '軌道要素数' },
  epochs: { en: 'First – last epoch (UTC)', ja: '最初〜最後の元期（UTC）' },
  sources: { en: 'Sources', ja: '出所' },
  dataAge: { en: 'Data age at the event (days)', ja: '事象時点のデータ経過日数' },
} as const;

type Key = keyof typeof L;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Removes what would point outside the document from a rendered SVG (namespace URIs, links). */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*>/g, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\s+(xlink:)?href="https?:[^"]*"/g, '');
}

/** The report of case `id` (at `version`) as `reader` sees it; null when absent or not readable. */
export async function caseReportHtml(
  store: CatalogStore,
  reader: Reader,
  id: number,
  lang: ReportLanguage,
  version?: number,
): Promise<string | null> {
  const cs = store.cases();
  const c = await cs.getCase(reader, id, version);
  if (c === null) return null;
  const other: ReportLanguage = lang === 'en' ? 'ja' : 'en';
  const t = (k: Key) => `${esc(L[k][lang])} <span class="alt">${esc(L[k][other])}</span>`;
  const pick = (x: { en: string; ja: string }) => `${esc(x[lang])} <span class="alt">${esc(x[other])}</span>`;
  const v = c.version;
  const content = v.content;
  const banner = esc(formatMarking(v.marking));
  const rows = (head: string[], body: string[][]) =>
    body.length === 0
      ? `<p class="none">${t('none')}</p>`
      : `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;

  // Detector outputs and data provenance, read from the evidence attachments (domain.md §7.3 items 2–3).
  const jsonOf = async (kind: string): Promise<Record<string, unknown> | null> => {
    const a = c.attachments.find((x) => x.kind === kind);
    if (a === undefined) return null;
    const full = await cs.caseAttachment(reader, id, a.id);
    try {
      return full === null
        ? null
        : (JSON.parse(Buffer.from(full.content).toString('utf8')) as Record<string, unknown>);
    } catch {
      return null;
    }
  };
  const ev = await jsonOf('event');
  const hist = await jsonOf('element-history');
  const num = (x: unknown) =>
    typeof x === 'number'
      ? Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)
        ? x.toExponential(3)
        : x.toFixed(3)
      : esc(String(x ?? '—'));
  const detectorRows =
    ev === null
      ? []
      : [
          [
            esc(String(ev['type'])),
            esc(String(ev['kind'])),
            `${esc(String(ev['detector']))} ${esc(String(ev['detectorVersion']))}`,
            num(ev['score']),
            num(ev['threshold']),
            `${esc(String(ev['windowStartUtc']))} – ${esc(String(ev['windowEndUtc']))}`,
          ],
        ];
  type HistoryRow = {
    catalogNumber?: string;
    name?: string | null;
    elementSets?: number;
    firstEpochUtc?: string | null;
    lastEpochUtc?: string | null;
    sources?: Record<string, number>;
    dataAgeAtEventDays?: number | null;
  };
  const listed = (hist?.['objects'] as HistoryRow[] | undefined) ?? [];
  const allObjects = listed.length;
  const objects = listed.slice(0, MAX_REPORT_OBJECTS);
  const historyRows = objects.map((o) => [
    esc(o.catalogNumber ?? ''),
    esc(o.name ?? '—'),
    String(o.elementSets ?? 0),
    `${esc(o.firstEpochUtc ?? '—')} – ${esc(o.lastEpochUtc ?? '—')}`,
    esc(
      Object.entries(o.sources ?? {})
        .map(([k, n]) => `${k} (${n})`)
        .join(', '),
    ),
    o.dataAgeAtEventDays == null ? '—' : o.dataAgeAtEventDays.toFixed(2),
  ]);

  const plots: string[] = [];
  for (const a of c.attachments) {
    if (a.mediaType !== VEGA_LITE_MEDIA_TYPE) continue;
    const full = await cs.caseAttachment(reader, id, a.id);
    if (full === null) continue;
    try {
      const spec = JSON.parse(Buffer.from(full.content).toString('utf8')) as Record<string, unknown>;
      const svg = inlineSvg(await renderSvg(spec));
      plots.push(
        `<figure><div class="mk">${esc(formatMarking(a.marking))}</div>${svg}<figcaption>${esc(a.name)} — SHA-256 ${esc(a.sha256)}</figcaption></figure>`,
      );
    } catch (e) {
      plots.push(`<p>${esc(a.name)}: ${esc((e as Error).message)}</p>`);
    }
  }

  const likelihood = (id: string) => {
    const l = ICD203_LIKELIHOODS.find((x) => x.id === id);
    return l === undefined
      ? esc(id)
      : `${pick({ en: l.en, ja: l.ja })} (${Math.round(l.min * 100)}–${Math.round(l.max * 100)} %)`;
  };
  const subject = (s: { kind: string; id: string }) => {
    if (s.kind === 'class') {
      const k = counterspaceClass(s.id);
      return k === undefined ? esc(s.id) : pick(k);
    }
    const h = content.hypotheses.find((x) => String(x.id) === s.id);
    return h === undefined
      ? `${t('hypothesis')} ${esc(s.id)}`
      : `${t('hypothesis')} ${esc(s.id)}: ${esc(h.title)}`;
  };
  const history = await cs.caseHistory(reader, id);
  const stateLabel = L[v.state as Key] ?? { en: v.state, ja: v.state };

  const html = `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${esc(L.caseFile[lang])} ${c.id}: ${esc(v.title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #111; }
.banner { text-align: center; font-weight: bold; border: 2px solid #000; padding: 0.2em; margin: 0.5em 0; }
.alt { color: #555; font-size: 0.85em; }
.mk { font-size: 0.8em; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
th { background: #eee; }
code { font-size: 0.85em; word-break: break-all; }
figure { margin: 1em 0; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
.statement { border: 1px solid #000; padding: 0.6em; background: #f6f6f6; }
@media print { .banner { position: running(header); } h2 { page-break-after: avoid; } }
</style>
</head>
<body>
<div class="banner">${banner}</div>
<h1>${t('caseFile')} ${c.id}: ${esc(v.title)}</h1>
<div class="statement"><strong>${t('noVerdict')}</strong><br>${esc(NO_VERDICT_STATEMENT[lang])}<br><span class="alt">${esc(NO_VERDICT_STATEMENT[other])}</span></div>
<table>
<tr><th>${t('version')}</th><td>${v.version} / ${c.latestVersion} — ${esc(v.createdAt)} — <code>${esc(v.contentSha256)}</code></td></tr>
<tr><th>${t('state')}</th><td>${pick(stateLabel)}</td></tr>
<tr><th>${t('owner')}</th><td>${esc(content.owner.organisation)} (${esc(content.owner.nation)})</td></tr>
<tr><th>${t('partners')}</th><td>${content.partners.map((p) => `${esc(p.organisation)} (${esc(p.nation)})`).join(', ') || t('none')}</td></tr>
<tr><th>${t('source')}</th><td>${esc(c.source.kind)} ${esc(c.source.id ?? '')} (${esc(c.source.type)})</td></tr>
<tr><th>${t('marking')}</th><td>${banner} — ${esc(v.marking.originator)} — ${esc(v.marking.dataMode)}</td></tr>
</table>
<h2>${t('summary')}</h2>
<p>${esc(content.summary)}</p>
<h2>${t('detector')}</h2>
${rows([t('kind'), t('subtype'), t('detectorName'), t('score'), t('threshold'), t('window')], detectorRows)}
<h2>${t('objects')}</h2>
${rows([t('catalogNumber'), t('name'), t('sets'), t('epochs'), t('sources'), t('dataAge')], historyRows)}
${allObjects > objects.length ? `<p class="alt">${allObjects - objects.length} more in element-histories.json</p>` : ''}
<h2>${t('evidence')}</h2>
${rows(
  [t('name'), t('kind'), t('marking'), t('size'), t('sha256')],
  c.attachments.map((a) => [
    esc(a.name),
    esc(a.kind),
    esc(formatMarking(a.marking)),
    String(a.size),
    `<code>${esc(a.sha256)}</code>`,
  ]),
)}
<h2>${t('plots')}</h2>
${plots.join('\n') || `<p class="none">${t('none')}</p>`}
<h2>${t('indicators')}</h2>
${rows(
  [t('class'), t('indicator'), t('note'), t('by'), t('marking')],
  content.indicators.map((i) => {
    const k = counterspaceClass(i.classId);
    const ind = caseIndicator(i.classId, i.indicatorId);
    return [
      k === undefined ? esc(i.classId) : pick(k),
      ind === undefined ? esc(i.indicatorId) : pick(ind),
      esc(i.note),
      `${esc(i.by)} (${esc(i.organisation)}) ${esc(i.at)}`,
      esc(formatMarking(i.marking)),
    ];
  }),
)}
<h2>${t('hypotheses')}</h2>
${rows(
  ['#', t('hypothesis'), t('evidenceFor'), t('evidenceAgainst'), t('marking')],
  content.hypotheses.map((h) => {
    const std = ALTERNATIVE_HYPOTHESES.find((x) => x.id === h.hypothesisId);
    return [
      String(h.id),
      std === undefined || h.hypothesisId === 'other' ? esc(h.title) : pick(std),
      esc(h.evidenceFor),
      esc(h.evidenceAgainst),
      esc(formatMarking(h.marking)),
    ];
  }),
)}
<h2>${t('assessments')}</h2>
${rows(
  [t('organisation'), t('subject'), t('likelihood'), t('confidence'), t('reasons'), t('marking')],
  content.assessments.map((a) => [
    `${esc(a.organisation)}<br>${esc(a.by)} ${esc(a.at)}`,
    subject(a.subject),
    likelihood(a.likelihood),
    pick(CONFIDENCE_LABELS[a.confidence as ConfidenceLevel] ?? { en: a.confidence, ja: a.confidence }),
    esc(a.reasons),
    esc(formatMarking(a.marking)),
  ]),
)}
<p class="alt">${t('scale')}: ${ICD203_LIKELIHOODS.map((l) => `${esc(l[lang])} ${Math.round(l.min * 100)}–${Math.round(l.max * 100)} %`).join('; ')}</p>
<h2>${t('positions')}</h2>
${rows(
  [t('organisation'), t('position'), t('reasons'), t('by')],
  content.responses.map((r) => [
    esc(r.organisation),
    t(r.position),
    esc(r.reasons),
    `${esc(r.by)} ${esc(r.at)}`,
  ]),
)}
<h2>${t('notes')}</h2>
${rows(
  [t('by'), t('note'), t('marking')],
  c.notes.map((n) => [
    `${esc(n.author)} (${esc(n.organisation)}) ${esc(n.createdAt)}`,
    esc(n.text),
    esc(formatMarking(n.marking)),
  ]),
)}
${content.closure === null ? '' : `<h2>${t('closure')}</h2><p>${esc(content.closure.by)} ${esc(content.closure.at)}: ${esc(content.closure.note)}</p>`}
<h2>${t('history')}</h2>
${rows(
  [t('version'), t('at'), t('by'), t('note')],
  history.map((h) => [String(h.version), esc(h.createdAt), esc(h.actor), esc(h.change)]),
)}
<div class="banner">${banner}</div>
</body>
</html>
`;
  return html;
}
