/**
 * A conjunction's CCSDS Conjunction Data Message (GET /conjunctions/:id/cdm, KVN) as text in a
 * collapsible block, fetched when first opened, with download links for the KVN and XML forms.
 */
import { useState } from 'preact/hooks';
import { publicApi } from './api.js';
import { useI18n } from './i18n.js';

export function CdmBlock(props: { id: string }) {
  const { t } = useI18n();
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (e: Event) => {
    if (!(e.currentTarget as HTMLDetailsElement).open || text !== null) return;
    publicApi
      .cdm(props.id)
      .then(setText, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <details class="cdm" data-testid="cdm" onToggle={load}>
      <summary data-testid="cdm-toggle">{t('conjCdm')}</summary>
      <p>
        <a href={publicApi.cdmUrl(props.id)} download={`${props.id}.cdm`} data-testid="cdm-download">
          {t('cdmDownloadKvn')}
        </a>{' '}
        ·{' '}
        <a href={publicApi.cdmUrl(props.id, 'xml')} download={`${props.id}.cdm.xml`}>
          {t('cdmDownloadXml')}
        </a>
      </p>
      {error !== null ? (
        <p class="error">{t('cdmError', { message: error })}</p>
      ) : text === null ? (
        <p>{t('objectLoading')}</p>
      ) : (
        <pre data-testid="cdm-text">{text}</pre>
      )}
    </details>
  );
}
