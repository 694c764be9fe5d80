/**
 * The sync tests' sink: collects every ImportInput a sync hands over and reads it with
 * @hoshimi/astro's `parseElements`, the same reader the store uses, so the tests need no store.
 */
import { gunzipSync } from 'node:zlib';
import { type ElementFile, type ElementSet, parseElements } from '@hoshimi/astro';
import type { ImportInput } from '../src/catalog-store.js';

export interface CollectedImport {
  readonly input: ImportInput;
  readonly text: string;
  readonly file: ElementFile;
}

export interface CollectingSink {
  readonly sink: (input: ImportInput) => void;
  readonly imports: CollectedImport[];
  /** Every element set of every import, in order. */
  sets(): ElementSet[];
}

/** Reads bytes as the store would: gunzip when gzip, then UTF-8. */
export function importText(bytes: Uint8Array): string {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return new TextDecoder('utf-8').decode(raw);
}

/** Parses a download; throws (a sink failure) when nothing in it is element data. */
export function readImport(input: ImportInput): CollectedImport {
  const text = importText(input.bytes);
  const r = parseElements(text, { file: input.name });
  if (!r.ok) throw new Error(`${input.name}: ${r.issues.map((i) => i.message).join('; ')}`);
  return { input, text, file: r.value };
}

export function collectingSink(): CollectingSink {
  const imports: CollectedImport[] = [];
  return {
    imports,
    sink: (input) => {
      imports.push(readImport(input));
    },
    sets: () => imports.flatMap((i) => i.file.records.map((r) => r.elements)),
  };
}
