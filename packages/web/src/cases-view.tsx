/**
 * Case files in the console: the list of cases the signed-in user may read, and one case at any of
 * its versions — marking banner, state, partners, the evidence with hashes and markings, the
 * evidence charts (the Vega-Lite attachments rendered with vega-embed), indicators, hypotheses,
 * each organisation's ICD 203 assessment with its confidence, the partners' positions, notes, and
 * links to the printable report (English, Japanese) and the signed export. The console shows what
 * the case holds; it states no verdict.
 */
import {
  CONFIDENCE_LABELS,
  COUNTERSPACE_CLASSES,
  type ConfidenceLevel,
  ICD203_LIKELIHOODS,
} from '@hoshimi/astro';
import { useEffect, useState } from 'preact/hooks';
import { type CaseDetail, type CaseSummaryRow, caseApi } from './api.js';
import { VegaChart } from './chart.js';
import { useI18n } from './i18n.js';

const VEGA_LITE = 'application/vnd.vegalite.v6+json';

function CasePlots(props: { caseId: number; detail: CaseDetail }) {
  const [specs, setSpecs] = useState<{ name: string; spec: Record<string, unknown> }[]>([]);
  useEffect(() => {
    let cancelled = false;
    const plots = props.detail.attachments.filter((a) => a.mediaType === VEGA_LITE);
    Promise.all(
      plots.map(async (a) => ({ name: a.name, spec: await caseApi.attachmentJson(props.caseId, a.id) })),
    )
      .then((list) => {
        if (!cancelled) setSpecs(list);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [props.caseId, props.detail]);
  return (
    <div>
      {specs.map((s) => (
        <VegaChart key={s.name} spec={{ ...s.spec, width: 330 }} testId="case-plot" />
      ))}
    </div>
  );
}

function CaseDetailView(props: { id: number; onBack: () => void }) {
  const { t, language } = useI18n();
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    caseApi
      .get(props.id, version)
      .then(setDetail)
      .catch((e: Error) => setError(e.message));
  }, [props.id, version]);
  if (error !== null) return <p class="error">{error}</p>;
  if (detail === null) return <p>{t('objectLoading')}</p>;
  const c = detail.content;
  const label = (x: { en: string; ja: string } | undefined, fallback: string) =>
    x === undefined ? fallback : x[language];
  const cls = (id: string) => COUNTERSPACE_CLASSES.find((k) => k.id === id);
  return (
    <div data-testid="case-detail">
      <div class="case-banner" data-testid="case-marking">
        {detail.marking}
      </div>
      <button type="button" onClick={props.onBack}>
        {t('caseBack')}
      </button>
      <h3>
        {t('caseTitle', { id: detail.id })}: {detail.title}
      </h3>
      <p class="case-statement">{t('caseNoVerdict')}</p>
      <table class="list">
        <tbody>
          <tr>
            <th>{t('caseState')}</th>
            <td data-testid="case-state">{t(`caseState_${detail.state}` as 'caseState_draft')}</td>
          </tr>
          <tr>
            <th>{t('caseVersion')}</th>
            <td>
              <select
                data-testid="case-version"
                value={String(detail.version)}
                onChange={(e) => setVersion(Number((e.currentTarget as HTMLSelectElement).value))}
              >
                {Array.from({ length: detail.latestVersion }, (_, k) => k + 1).map((v) => (
                  <option key={v} value={String(v)}>
                    {v}
                  </option>
                ))}
              </select>{' '}
              / {detail.latestVersion} — {detail.change}
            </td>
          </tr>
          <tr>
            <th>{t('caseOwner')}</th>
            <td>{c.owner.organisation}</td>
          </tr>
          <tr>
            <th>{t('casePartners')}</th>
            <td>{c.partners.map((p) => `${p.organisation} (${p.nation})`).join(', ') || '—'}</td>
          </tr>
          <tr>
            <th>{t('caseSource')}</th>
            <td>
              {detail.source.kind} {detail.source.id ?? ''} ({detail.source.type})
            </td>
          </tr>
        </tbody>
      </table>
      <p class="case-links">
        <a
          href={`/cases/${detail.id}/report?lang=en&version=${detail.version}`}
          target="_blank"
          rel="noopener"
        >
          {t('caseReportEn')}
        </a>{' '}
        ·{' '}
        <a
          href={`/cases/${detail.id}/report?lang=ja&version=${detail.version}`}
          target="_blank"
          rel="noopener"
        >
          {t('caseReportJa')}
        </a>{' '}
        · <a href={`/cases/${detail.id}/export?version=${detail.version}`}>{t('caseExport')}</a>
      </p>
      <h4>{t('caseEvidence')}</h4>
      <table class="list" data-testid="case-evidence">
        <thead>
          <tr>
            <th>{t('colName')}</th>
            <th>{t('caseMarking')}</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {detail.attachments.map((a) => (
            <tr key={a.id}>
              <td>{a.name}</td>
              <td>{a.marking}</td>
              <td>
                <code>{a.sha256.slice(0, 16)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CasePlots caseId={detail.id} detail={detail} />
      <h4>{t('caseIndicators')}</h4>
      <ul>
        {c.indicators.map((i) => (
          <li key={i.id}>
            {label(cls(i.classId), i.classId)}:{' '}
            {label(
              cls(i.classId)?.indicators.find((x) => x.id === i.indicatorId),
              i.indicatorId,
            )}{' '}
            — {i.note} ({i.organisation})
          </li>
        ))}
      </ul>
      <h4>{t('caseHypotheses')}</h4>
      <ul>
        {c.hypotheses.map((h) => (
          <li key={h.id}>
            #{h.id} {h.title} — {t('caseFor')}: {h.evidenceFor || '—'}; {t('caseAgainst')}:{' '}
            {h.evidenceAgainst || '—'}
          </li>
        ))}
      </ul>
      <h4>{t('caseAssessments')}</h4>
      <table class="list" data-testid="case-assessments">
        <tbody>
          {c.assessments.map((a) => (
            <tr key={a.id}>
              <td>{a.organisation}</td>
              <td>
                {a.subject.kind === 'class' ? label(cls(a.subject.id), a.subject.id) : `#${a.subject.id}`}
              </td>
              <td>
                {label(
                  ICD203_LIKELIHOODS.find((l) => l.id === a.likelihood),
                  a.likelihood,
                )}
              </td>
              <td>{label(CONFIDENCE_LABELS[a.confidence as ConfidenceLevel], a.confidence)}</td>
              <td>{a.reasons}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>{t('casePositions')}</h4>
      <ul>
        {c.responses.map((r) => (
          <li key={r.organisation}>
            {r.organisation}: {t(r.position === 'concur' ? 'caseConcur' : 'caseDissent')} — {r.reasons}
          </li>
        ))}
      </ul>
      <h4>{t('caseNotes')}</h4>
      <ul>
        {detail.notes.map((n) => (
          <li key={n.id}>
            [{n.marking}] {n.author} ({n.organisation}): {n.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CasesView() {
  const { t } = useI18n();
  const [list, setList] = useState<CaseSummaryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    if (open !== null) return;
    caseApi
      .list()
      .then((r) => setList(r.items))
      .catch((e: Error) => setError(e.message));
  }, [open]);
  if (open !== null) return <CaseDetailView id={open} onBack={() => setOpen(null)} />;
  if (error !== null) return <p class="error">{t('caseListError', { message: error })}</p>;
  if (list === null) return <p>{t('objectLoading')}</p>;
  if (list.length === 0) return <p>{t('caseNone')}</p>;
  return (
    <table class="list" data-testid="case-list">
      <thead>
        <tr>
          <th>#</th>
          <th>{t('caseState')}</th>
          <th>{t('caseMarking')}</th>
          <th>{t('colName')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((c) => (
          <tr key={c.id} class="clickable" data-testid="case-row" onClick={() => setOpen(c.id)}>
            <td>{c.id}</td>
            <td>{t(`caseState_${c.state}` as 'caseState_draft')}</td>
            <td>{c.marking}</td>
            <td>{c.title}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
