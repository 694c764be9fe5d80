/** A Vega-Lite chart (the @hoshimi/plot specifications, or a small one built here) rendered with vega-embed. */
import { useEffect, useRef } from 'preact/hooks';
import embed, { type VisualizationSpec } from 'vega-embed';

export function VegaChart(props: { spec: Record<string, unknown>; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    let finalize: (() => void) | undefined;
    let cancelled = false;
    embed(el, props.spec as VisualizationSpec, { actions: false, renderer: 'svg' })
      .then((result) => {
        if (cancelled) result.finalize();
        else {
          finalize = () => result.finalize();
          el.dataset['rendered'] = 'true';
        }
      })
      .catch((error: unknown) => {
        el.textContent = String(error);
      });
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [props.spec]);
  return <div class="chart" data-testid={props.testId} ref={ref} />;
}
