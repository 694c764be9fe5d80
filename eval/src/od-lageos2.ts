/**
 * LAGEOS-2 fit to the ILRS normal points, against Orekit's asserted numbers and the CPF: waits for
 * the SLR orbit fit in @hoshimi/astro.
 */
import type { AstroContext } from '@hoshimi/astro';

export async function lageos2Section(
  _input: { readonly writeFile: (relative: string, text: string) => void },
  _ctx: AstroContext,
): Promise<string> {
  return 'Not run: the SLR range model and fit are not in @hoshimi/astro yet.';
}
