/**
 * No import cycles among the modules of the CLI and the store: a cycle makes module initialisation
 * order-dependent (a command module reading another's constant before it is set) and ties modules
 * that should be separable. Reads the sources' relative imports (type-only imports included, since
 * they tie the modules just the same) and reports every cycle found.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function cycles(files: readonly string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) =>
      resolve(dirname(f), (m[1] as string).replace(/\.js$/, '.ts')),
    );
    graph.set(f, deps);
  }
  const state = new Map<string, 'open' | 'done'>();
  const found: string[][] = [];
  const visit = (n: string, stack: string[]) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d, stack);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f, []);
  return found.map((c) => c.map((f) => relative(ROOT, f)));
}

describe('module graph', () => {
  it.each(['cli/src', 'store/src'])('%s has no import cycle', (dir) => {
    const files = sources(join(ROOT, dir));
    expect(files.length).toBeGreaterThan(5);
    expect(cycles(files)).toEqual([]);
  });
});
