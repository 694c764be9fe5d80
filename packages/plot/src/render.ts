/**
 * Node renderer: Vega-Lite specification → Vega (vega-lite `compile`) → SVG text (a headless vega
 * `View`, renderer 'none', `toSVG`). No browser or canvas needed.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vg = compile(spec as unknown as TopLevelSpec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
