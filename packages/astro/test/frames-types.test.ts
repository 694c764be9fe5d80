/**
 * Compile-time frame checks. Vitest does not type-check, so this test runs the TypeScript
 * compiler (the repository's own tsconfig options) over this very file and asserts there are no
 * diagnostics: every `@ts-expect-error` below must really be an error (an unused one is itself
 * error TS2578), and the legal calls must compile.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transform } from '../src/frames/frame-graph.js';
import { geodeticFromItrf } from '../src/frames/geodetic.js';
import { makeState, type State } from '../src/frames/state.js';
import type { FrameEpoch } from '../src/time/frame-epoch.js';

// ---- type-level cases (checked by the compiler run below; the function is never called) ----
export function typeCases(epoch: FrameEpoch): void {
  const teme: State<'TEME'> = makeState('TEME', [7000, 0, 0], [0, 7.5, 0]);
  const itrf: State<'ITRF'> = transform(teme, 'ITRF', epoch);
  geodeticFromItrf(itrf);
  // @ts-expect-error a TEME state is not an ITRF state
  geodeticFromItrf(teme);
  // @ts-expect-error transform returns the target frame's type
  const wrong: State<'GCRF'> = transform(teme, 'ITRF', epoch);
  // @ts-expect-error unknown frame names are rejected
  transform(teme, 'ECEF', epoch);
  // @ts-expect-error State<'TEME'> is not assignable to State<'ITRF'>
  const alsoWrong: State<'ITRF'> = teme;
  void wrong;
  void alsoWrong;
}

describe('frame types', () => {
  it('rejects frame mix-ups at compile time and accepts the legal calls', () => {
    const here = fileURLToPath(import.meta.url);
    const base = resolve(dirname(here), '../../../tsconfig.base.json');
    const cfg = ts.readConfigFile(base, (p) => ts.sys.readFile(p));
    const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, dirname(base));
    const options: ts.CompilerOptions = {
      ...parsed.options,
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      types: ['node'],
    };
    const program = ts.createProgram([here], options);
    const diags = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === here || d.file === undefined);
    const text = diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(text).toEqual([]);
    // Sanity: the strict options really are on, so the check above means something.
    expect(options.strict).toBe(true);
    expect(options.exactOptionalPropertyTypes).toBe(true);
  });
});
